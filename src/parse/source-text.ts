// libpg-query reports byte offsets into the UTF-8 encoding; users want line:column in characters.
import { lineOf } from '../util/line-index.js'

export class SourceText {
  readonly bytes: Buffer
  private readonly lineStarts: number[]

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.bytes = Buffer.from(text, 'utf8')
    this.lineStarts = [0]
    for (let i = 0; i < this.bytes.length; i++) {
      if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1)
    }
  }

  /** 1-based line and character column of a byte offset. */
  position(byteOffset: number): { line: number; column: number } {
    const offset = Math.max(0, Math.min(byteOffset, this.bytes.length))
    const line = lineOf(this.lineStarts, offset)
    const column = this.bytes.toString('utf8', this.lineStarts[line], offset).length + 1
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
