// libpg-query reports byte offsets into the UTF-8 encoding; users want line:column in characters.
import { lineOf } from '../util/line-index.js'

export class SourceText {
  readonly bytes: Buffer
  private readonly lineStarts: number[]
  /** One byte per character: a column is a byte distance. */
  private readonly ascii: boolean
  private last: { line: number; byte: number; column: number } | null = null

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.bytes = Buffer.from(text, 'utf8')
    this.ascii = this.bytes.length === text.length
    this.lineStarts = [0]
    for (let i = 0; i < this.bytes.length; i++) {
      if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1)
    }
  }

  /**
   * 1-based line and character column of a byte offset. Counted from the last position asked on the
   * same line when that is not past it: statements are located in order, and counting each from the
   * start of its line made 200,000 statements on one line quadratic. ASCII text needs no counting.
   */
  position(byteOffset: number): { line: number; column: number } {
    const offset = Math.max(0, Math.min(byteOffset, this.bytes.length))
    const line = lineOf(this.lineStarts, offset)
    const start = this.lineStarts[line]
    if (this.ascii) return { line: line + 1, column: offset - start + 1 }
    const last = this.last?.line === line && this.last.byte <= offset ? this.last : { line, byte: start, column: 1 }
    const column = last.column + utf16Units(this.bytes, last.byte, offset)
    this.last = { line, byte: offset, column }
    return { line: line + 1, column }
  }

  slice(startByte: number, endByte: number): string {
    return this.bytes.toString('utf8', startByte, endByte)
  }

  get lineCount(): number {
    return this.lineStarts.length
  }

  /** Byte offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]
  }
}

/** The UTF-16 length of the UTF-8 bytes [from, to): a character per lead byte, two for a 4-byte one. */
function utf16Units(bytes: Buffer, from: number, to: number): number {
  let units = 0
  for (let i = from; i < to; i++) {
    const b = bytes[i]
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1
  }
  return units
}
