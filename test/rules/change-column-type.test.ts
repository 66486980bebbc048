import rule from '../../rules/change-column-type.js'
import { describe, expect, it } from 'vitest'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  "CREATE TYPE mood AS ENUM ('ok');\n" +
  'CREATE TABLE t (id bigint PRIMARY KEY, name varchar(20), free varchar, body text, price numeric(10,2), ' +
  'qty numeric(8), amount numeric, bits varbit(4), net cidr, n integer, tags varchar(10)[], status public.mood, ' +
  'email citext, seen timestamp, seen3 timestamp(3), at timestamptz, clock time(3), span interval(3));'

const alter = (sql: string) => ({ setup, sql: `ALTER TABLE t ALTER COLUMN ${sql};` })

runRule(rule, {
  valid: [
    alter('name TYPE varchar(20)'),
    alter('name TYPE character varying(50)'),
    alter('name TYPE varchar'),
    alter('name TYPE text'),
    alter('free TYPE text'),
    alter('body TYPE varchar'),
    alter('body TYPE text'),
    alter('price TYPE numeric(12,2)'),
    alter('price TYPE decimal(10,2)'),
    alter('price TYPE numeric'),
    alter('qty TYPE numeric(9,0)'),
    alter('bits TYPE varbit(8)'),
    alter('bits TYPE bit varying'),
    alter('net TYPE inet'),
    alter('n TYPE int4'),
    alter('tags TYPE varchar(10)[]'),
    alter('status TYPE mood'),
    {
      name: 'the old type follows renames and earlier type changes',
      setup: `${setup}\nALTER TABLE t RENAME COLUMN n TO code;\nALTER TABLE t ALTER COLUMN code TYPE varchar(5) USING code::text;`,
      sql: 'ALTER TABLE t ALTER COLUMN code TYPE varchar(10);',
    },
    { name: 'SET DATA TYPE spelling', setup, sql: 'ALTER TABLE t ALTER name SET DATA TYPE varchar(30);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE u (n int);\nALTER TABLE u ALTER COLUMN n TYPE bigint;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE u (n int);', sql: 'ALTER TABLE u ALTER COLUMN n TYPE bigint;' },
    { name: 'column added earlier in the release', setup, earlierInRelease: 'ALTER TABLE t ADD COLUMN x int;', sql: 'ALTER TABLE t ALTER COLUMN x TYPE bigint;' },
    { name: 'column added by the same statement', setup, sql: 'ALTER TABLE t ADD COLUMN x int, ALTER COLUMN x TYPE bigint;' },
    { name: 'other ALTER COLUMN commands', setup, sql: 'ALTER TABLE t ALTER COLUMN n SET DEFAULT 0, ALTER COLUMN n DROP NOT NULL;' },
    // citext is stored as text is: Postgres casts between them without touching a row (relfilenode kept, Postgres 18).
    alter('body TYPE citext'),
    alter('name TYPE public.citext'),
    alter('email TYPE text'),
    alter('email TYPE varchar'),
    { name: 'citext from another schema (Supabase keeps extensions in `extensions`)', setup, sql: 'ALTER TABLE t ALTER COLUMN body TYPE extensions.citext;' },
    // More (or the default 6) fractional digits keep every value.
    alter('seen3 TYPE timestamp(6)'),
    alter('seen3 TYPE timestamp'),
    alter('seen TYPE timestamp(6)'),
    alter('clock TYPE time'),
    alter('span TYPE interval'),
    alter('span TYPE interval(6)'),
    {
      name: "timestamp → timestamptz after SET TIME ZONE 'UTC' in the same file (Postgres 12+)",
      setup,
      sql: "SET TIME ZONE 'UTC';\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;",
    },
    {
      name: 'timestamptz → timestamp after SET LOCAL timezone = Etc/UTC, from a column of fewer digits',
      setup,
      sql: "SET LOCAL timezone = 'Etc/UTC';\nALTER TABLE t ALTER COLUMN at TYPE timestamp, ALTER COLUMN seen3 TYPE timestamptz;",
    },
    { name: 'SET TIME ZONE 0 is UTC too', setup, sql: 'SET TIME ZONE 0;\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;' },
    // USING the column itself (or cast to the new type) asks for the conversion Postgres makes anyway.
    { name: 'USING the column cast to the new type, on a widening', ...alter('name TYPE varchar(50) USING name::varchar(50)') },
    {
      name: "timestamp → timestamptz USING the column, after SET timezone = 'UTC' (LemmyNet/lemmy's fix-timezones)",
      setup,
      sql: "SET timezone = 'UTC';\nALTER TABLE t\n    ALTER COLUMN seen TYPE timestamptz\n    USING seen;",
    },
  ],
  invalid: [
    {
      ...alter('n TYPE bigint'),
      findings: [{ messageId: 'changed', line: 1, column: 1, endLine: 1, endColumn: 41 }],
    },
    { name: 'varchar narrowed', ...alter('name TYPE varchar(10)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'varchar limit added', ...alter('free TYPE varchar(100)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'text limited', ...alter('body TYPE varchar(100)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'numeric scale changed', ...alter('price TYPE numeric(12,3)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'numeric precision narrowed', ...alter('price TYPE numeric(9,2)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'numeric(p) is scale 0', ...alter('qty TYPE numeric(10,2)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'numeric limit added', ...alter('amount TYPE numeric(20,4)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'varbit narrowed', ...alter('bits TYPE varbit(2)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'inet to cidr', setup: `${setup}\nALTER TABLE t ADD COLUMN ip inet;`, sql: 'ALTER TABLE t ALTER COLUMN ip TYPE cidr;', findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'varchar to char', ...alter('name TYPE char(20)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'array element widened', ...alter('tags TYPE varchar(20)[]'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'to an array', ...alter('body TYPE text[]'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'new collation', ...alter('body TYPE text COLLATE "C"'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'USING through another type than the new one', ...alter('name TYPE varchar(50) USING name::text'), findings: [{ messageId: 'using', line: 1, column: 1 }] },
    { name: 'USING to the same type', ...alter('n TYPE integer USING n + 0'), findings: [{ messageId: 'using', line: 1, column: 1 }] },
    { name: 'USING another column', ...alter('body TYPE varchar USING name'), findings: [{ messageId: 'using', line: 1, column: 1 }] },
    {
      name: 'multi-line, second command, after another statement',
      setup,
      sql: 'SELECT 1;\n\nALTER TABLE public.t\n  ALTER COLUMN name TYPE text,\n  ALTER COLUMN n TYPE bigint;',
      findings: [{ messageId: 'changed', line: 3, column: 1, endLine: 5, endColumn: 29 }],
    },
    {
      name: 'one finding per changed column',
      setup,
      sql: 'ALTER TABLE t ALTER COLUMN n TYPE bigint, ALTER COLUMN body TYPE jsonb USING body::jsonb;',
      findings: [
        { messageId: 'changed', line: 1, column: 1 },
        { messageId: 'using', line: 1, column: 1 },
      ],
    },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.t (n int);',
      sql: 'ALTER TABLE IF EXISTS app.t ALTER COLUMN n TYPE bigint;',
      findings: [{ messageId: 'changed', line: 1, column: 1 }],
    },
    { name: 'citext to a length-limited varchar re-checks every row', ...alter('email TYPE varchar(100)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'fewer fractional digits round every row', ...alter('seen TYPE timestamp(3)'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    { name: 'interval narrowed to days', ...alter('span TYPE interval day'), findings: [{ messageId: 'changed', line: 1, column: 1 }] },
    {
      name: 'citext on an indexed column: the rows stay, the index is built again',
      setup: `${setup}\nCREATE UNIQUE INDEX t_body_key ON t (body);`,
      sql: 'ALTER TABLE t ALTER COLUMN body TYPE citext;',
      findings: [{ messageId: 'rebuildsIndexes', line: 1, column: 1 }],
    },
    {
      name: 'timestamp → timestamptz without a time zone set: a rewrite unless the server runs in UTC',
      setup,
      sql: 'SELECT 1;\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;',
      findings: [{ messageId: 'timeZone', line: 2, column: 1 }],
    },
    {
      name: 'timestamp → timestamptz USING the column, no time zone set: the same conditional rewrite',
      setup,
      sql: 'ALTER TABLE t ALTER COLUMN seen TYPE timestamptz USING seen;',
      findings: [{ messageId: 'timeZone', line: 1, column: 1 }],
    },
    {
      name: 'a zone that is UTC only part of the year',
      setup,
      sql: "SET TIME ZONE 'Europe/London';\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;",
      findings: [{ messageId: 'timeZone', line: 2, column: 1 }],
    },
    {
      name: 'UTC set, then reset to the server default',
      setup,
      sql: "SET TIME ZONE 'UTC';\nRESET timezone;\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;",
      findings: [{ messageId: 'timeZone', line: 3, column: 1 }],
    },
    {
      name: 'UTC set after the change',
      setup,
      sql: "ALTER TABLE t ALTER COLUMN seen TYPE timestamptz;\nSET TIME ZONE 'UTC';",
      findings: [{ messageId: 'timeZone', line: 1, column: 1 }],
    },
    {
      name: 'timestamp → timestamptz before Postgres 12 rewrites in any time zone',
      setup,
      sql: "SET TIME ZONE 'UTC';\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;",
      config: { postgresVersion: 11 },
      findings: [{ messageId: 'changed', line: 2, column: 1 }],
    },
    {
      name: 'timestamp → timestamptz(3) in UTC still rounds every row',
      setup,
      sql: "SET TIME ZONE 'UTC';\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz(3);",
      findings: [{ messageId: 'changed', line: 2, column: 1 }],
    },
    {
      name: 'timestamp → timestamptz in UTC on an indexed column',
      setup: `${setup}\nCREATE INDEX t_seen ON t (seen);`,
      sql: "SET TIME ZONE 'UTC';\nALTER TABLE t ALTER COLUMN seen TYPE timestamptz;",
      findings: [{ messageId: 'rebuildsIndexes', line: 2, column: 1 }],
    },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy ALTER COLUMN n TYPE bigint;', findings: [{ messageId: 'unknownType', line: 1, column: 1 }] },
    { name: 'column unknown to the migrations', setup, sql: 'ALTER TABLE t ALTER COLUMN ghost TYPE varchar(50);', findings: [{ messageId: 'unknownType', line: 1, column: 1 }] },
    {
      name: 'narrowed after a rename and an earlier type change',
      setup: `${setup}\nALTER TABLE t RENAME COLUMN n TO code;\nALTER TABLE t ALTER COLUMN code TYPE varchar(5) USING code::text;`,
      sql: 'ALTER TABLE t ALTER COLUMN code TYPE varchar(3);',
      findings: [{ messageId: 'changed', line: 1, column: 1 }],
    },
  ],
})

describe('change-column-type messages', () => {
  const messages = (sql: string, withSetup = true) =>
    lintCase({ setup: withSetup ? setup : undefined, sql }, [rule]).map(f => [f.message, f.help])

  // Named as migrations write them (issue 17): integer and bigint, not the catalogue's int4 and int8.
  it('names the column, the old and the new type, and renders the help', () => {
    expect(messages('ALTER TABLE t ALTER COLUMN n TYPE bigint;')).toEqual([
      [
        'ALTER COLUMN t.n TYPE integer → bigint is not a widening Postgres does in place: it rewrites or re-checks every ' +
          'row under an ACCESS EXCLUSIVE lock, and the previous release was written for integer.',
        'ALTER TABLE t ADD COLUMN n_new bigint; then write both columns from the code, backfill in batches, switch ' +
          'reads to n_new, and drop n in a later release.',
      ],
    ])
  })

  it('shows the USING expression and the collation', () => {
    const [[using]] = messages('ALTER TABLE t ALTER COLUMN body TYPE jsonb USING body::jsonb;')
    expect(using).toContain('t.body TYPE text → jsonb USING body::jsonb converts every row')
    const [[collation]] = messages('ALTER TABLE t ALTER COLUMN body TYPE text COLLATE "C";')
    expect(collation).toContain('t.body TYPE text → text COLLATE "C"')
  })

  it('says a timestamptz change rewrites only outside UTC, and names the indexes a change rebuilds', () => {
    const [[zone]] = messages('ALTER TABLE t ALTER COLUMN seen TYPE timestamptz;')
    expect(zone).toBe(
      'ALTER COLUMN t.seen TYPE timestamp → timestamptz rewrites every row under an ACCESS EXCLUSIVE lock unless the session ' +
        "time zone is UTC (then Postgres 12+ changes it in place); this migration does not SET TIME ZONE 'UTC' before it.",
    )
    const [[index]] = lintCase({ setup: `${setup}\nCREATE INDEX t_email ON t (email);`, sql: 'ALTER TABLE t ALTER COLUMN email TYPE text;' }, [rule]).map(f => [f.message])
    expect(index).toBe(
      'ALTER COLUMN t.email TYPE citext → text keeps the rows, but rebuilds t_email under an ACCESS EXCLUSIVE lock: reads and ' +
        'writes of t wait for the whole index build.',
    )
  })

  it('says when the previous type is unknown', () => {
    const [[unknown]] = messages('ALTER TABLE legacy ALTER COLUMN n TYPE bigint;', false)
    expect(unknown).toContain('legacy.n TYPE (unknown) → bigint: the previous type of legacy.n is unknown')
    expect(unknown).toContain('could not be proven safe')
  })
})
