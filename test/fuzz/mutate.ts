// Mutations of real texts (the fixtures and the grammar's output): what an editor crash, a bad merge,
// a half-written file or a binary blob in the migrations folder hands the linter.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { migrationText } from './grammar.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

function sqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sqlFiles(full)
    return entry.name.endsWith('.sql') ? [full] : []
  })
}

/** Every `.sql` file under fixtures/, read once. */
export const FIXTURE_TEXTS: readonly string[] = sqlFiles(path.join(ROOT, 'fixtures'))
  .sort()
  .map(file => fs.readFileSync(file, 'utf8'))

const fixtureText = fc.constantFrom(...FIXTURE_TEXTS)

/** Byte sequences that open or close a token, or are no text at all. */
const nasty = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("'", '"', '$$', '$a$', '/*', '*/', '--', ';', '\n', '\r', "E'\\", '\\', '$', '$1', 'U&"', '😀', 'é', '\u2028').map(s => Buffer.from(s, 'utf8')) },
  // Invalid UTF-8: a lone continuation byte, a lead byte without its tail, an overlong form, 0xff.
  { weight: 3, arbitrary: fc.constantFrom([0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xff], [0xfe, 0xff], [0xed, 0xa0, 0x80]).map(b => Buffer.from(b)) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map(b => Buffer.from(b.map(x => (x === 0 ? 1 : x)))) },
  // NUL makes the whole file binary: rare, or it would hide every other mutation.
  { weight: 1, arbitrary: fc.constant(Buffer.from([0])) },
)

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; other: Buffer; from: number }
  | { kind: 'insert'; at: number; bytes: Buffer }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; to: number }

const position = fc.nat({ max: 1 << 20 })
const baseText = fc.oneof(fixtureText, migrationText)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: position.map(at => ({ kind: 'truncate' as const, at })) },
  { weight: 2, arbitrary: fc.tuple(position, baseText, position).map(([at, other, from]) => ({ kind: 'splice' as const, at, other: Buffer.from(other, 'utf8'), from })) },
  { weight: 5, arbitrary: fc.tuple(position, nasty).map(([at, bytes]) => ({ kind: 'insert' as const, at, bytes })) },
  { weight: 1, arbitrary: fc.tuple(position, fc.nat({ max: 40 })).map(([at, length]) => ({ kind: 'delete' as const, at, length })) },
  { weight: 1, arbitrary: fc.tuple(position, fc.nat({ max: 80 }), position).map(([at, length, to]) => ({ kind: 'duplicate' as const, at, length, to })) },
)

/** Positions are drawn at large and folded into the text, so one mutation fits a text of any size. */
export function applyMutation(bytes: Buffer, m: Mutation): Buffer {
  const at = m.at % (bytes.length + 1)
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, at)
    case 'splice':
      return Buffer.concat([bytes.subarray(0, at), m.other.subarray(m.from % (m.other.length + 1))])
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)])
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)])
    case 'duplicate': {
      const piece = bytes.subarray(at, at + m.length)
      const to = m.to % (bytes.length + 1)
      return Buffer.concat([bytes.subarray(0, to), piece, bytes.subarray(to)])
    }
  }
}

/** A fixture or grammar text after one to four mutations, as raw bytes (maybe not UTF-8). */
export const mutatedBytes: fc.Arbitrary<Buffer> = fc
  .tuple(baseText, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([text, mutations]) => mutations.reduce(applyMutation, Buffer.from(text, 'utf8')))
