// One PGlite per test file (≈ 1 s from the saved fresh data dir, ≈ 5 s the first time on a machine):
// between tests it is emptied instead of replaced.
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import type { Engine } from '../../src/verify/engine.js'
import { openPglite } from '../../src/verify/pglite-engine.js'
import { migrationFromText } from '../rule-tester.js'
import type { Migration } from '../../src/model.js'

export interface SharedEngine {
  engine: Engine
  /** Drops every user schema and recreates an empty public one; resets settings and prepared statements. */
  reset(): Promise<void>
  close(): Promise<void>
}

const EMPTY = `
  DO $$ DECLARE s text; BEGIN
    FOR s IN SELECT nspname FROM pg_namespace
              WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LOOP
      EXECUTE format('DROP SCHEMA %I CASCADE', s);
    END LOOP;
  END $$;
  CREATE SCHEMA public;
  RESET ALL;
  DEALLOCATE ALL;`

export async function sharedEngine(): Promise<SharedEngine> {
  const engine = await openPglite()
  return {
    engine,
    reset: () => engine.exec(EMPTY),
    close: () => engine.close(),
  }
}

/** The file's engine, opened before its first test (with the parser) and emptied before each. */
export function engineForThisFile(): SharedEngine {
  let pg: SharedEngine | undefined
  const opened = () => {
    if (!pg) throw new Error('the shared engine is not open yet: use it inside a test')
    return pg
  }
  beforeAll(async () => {
    await loadParser()
    pg = await sharedEngine()
  }, 60_000)
  afterAll(() => pg?.close())
  beforeEach(() => opened().reset())
  return {
    get engine() {
      return opened().engine
    },
    reset: () => opened().reset(),
    close: () => opened().close(),
  }
}

/** dbmate sections (`-- migrate:up` / `-- migrate:down`) give a down; plain SQL has none. */
export function shipped(file: string, text: string, order = 0): Migration {
  return { ...migrationFromText(file, text, order), inRelease: false }
}

export function added(file: string, text: string, order = 10): Migration {
  return { ...migrationFromText(file, text, order), inRelease: true }
}
