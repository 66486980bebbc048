// DO blocks (issue 12): the SQL a DO block runs is replayed and linted at its own place in the file;
// what cannot be known without running it is named in `unanalysed`.
import { beforeAll, describe, expect, it } from 'vitest'
import dropColumnStillRead from '../../rules/drop-column-still-read.js'
import { loadParser, parseSql } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'
import { lintCase } from '../rule-tester.js'

beforeAll(() => loadParser())

const parse = (text: string) => parseSql(new SourceText('m.sql', text), { inTransaction: false })
const at = (s: { loc: { line: number; column: number; endLine: number; endColumn: number } }) => `${s.loc.line}:${s.loc.column}-${s.loc.endLine}:${s.loc.endColumn}`

const cases: { name: string; text: string; inner: string[]; unanalysed?: RegExp }[] = [
  {
    name: 'static statements at any depth: IF, LOOP, BEGIN … EXCEPTION',
    text:
      'DO $$\nDECLARE r record;\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_attribute) THEN\n    ALTER TABLE users DROP COLUMN email;\n  END IF;\n' +
      '  FOR r IN SELECT id FROM t LOOP\n    UPDATE t SET a = 1 WHERE id = r.id;\n  END LOOP;\n  BEGIN\n    CREATE INDEX i ON t (a);\n' +
      '  EXCEPTION WHEN others THEN NULL;\n  END;\n  PERFORM f();\nEND $$;',
    inner: ['5:5-5:40 ALTER TABLE users DROP COLUMN email', '8:5-8:39 UPDATE t SET a = 1 WHERE id = r.id', '11:5-11:28 CREATE INDEX i ON t (a)'],
  },
  {
    name: 'on one line, after other statements, with a tagged dollar quote and LANGUAGE plpgsql',
    text: 'SELECT 1; DO LANGUAGE plpgsql $body$ BEGIN ALTER TABLE a DROP COLUMN b; END $body$;',
    inner: ['1:44-1:71 ALTER TABLE a DROP COLUMN b'],
  },
  {
    name: "EXECUTE of a constant string: its statements, at their text inside the string",
    text: "DO $$\nBEGIN\n  EXECUTE 'ALTER TABLE a ADD b int; DROP TABLE c';\n  EXECUTE $q$DROP TABLE d$q$;\nEND $$;",
    inner: ['3:12-3:35 ALTER TABLE a ADD b int', '3:37-3:49 DROP TABLE c', '4:14-4:26 DROP TABLE d'],
  },
  {
    name: 'EXECUTE of a computed string: unanalysed, with the line',
    text: "DO $$\nBEGIN\n  ALTER TABLE a DROP COLUMN b;\n  EXECUTE format('DROP TABLE %I', 'x');\nEND $$;",
    inner: ['3:3-3:30 ALTER TABLE a DROP COLUMN b'],
    unanalysed: /^DO block runs dynamic SQL \(EXECUTE format\('DROP TABLE %I', 'x'\)\) at line 4$/,
  },
  {
    name: 'EXECUTE of a string concatenated with a variable',
    text: "DO $$ DECLARE t text := 'x'; BEGIN EXECUTE 'DROP TABLE ' || t; END $$",
    inner: [],
    unanalysed: /^DO block runs dynamic SQL \(EXECUTE 'DROP TABLE ' \|\| t\) at line 1$/,
  },
  {
    name: 'another language',
    text: "DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE x') $$;",
    inner: [],
    unanalysed: /^DO block in language plpython3u is not analysed \(line 1\)$/,
  },
  {
    name: 'a body that does not parse as PL/pgSQL',
    text: 'SELECT 1;\nDO $$ BEGIN garbage here; END $$;',
    inner: [],
    unanalysed: /^DO block body does not parse as PL\/pgSQL \(syntax error at or near "garbage"\) at line 2$/,
  },
  {
    name: 'PERFORM, RAISE and assignments run no DDL of their own: nothing to report',
    text: "DO $$ BEGIN PERFORM pg_sleep(1); RAISE NOTICE 'hi; there'; END $$;",
    inner: [],
  },
]

describe('DO blocks', () => {
  for (const c of cases) {
    it(c.name, () => {
      const statements = parse(c.text)
      const doStatement = statements.find(s => s.ast && 'DoStmt' in s.ast)!
      expect((doStatement.inner ?? []).map(s => `${at(s)} ${s.sql}`)).toEqual(c.inner)
      for (const inner of doStatement.inner ?? []) expect(inner.inTransaction).toBe(true)
      if (c.unanalysed) expect(doStatement.unanalysed).toMatch(c.unanalysed)
      else expect(doStatement.unanalysed).toBeUndefined()
    })
  }

  it('keeps the top-level statements in file order without overlap: inner ones are not among them', () => {
    expect(parse('DO $$ BEGIN DROP TABLE a; END $$;\nSELECT 1;').map(s => `${at(s)} ${Object.keys(s.ast!)[0]}`)).toEqual([
      '1:1-1:33 DoStmt',
      '2:1-2:9 SelectStmt',
    ])
  })

  it('lints the DDL of a DO block as the plain statement at the same place', () => {
    const usage = { baseUsage: [{ table: 'users', column: 'email', kind: 'select' as const, at: 'src/users.ts:5' }] }
    const setup = 'CREATE TABLE users (id int, email text);'
    const plain = lintCase({ ...usage, setup, sql: 'SELECT 1;\n\n    ALTER TABLE users DROP COLUMN email;' }, [dropColumnStillRead])
    const inDo = lintCase(
      {
        ...usage,
        setup,
        sql: 'DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN\n  RAISE NOTICE \'dropping\';\n    ALTER TABLE users DROP COLUMN email; END IF; END $$;',
      },
      [dropColumnStillRead],
    )
    const brief = (f: { ruleId: string; messageId?: string; line: number; column: number; endColumn?: number }) => [f.ruleId, f.messageId, f.line, f.column, f.endColumn]
    expect(inDo.map(brief)).toEqual([['drop-column-still-read', 'stillRead', 3, 5, 40]])
    expect(inDo.map(brief)).toEqual(plain.map(brief))
  })
})
