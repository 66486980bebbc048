import { describe, expect, it } from 'vitest'
import { SourceText } from '../../src/parse/source-text.js'

/** What position() computed before it counted from the last position (the reference). */
function reference(text: string, byteOffset: number): { line: number; column: number } {
  const bytes = Buffer.from(text, 'utf8')
  const before = bytes.toString('utf8', 0, byteOffset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: before.length - lineStart + 1 }
}

/** Byte offsets at character boundaries. */
function boundaries(text: string): number[] {
  const out = [0]
  let at = 0
  for (const c of text) out.push((at += Buffer.byteLength(c, 'utf8')))
  return out
}

describe('SourceText.position', () => {
  const texts = [
    'SELECT 1;\nSELECT 2;',
    'SELECT \'é\'; SELECT \'日本\'; SELECT \'😀\'; SELECT 1;\n-- ü\nSELECT 2;',
    '😀😀\n\n  é;é;é\r\nx',
  ]

  it('is the character column, in any order of asking, ASCII or not', () => {
    for (const text of texts) {
      const source = new SourceText('f.sql', text)
      const offsets = boundaries(text)
      for (const offset of [...offsets, ...[...offsets].reverse(), ...offsets.filter((_, i) => i % 3 === 0)]) {
        expect({ offset, at: source.position(offset) }).toEqual({ offset, at: reference(text, offset) })
      }
    }
  })

  it('locates 200,000 statements on one line in linear time (it was quadratic: hours)', () => {
    const text = `-- é\n${Array.from({ length: 200_000 }, (_, i) => `SELECT 'é${i}';`).join('')}`
    const source = new SourceText('f.sql', text)
    const started = performance.now()
    let last = { line: 0, column: 0 }
    for (let i = 0, byte = Buffer.byteLength('-- é\n'); i < 200_000; i++) {
      last = source.position(byte)
      byte += Buffer.byteLength(`SELECT 'é${i}';`)
    }
    expect(last).toEqual({ line: 2, column: text.slice('-- é\n'.length).lastIndexOf('SELECT') + 1 })
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
