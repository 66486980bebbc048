// The pure pieces of the Kysely loader: literals, parameter inlining, stack frames, locations.
import { beforeAll, describe, expect, it } from 'vitest'
import { inlineParameters } from '../../src/parse/kysely/inline-parameters.js'
import { firstFrameIn } from '../../src/parse/kysely/stack-frame.js'
import { StatementSpans } from '../../src/parse/kysely/statement-spans.js'
import { callEnd, KyselySource, queryLocation } from '../../src/parse/kysely/statements.js'
import { toSqlLiteral } from '../../src/parse/kysely/sql-literal.js'
import { orderMigrations } from '../../src/discover/layouts.js'
import { loadParser } from '../../src/parse/sql.js'

beforeAll(() => loadParser())

describe('toSqlLiteral', () => {
  it('writes each kind of value as the literal Postgres would have received', () => {
    expect(toSqlLiteral("it's")).toBe("'it''s'")
    expect(toSqlLiteral('')).toBe("''")
    expect(toSqlLiteral(42)).toBe('42')
    expect(toSqlLiteral(-1.5)).toBe('(-1.5)')
    expect(toSqlLiteral(10n)).toBe('10')
    expect(toSqlLiteral(Number.NaN)).toBe("'NaN'")
    expect(toSqlLiteral(true)).toBe('true')
    expect(toSqlLiteral(null)).toBe('NULL')
    expect(toSqlLiteral(undefined)).toBe('NULL')
    expect(toSqlLiteral(new Date('2024-01-02T03:04:05Z'))).toBe("'2024-01-02T03:04:05.000Z'")
    expect(toSqlLiteral({ a: "b'c", n: [1, 2] })).toBe(`'{"a":"b''c","n":[1,2]}'`)
    expect(toSqlLiteral([1, 'x'])).toBe(`'[1,"x"]'`)
    expect(toSqlLiteral(Buffer.from([0xde, 0xad]))).toBe("'\\xdead'")
  })
})

describe('inlineParameters', () => {
  it('replaces $n placeholders, not $n inside strings, dollar quotes or comments', () => {
    const sql = `update t set a = $1, b = '$2', c = $$ $1 $$ where d = $2 -- $1`
    expect(inlineParameters(sql, ["'x'", '(-1)'])).toBe(`update t set a = 'x', b = '$2', c = $$ $1 $$ where d = (-1) -- $1`)
  })

  it('keeps multi-byte text around the placeholders intact', () => {
    expect(inlineParameters(`select 'é', $1, 'ü'`, ["'ö'"])).toBe(`select 'é', 'ö', 'ü'`)
  })

  it('leaves a text the lexer refuses as it is, for the parser to report', () => {
    expect(inlineParameters(`select $1, 'open`, ['1'])).toBe(`select $1, 'open`)
  })
})

describe('firstFrameIn', () => {
  const file = '/repo/migrations/002_add.ts'
  it('finds the first frame naming the file, with or without a function name, as a path or a file URL', () => {
    const stack = [
      'Error',
      '    at capture (/tool/recording-database.js:10:5)',
      '    at /repo/migrations/002_add.tsx:1:1',
      `    at async up (${file}:12:7)`,
      `    at ${file}:3:1`,
    ].join('\n')
    expect(firstFrameIn(stack, file)).toEqual({ line: 12, column: 7 })
    expect(firstFrameIn(`Error\n    at file:///repo/migrations/002_add.ts:4:9`, file)).toEqual({ line: 4, column: 9 })
    expect(firstFrameIn(`Error\n    at x (/elsewhere.ts:1:1)`, file)).toBeNull()
    expect(firstFrameIn(undefined, file)).toBeNull()
  })
})

