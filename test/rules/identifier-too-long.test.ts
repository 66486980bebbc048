import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import rule, { mayWriteLongName, writtenNames } from '../../rules/identifier-too-long.js'
import { lintCase, runRule } from '../rule-tester.js'

const long = `c_${'x'.repeat(62)}`

runRule(rule, {
  valid: [
    { sql: `CREATE TABLE t (${'a'.repeat(63)} int);` },
    { name: 'a long string literal is no name', sql: `COMMENT ON TABLE t IS '${long}';\nINSERT INTO t (a) VALUES ('${long}');` },
    { name: 'a long word in a comment is no name', sql: `-- ${long}\nDROP INDEX t_a_idx;` },
    { name: '63 bytes of three-byte characters', sql: `CREATE TABLE ${'中'.repeat(21)} (a int);` },
    { name: 'a quoted name of 63 bytes once its "" are unescaped', sql: `CREATE TABLE "${'a""'.repeat(31)}a" (a int);` },
  ],
  invalid: [
    { sql: `CREATE TABLE t (\n  id int,\n  ${long} int\n);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { setup: 'CREATE TABLE t (a int);', sql: `SELECT 1;\nALTER TABLE t ADD CONSTRAINT ${long} CHECK (a > 0) NOT VALID;`, findings: [{ messageId: 'tooLong', line: 2, column: 1 }] },
    { setup: 'CREATE TABLE t (a int);', sql: `ALTER TABLE t RENAME COLUMN a TO ${long};`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'a long name only referred to in a query', sql: `SELECT ${long} FROM t;`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'dropping by a long name', sql: `SELECT 1;\nDROP INDEX IF EXISTS ${long};`, findings: [{ messageId: 'tooLong', line: 2, column: 1 }] },
    {
      name: 'validating a constraint by a long name',
      setup: 'CREATE TABLE t (a int);',
      sql: `ALTER TABLE t VALIDATE CONSTRAINT "${'Check '.repeat(11)}";`,
      findings: [{ messageId: 'tooLong', line: 1, column: 1 }],
    },
    { name: 'multi-byte characters count as bytes', sql: `CREATE TABLE ${'é'.repeat(32)} (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'one byte over in three-byte characters', sql: `CREATE TABLE ${'中'.repeat(21)}a (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'a quoted name with spaces', sql: `CREATE TABLE "${'a b '.repeat(16)}" (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'a quoted name of 64 bytes once its "" are unescaped', sql: `CREATE TABLE "${'a""'.repeat(32)}" (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'a long name next to a U& one', sql: `CREATE TABLE U&"t\\0061" (${long} int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'a U& name without escapes', sql: `CREATE TABLE U&"${'a'.repeat(64)}" (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
  ],
})

it('says what Postgres truncates the name to, without cutting a character in two', () => {
  const [finding] = lintCase({ sql: `CREATE TABLE ${'é'.repeat(32)} (a int);` }, [rule])
  expect(finding.message).toBe(`The name "${'é'.repeat(32)}" is 64 bytes long; Postgres truncates it to "${'é'.repeat(31)}".`)
})

// The rule skips a statement whose text mayWriteLongName clears; it must never clear one of which
// writtenNames returns a name of more than 63 bytes.
describe('the pre-filter on the statement text', () => {
  const tooLong = (sql: string) => writtenNames(sql).some(name => Buffer.byteLength(name) > 63)

  it('rests on lower-casing: no UTF-16 unit becomes more bytes than 1 (ASCII) or 3 (any other)', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const char = String.fromCodePoint(cp)
      const bound = cp < 0x80 ? 1 : 3 * char.length
      if (Buffer.byteLength(char.toLowerCase()) > bound) expect.fail(`U+${cp.toString(16)} lower-cases to more than ${bound} bytes`)
    }
    expect(Buffer.byteLength('\ud800'.toLowerCase())).toBe(3)
  })

  it('clears short names, quoted or not, and long text that is no name', () => {
    expect(mayWriteLongName(`CREATE INDEX users_email_idx ON "Users" (email) WHERE note <> '${'a b '.repeat(40)}';`)).toBe(false)
    expect(mayWriteLongName(`INSERT INTO t VALUES ('${'x-'.repeat(100)}'), ("a", "b", "c")`)).toBe(false)
  })

  it('keeps a statement with a long name, however it is written', () => {
    expect(mayWriteLongName(`SELECT ${'a'.repeat(64)}`)).toBe(true)
    expect(mayWriteLongName(`SELECT "${' '.repeat(64)}"`)).toBe(true)
    expect(mayWriteLongName(`SELECT ${'İ'.repeat(22)}`)).toBe(true)
    // The regex takes `"` + the text + `"` as one name, although a lexer would see "" first.
    expect(mayWriteLongName(`SELECT ""${' x'.repeat(32)}"`)).toBe(true)
  })

  const alphabet = ['a', 'Z', 'İ', '_', '$', '0', ' ', '(', "'", '"', '""', 'é', '中', '\u{10400}', '\ud800', 'ẞ', 'Ⱥ', 'Σ', 'U&"', '\\', '\n']
  const piece = fc.oneof(
    fc.constantFrom(...alphabet),
    fc.tuple(fc.constantFrom(...alphabet), fc.integer({ min: 1, max: 70 })).map(([s, n]) => s.repeat(n)),
  )
  const text = fc.array(piece, { maxLength: 30 }).map(parts => parts.join(''))

  it('never clears a text of which writtenNames returns a name of more than 63 bytes', () => {
    fc.assert(fc.property(text, sql => !tooLong(sql) || mayWriteLongName(sql)), { numRuns: 20_000 })
  })

  it('does clear many texts (the property above is not empty)', () => {
    const samples = fc.sample(text, { numRuns: 2_000, seed: 7 })
    expect(samples.filter(tooLong).length).toBeGreaterThan(200)
    expect(samples.filter(sql => !mayWriteLongName(sql)).length).toBeGreaterThan(200)
  })
})
