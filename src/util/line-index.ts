// Line and column of UTF-16 offsets into a JS string, and back: oxc-parser's offsets are UTF-16 indices
// (its JS wrapper converts from the Rust side's UTF-8), and so are V8's stack-frame columns. SourceText
// does the same for UTF-8 byte offsets, with lineOf.
export class LineIndex {
  private readonly starts: number[] = [0]

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1)
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    const line = lineOf(this.starts, offset)
    return { line: line + 1, column: offset - this.starts[line] + 1 }
  }

  /** The UTF-16 offset of a 1-based line and column; null for a line the text does not have. */
  offset(line: number, column: number): number | null {
    const start = this.starts[line - 1]
    return start === undefined ? null : start + column - 1
  }
}

/** The 0-based line of `offset`, given the offsets where lines start (ascending, the first 0). */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}
