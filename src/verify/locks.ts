// The lock trace (DESIGN §10, as eugene does it): inside the statement's own transaction, before
// COMMIT, pg_locks for this backend says which relation it locked in which mode.
import { displayName, type Engine } from './engine.js'

export interface HeldLock {
  /** `users`, `audit.events`, `users_email_idx`. */
  relation: string
  /** As pg_locks names it: `ShareLock`, `AccessExclusiveLock`. */
  mode: string
  /** Plain SELECTs on the relation wait (only ACCESS EXCLUSIVE). */
  blocksReads: boolean
  /** INSERT / UPDATE / DELETE wait (SHARE and stronger). */
  blocksWrites: boolean
}

export interface StatementLocks {
  file: string
  line: number
  statement: string
  locks: HeldLock[]
  /** Ran outside a transaction (CREATE INDEX CONCURRENTLY): its locks were gone before they could be read. Not in the JSON. */
  untraced?: boolean
}

// Weakest first (the Postgres docs' table of lock modes).
const MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
]
const SHARE = MODES.indexOf('ShareLock')

export function heldLock(relation: string, mode: string): HeldLock {
  return { relation, mode, blocksReads: mode === 'AccessExclusiveLock', blocksWrites: MODES.indexOf(mode) >= SHARE }
}

interface RelationInfo {
  name: string
  /** pg_class.relkind: `r` table, `p` partitioned table, `i` index, `S` sequence, … */
  kind: string
}

export interface LockedRelation extends RelationInfo {
  /** Stable across renames, and known for a relation the statement dropped. */
  oid: string
  mode: string
}

interface LockRow {
  oid: string
  schema: string | null
  name: string | null
  kind: string | null
  mode: string
}

// Relations of this database made by users: oids below 16384 (FirstNormalObjectId) are initdb's catalogs.
const LOCKS_SQL = `
  SELECT l.relation::oid::bigint::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, l.mode
    FROM pg_locks l
    LEFT JOIN pg_class c ON c.oid = l.relation
    LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.relation::oid::bigint >= 16384
     AND coalesce(n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%', true)`

const RELATIONS_SQL = `
  SELECT c.oid::bigint::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, '' AS mode
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid::bigint >= 16384 AND n.nspname NOT LIKE 'pg\\_toast%'`

/**
 * Names of relations by oid. A relation the statement dropped is gone from pg_class inside its own
 * transaction; its name is the one seen when it was created or when the trace started.
 */
export class RelationNames {
  private readonly known = new Map<string, RelationInfo>()

  async seed(engine: Engine): Promise<void> {
    for (const row of await engine.query<LockRow>(RELATIONS_SQL)) this.remember(row)
  }

  remember(row: LockRow): RelationInfo | null {
    if (row.name === null || row.schema === null) return this.known.get(row.oid) ?? null
    const info = { name: displayName(row.schema, row.name), kind: row.kind ?? '' }
    this.known.set(row.oid, info)
    return info
  }
}

/** The strongest mode held on each relation, by name. Run inside the statement's transaction. */
export async function lockedRelations(engine: Engine, names: RelationNames): Promise<LockedRelation[]> {
  const strongest = new Map<string, LockedRelation>()
  for (const row of await engine.query<LockRow>(LOCKS_SQL)) {
    const info = names.remember(row) ?? { name: `relation with oid ${row.oid}`, kind: '' }
    const seen = strongest.get(info.name)
    if (isStronger(row.mode, seen?.mode)) strongest.set(info.name, { ...info, oid: row.oid, mode: row.mode })
  }
  return [...strongest.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** `mode` is stronger than `than` (than any, when there is none). */
export function isStronger(mode: string, than: string | undefined): boolean {
  return than === undefined || MODES.indexOf(mode) > MODES.indexOf(than)
}

export async function lockTimeoutIsSet(engine: Engine): Promise<boolean> {
  const [row] = await engine.query<{ t: string }>("SELECT current_setting('lock_timeout') AS t")
  return row !== undefined && row.t !== '0'
}

export function isTableKind(kind: string): boolean {
  return kind === 'r' || kind === 'p'
}