describe('locations in the .ts file', () => {
  const text = [
    "import { Kysely } from 'kysely'", // 1
    'export async function up(db: Kysely<any>) {', // 2
    '  await db.schema', // 3
    "    .alterTable('users')", // 4
    "    .addColumn('a', 'text', c => c.notNull())", // 5
    '    .execute()', // 6
    '  await db.transaction().execute(async trx => {', // 7
    "    await trx.schema.dropTable('x').execute()", // 8
    '  })', // 9
    "  await Promise.all(['a'].map(t => db.schema.dropTable(t).execute()))", // 10
    '}', // 11
  ].join('\n')
  const source = new KyselySource('migrations/002_add.ts', text)
  const lines = text.split('\n')
  const col = (line: number, needle: string) => lines[line - 1].indexOf(needle) + 1
  const loc = (call: { line: number; column: number } | null, statement: { line: number; column: number } | null = null) =>
    queryLocation({ sql: '', parameters: [], inTransaction: false, call, statement }, source)

  it('spans a multi-line builder chain from the statement to the end of its .execute()', () => {
    expect(loc({ line: 6, column: 6 })).toEqual({ file: 'migrations/002_add.ts', line: 3, column: 3, endLine: 6, endColumn: 15 })
  })

  it('uses the innermost statement: the one inside a transaction callback, an arrow body', () => {
    expect(loc({ line: 8, column: col(8, 'execute') })).toMatchObject({ line: 8, column: 5, endLine: 8, endColumn: lines[7].length + 1 })
    expect(loc({ line: 10, column: col(10, 'execute') })).toMatchObject({
      line: 10,
      column: col(10, 'db.schema'),
      endLine: 10,
      endColumn: col(10, 'execute') + 'execute()'.length,
    })
  })

  it('falls back to the frame at execution, then to the start of the file', () => {
    expect(loc(null, { line: 3, column: 3 })).toMatchObject({ line: 3, column: 3, endLine: 3, endColumn: 4 })
    expect(loc(null, null)).toMatchObject({ line: 1, column: 1 })
  })

  it('ends a call at its closing parenthesis when it is on the same line', () => {
    expect(callEnd(source.text, { line: 8, column: col(8, 'execute') })).toEqual({ line: 8, column: lines[7].length + 1 })
    expect(callEnd(source.text, { line: 3, column: 9 })).toEqual({ line: 3, column: 10 })
  })

  it('finds where up and down are declared, for a part that never finished', () => {
    expect(source.spans.declarationOf('up')).toEqual({ line: 2, column: 1 })
    expect(source.spans.declarationOf('down')).toBeNull()
    const other = new StatementSpans(
      'm.ts',
      "import x from 'y'\nexport const down = async () => {}\nexport default {\n  async up(db: any) {},\n}\n",
    )
    expect(other.declarationOf('down')).toEqual({ line: 2, column: 1 })
    expect(other.declarationOf('up')).toEqual({ line: 4, column: 3 })
  })

  it('gives no statement for a file that does not parse', () => {
    expect(new StatementSpans('broken.ts', 'export async function up( {').statementStart({ line: 1, column: 3 })).toBeNull()
  })
})

describe('orderMigrations with Kysely files', () => {
  const kysely = (id: string) => ({ id, layout: 'kysely' as const })
  const sql = (id: string) => ({ id, layout: 'sql' as const })

  it('sorts Kysely migrations by name without extension, as plain strings (as Kysely’s Migrator does)', () => {
    const ids = ['m/9_c.js', 'm/1_a.ts', 'm/10_b.mts', 'm/1-a.ts'].map(kysely)
    expect(orderMigrations(ids).map(m => m.id)).toEqual(['m/1-a.ts', 'm/10_b.mts', 'm/1_a.ts', 'm/9_c.js'])
  })

  it('orders SQL and Kysely migrations of two folders together by name', () => {
    const all = [kysely('k/20240110_b.ts'), sql('s/20240101_a.sql'), kysely('k/20240103_c.ts'), sql('s/20240105_d.sql')]
    expect(orderMigrations(all).map(m => m.id)).toEqual(['s/20240101_a.sql', 'k/20240103_c.ts', 's/20240105_d.sql', 'k/20240110_b.ts'])
  })
})
