// Where a Kysely chain is, link after link: the tables it can see and what it writes.
import type { InsertDraft } from './file-context.js'
import type { Scope } from './table-scope.js'

export type QueryRoot = 'select' | 'insert' | 'update' | 'delete'

export interface QueryState {
  readonly root: QueryRoot
  readonly scope: Scope
  /** The tables INSERT / UPDATE / DELETE write: where `set({...})` keys and `returningAll()` go. */
  readonly targets: readonly string[]
  readonly insert: InsertDraft | null
  /** From `withSchema('s')`: the schema of tables named without one, joined ones included. */
  readonly schema: string | null
}
