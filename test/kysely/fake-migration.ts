import type { LoadProblem, Location, Migration } from '../../src/model.js'

export const FAKE_FILE = 'migrations/2024_05_01_add_tenant.ts'

/** A Kysely migration as loading left it: no statements, only what kept it from being seen whole. */
export function kyselyMigration(problems: LoadProblem[], text = ''): Migration {
  return {
    id: FAKE_FILE,
    path: FAKE_FILE,
    downPath: null,
    order: 0,
    layout: 'kysely',
    up: [],
    down: null,
    transactional: true,
    sources: [{ path: FAKE_FILE, text }],
    inRelease: true,
    editedSinceBase: false,
    fingerprint: null,
    loadProblems: problems,
  }
}

export const at = (line: number, column: number): Location => ({ file: FAKE_FILE, line, column, endLine: line, endColumn: column + 1 })
