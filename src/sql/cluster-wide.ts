// Statements that act beyond the one database a migration runs in (issue 14): on other databases, on
// roles (which every database of the server shares), on the server's configuration, files, programs
// and other sessions, or on another server. The rule cluster-wide-statement reports them, and verify
// refuses to run them (src/verify/refusal.ts). A function call is found anywhere in a statement,
// including the body of a function or DO block the statement makes or runs.
import type { Node } from '@pgsql/types'
import { parsePlPgSQLSync, parseSync } from '../parse/pg-parser.js'
import { constantString } from '../parse/do-block.js'
import { kindOf, nodeAs, strings, visit } from './ast.js'

export interface Reach {
  /** `DROP DATABASE other`, `ALTER ROLE app`, `pg_read_file()`: the statement or call, as written. */
  what: string
  /** What it reaches: `another database`, `roles, which every database on the server shares`, … */
  reaches: string
}

const DATABASES = 'databases of the server'
const ROLES = 'roles, which every database on the server shares'
const SERVER = "the server's configuration"
const FILES = "the server's file system"
const PROGRAMS = 'programs on the server'
const SESSIONS = 'other sessions on the server'
const OTHER_SERVER = 'another server'
const CODE = 'code that runs outside SQL with the server\'s rights'
const REPLICATION = 'replication, which the whole server shares'
const TABLESPACES = 'tablespaces, which every database on the server shares'

/** Functions by name (lower case, no schema); a `*` at the end matches a prefix. */
const FUNCTIONS: ReadonlyArray<readonly [string, string]> = [
  ['lo_import', FILES],
  ['lo_export', FILES],
  ['pg_read_file', FILES],
  ['pg_read_binary_file', FILES],
  ['pg_stat_file', FILES],
  ['pg_ls_*', FILES],
  ['pg_file_*', FILES],
  ['pg_logdir_ls', FILES],
  ['dblink*', OTHER_SERVER],
  ['pg_terminate_backend', SESSIONS],
  ['pg_cancel_backend', SESSIONS],
  ['pg_log_backend_memory_contexts', SESSIONS],
  ['pg_reload_conf', SERVER],
  ['pg_rotate_logfile', SERVER],
  ['pg_promote', SERVER],
  ['pg_switch_wal', SERVER],
  ['pg_create_restore_point', SERVER],
  ['pg_backup_start', SERVER],
  ['pg_backup_stop', SERVER],
  ['pg_start_backup', SERVER],
  ['pg_stop_backup', SERVER],
  ['pg_wal_replay_pause', SERVER],
  ['pg_wal_replay_resume', SERVER],
  ['pg_stat_reset_shared', SERVER],
  ['pg_stat_reset_slru', SERVER],
  ['pg_create_physical_replication_slot', REPLICATION],
  ['pg_create_logical_replication_slot', REPLICATION],
  ['pg_copy_physical_replication_slot', REPLICATION],
  ['pg_copy_logical_replication_slot', REPLICATION],
  ['pg_drop_replication_slot', REPLICATION],
  ['pg_replication_slot_advance', REPLICATION],
  ['pg_replication_origin_*', REPLICATION],
]

/** Catalogs that hold the server's secrets or files (password hashes, pg_hba.conf, postgresql.conf). */
const RELATIONS = new Map([
  ['pg_authid', ROLES],
  ['pg_shadow', ROLES],
  ['pg_hba_file_rules', FILES],
  ['pg_ident_file_mappings', FILES],
  ['pg_file_settings', FILES],
])

/** Extensions whose purpose is to reach outside the database (other servers, files, other languages' code). */
const EXTENSIONS = new Map([
  ['dblink', OTHER_SERVER],
  ['postgres_fdw', OTHER_SERVER],
  ['file_fdw', FILES],
  ['adminpack', FILES],
])

/** Languages in which a function runs outside SQL with the server's operating-system rights. */
const UNTRUSTED_LANGUAGE = /^(c|internal|pl\w*u|plpython\w*u)$/

const SHARED_OBJECTS: Readonly<Record<string, [string, string]>> = {
  OBJECT_DATABASE: ['DATABASE', DATABASES],
  OBJECT_ROLE: ['ROLE', ROLES],
  OBJECT_TABLESPACE: ['TABLESPACE', TABLESPACES],
  OBJECT_PARAMETER_ACL: ['PARAMETER', SERVER],
  OBJECT_SUBSCRIPTION: ['SUBSCRIPTION', OTHER_SERVER],
}

/**
 * What the statement reaches beyond its database, or null. `sql` is the statement's text: the bodies
 * of PL/pgSQL functions and DO blocks are read from it. With `statementsInDo: false`, the SQL
 * statements a DO block runs are left out (the lint checks them as statements of their own,
 * Statement.inner); its expressions (PERFORM, assignments, conditions) are still read.
 */
export function reachBeyondDatabase(ast: Node | null | undefined, sql: string, options: { statementsInDo?: boolean } = {}): Reach | null {
  if (!ast) return null
  const own = statementReach(ast)
  if (own) return own
  let found: Reach | null = null
  visit(ast, (node, kind) => {
    if (kind === 'FuncCall') found ??= callReach(node)
    else if (kind === 'RangeVar') found ??= relationReach(node)
  })
  if (found) return found
  const fn = nodeAs(ast, 'CreateFunctionStmt')
  if (fn) return functionBodyReach(fn.options ?? [], sql)
  const doStmt = nodeAs(ast, 'DoStmt')
  if (doStmt && (languageOf(doStmt.args ?? []) ?? 'plpgsql') === 'plpgsql') {
    return plpgsqlReach(sql, options.statementsInDo ?? true).reach
  }
  return null
}

/**
 * Why the code a statement makes or runs cannot be proven to stay in its database: a DO block or
 * function whose body builds SQL at run time (EXECUTE of a computed string), is in a language other
 * than SQL and PL/pgSQL, or does not parse. Null when it can be read through (or is no such statement).
 */
export function unprovableBody(ast: Node | null | undefined, sql: string): string | null {
  const doStmt = nodeAs(ast, 'DoStmt')
  const fn = nodeAs(ast, 'CreateFunctionStmt')
  if (!doStmt && !fn) return null
  const what = doStmt ? 'the DO block' : `the function ${strings(fn?.funcname).join('.')}`
  const language = languageOf(doStmt?.args ?? fn?.options ?? []) ?? (doStmt ? 'plpgsql' : 'sql')
  if (language === 'sql') return null
  if (language !== 'plpgsql') return `${what} is in language ${language}, whose code is not read`
  const { dynamic, unparsed } = plpgsqlReach(sql, true)
  if (unparsed) return `${what} does not parse as PL/pgSQL`
  return dynamic ? `${what} runs SQL built at run time (EXECUTE ${dynamic})` : null
}

function statementReach(ast: Node): Reach | null {
  const kind = kindOf(ast)
  switch (kind) {
    case 'CreatedbStmt':
      return { what: `CREATE DATABASE ${nodeAs(ast, 'CreatedbStmt')?.dbname ?? ''}`.trim(), reaches: DATABASES }
    case 'DropdbStmt':
      return { what: `DROP DATABASE ${nodeAs(ast, 'DropdbStmt')?.dbname ?? ''}`.trim(), reaches: DATABASES }
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseSetStmt':
    case 'AlterDatabaseRefreshCollStmt': {
      const db = (ast as Record<string, { dbname?: string }>)[kind].dbname ?? ''
      return { what: `ALTER DATABASE ${db}`.trim(), reaches: DATABASES }
    }
    case 'CreateRoleStmt':
      return { what: `CREATE ROLE ${nodeAs(ast, 'CreateRoleStmt')?.role ?? ''}`.trim(), reaches: ROLES }
    case 'AlterRoleStmt':
      return { what: `ALTER ROLE ${roleName(nodeAs(ast, 'AlterRoleStmt')?.role)}`.trim(), reaches: ROLES }
    case 'AlterRoleSetStmt':
      return { what: `ALTER ROLE ${roleName(nodeAs(ast, 'AlterRoleSetStmt')?.role) || 'ALL'} SET`, reaches: ROLES }
    case 'DropRoleStmt':
      return { what: 'DROP ROLE', reaches: ROLES }
    case 'GrantRoleStmt':
      return { what: nodeAs(ast, 'GrantRoleStmt')?.is_grant ? 'GRANT of a role' : 'REVOKE of a role', reaches: ROLES }
    case 'ReassignOwnedStmt':
      return { what: 'REASSIGN OWNED', reaches: ROLES }
    case 'DropOwnedStmt':
      return { what: 'DROP OWNED', reaches: ROLES }
    case 'AlterSystemStmt':
      return { what: 'ALTER SYSTEM', reaches: SERVER }
    case 'LoadStmt':
      return { what: 'LOAD', reaches: CODE }
    case 'CreateTableSpaceStmt':
      return { what: 'CREATE TABLESPACE', reaches: TABLESPACES }
    case 'DropTableSpaceStmt':
      return { what: 'DROP TABLESPACE', reaches: TABLESPACES }
    case 'AlterTableSpaceOptionsStmt':
      return { what: 'ALTER TABLESPACE', reaches: TABLESPACES }
    case 'CreateSubscriptionStmt':
    case 'AlterSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return { what: `${kind.startsWith('Create') ? 'CREATE' : kind.startsWith('Alter') ? 'ALTER' : 'DROP'} SUBSCRIPTION`, reaches: OTHER_SERVER }
    case 'CreateForeignServerStmt':
      return { what: 'CREATE SERVER', reaches: OTHER_SERVER }
    case 'AlterForeignServerStmt':
      return { what: 'ALTER SERVER', reaches: OTHER_SERVER }
    case 'CreateUserMappingStmt':
    case 'AlterUserMappingStmt':
      return { what: `${kind.startsWith('Create') ? 'CREATE' : 'ALTER'} USER MAPPING`, reaches: OTHER_SERVER }
    case 'ImportForeignSchemaStmt':
      return { what: 'IMPORT FOREIGN SCHEMA', reaches: OTHER_SERVER }
    case 'CopyStmt': {
      const copy = nodeAs(ast, 'CopyStmt')
      if (!copy?.filename && !copy?.is_program) return null
      const direction = copy.is_from ? 'FROM' : 'TO'
      return copy.is_program ? { what: `COPY … ${direction} PROGRAM`, reaches: PROGRAMS } : { what: `COPY … ${direction} '${copy.filename}'`, reaches: FILES }
    }
    case 'VariableSetStmt': {
      const set = nodeAs(ast, 'VariableSetStmt')
      if (set?.kind !== 'VAR_SET_VALUE') return null
      if (set.name === 'role') return { what: 'SET ROLE', reaches: ROLES }
      if (set.name === 'session_authorization') return { what: 'SET SESSION AUTHORIZATION', reaches: ROLES }
      return null
    }
    case 'CreateExtensionStmt': {
      const name = nodeAs(ast, 'CreateExtensionStmt')?.extname ?? ''
      const reaches = EXTENSIONS.get(name.toLowerCase()) ?? (UNTRUSTED_LANGUAGE.test(name.toLowerCase()) ? CODE : null)
      return reaches ? { what: `CREATE EXTENSION ${name}`, reaches } : null
    }
    case 'CreatePLangStmt': {
      const lang = nodeAs(ast, 'CreatePLangStmt')
      return lang && !lang.pltrusted ? { what: `CREATE LANGUAGE ${lang.plname ?? ''}`.trim(), reaches: CODE } : null
    }
    case 'CreateFunctionStmt': {
      const fn = nodeAs(ast, 'CreateFunctionStmt')
      const language = languageOf(fn?.options ?? []) ?? 'sql'
      return UNTRUSTED_LANGUAGE.test(language) ? { what: `CREATE FUNCTION ${strings(fn?.funcname).join('.')} … LANGUAGE ${language}`, reaches: CODE } : null
    }
    case 'RenameStmt': {
      const rename = nodeAs(ast, 'RenameStmt')
      const shared = SHARED_OBJECTS[rename?.renameType ?? '']
      return shared ? { what: `ALTER ${shared[0]} ${rename?.subname ?? ''} RENAME`, reaches: shared[1] } : null
    }
    case 'AlterOwnerStmt': {
      const shared = SHARED_OBJECTS[nodeAs(ast, 'AlterOwnerStmt')?.objectType ?? '']
      return shared ? { what: `ALTER ${shared[0]} … OWNER TO`, reaches: shared[1] } : null
    }
    case 'CommentStmt':
    case 'SecLabelStmt': {
      const shared = SHARED_OBJECTS[(ast as Record<string, { objtype?: string }>)[kind].objtype ?? '']
      return shared ? { what: `${kind === 'CommentStmt' ? 'COMMENT' : 'SECURITY LABEL'} ON ${shared[0]}`, reaches: shared[1] } : null
    }
    case 'GrantStmt': {
      const grant = nodeAs(ast, 'GrantStmt')
      const shared = SHARED_OBJECTS[grant?.objtype ?? '']
      return shared ? { what: `${grant?.is_grant ? 'GRANT' : 'REVOKE'} … ON ${shared[0]}`, reaches: shared[1] } : null
    }
    default:
      return null
  }
}

function callReach(node: Node): Reach | null {
  const call = nodeAs(node, 'FuncCall')
  if (!call) return null
  const names = strings(call.funcname)
  const name = (names[names.length - 1] ?? '').toLowerCase()
  const reaches = functionReach(name)
  if (reaches) return { what: `${name}()`, reaches }
  // set_config('role', …) is SET ROLE.
  if (name === 'set_config') {
    const setting = nodeAs(call.args?.[0], 'A_Const')?.sval?.sval?.toLowerCase()
    if (setting === undefined) return { what: 'set_config() of a computed setting', reaches: ROLES }
    if (setting === 'role' || setting === 'session_authorization') return { what: `set_config('${setting}', …)`, reaches: ROLES }
  }
  return null
}

function functionReach(name: string): string | null {
  for (const [pattern, reaches] of FUNCTIONS) {
    if (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return reaches
  }
  return null
}

function relationReach(node: Node): Reach | null {
  const name = nodeAs(node, 'RangeVar')?.relname?.toLowerCase()
  const reaches = name === undefined ? undefined : RELATIONS.get(name)
  return reaches ? { what: `reading ${name}`, reaches } : null
}

function roleName(role: { rolename?: string; roletype?: string } | undefined): string {
  if (!role) return ''
  if (role.rolename) return role.rolename
  return ({ ROLESPEC_CURRENT_USER: 'CURRENT_USER', ROLESPEC_SESSION_USER: 'SESSION_USER', ROLESPEC_CURRENT_ROLE: 'CURRENT_ROLE', ROLESPEC_PUBLIC: 'PUBLIC' } as Record<string, string>)[role.roletype ?? ''] ?? ''
}

function languageOf(options: Node[]): string | null {
  const language = options.map(o => nodeAs(o, 'DefElem')).find(d => d?.defname === 'language')
  return nodeAs(language?.arg, 'String')?.sval?.toLowerCase() ?? null
}

/** A SQL function's body (`AS $$ … $$`) is SQL text; a PL/pgSQL one is read statement by statement. */
function functionBodyReach(options: Node[], sql: string): Reach | null {
  const language = languageOf(options) ?? 'sql'
  if (language === 'plpgsql') return plpgsqlReach(sql, true).reach
  if (language !== 'sql') return null
  const as = options.map(o => nodeAs(o, 'DefElem')).find(d => d?.defname === 'as')
  const body = strings(nodeAs(as?.arg, 'List')?.items)[0]
  return body === undefined ? null : sqlTextReach(body)
}

/** Every statement of a SQL text; null when none reaches out (or the text does not parse: Postgres refuses it too). */
function sqlTextReach(text: string): Reach | null {
  let stmts
  try {
    stmts = parseSync(text).stmts ?? []
  } catch {
    return null
  }
  for (const s of stmts) {
    const reach = s.stmt ? reachBeyondDatabase(s.stmt, text.slice(s.stmt_location ?? 0, s.stmt_len ? (s.stmt_location ?? 0) + s.stmt_len : undefined)) : null
    if (reach) return reach
  }
  return null
}

interface BodyReading {
  reach: Reach | null
  /** The first EXECUTE of a computed string, shortened; null when there is none. */
  dynamic: string | null
  unparsed: boolean
}

// PLpgSQL_expr.parseMode: 0 a whole statement, 2 an expression, 3-5 an assignment `target := expression`.
const STATEMENT_MODE = 0
const EXPRESSION_MODE = 2

/** Reads the PL/pgSQL body of a CREATE FUNCTION or DO text: its statements, its expressions, its EXECUTEs. */
function plpgsqlReach(sql: string, statements: boolean): BodyReading {
  let tree: unknown
  try {
    tree = parsePlPgSQLSync(sql)
  } catch {
    return { reach: null, dynamic: null, unparsed: true }
  }
  const reading: BodyReading = { reach: null, dynamic: null, unparsed: false }
  const walk = (node: unknown, key: string | null): void => {
    if (Array.isArray(node)) return node.forEach(n => walk(n, key))
    if (!node || typeof node !== 'object') return
    const expr = (node as { PLpgSQL_expr?: { query?: string; parseMode?: number } }).PLpgSQL_expr
    if (expr) {
      const query = expr.query ?? ''
      if (key === 'dynexecute') {
        const constant = constantString(query)?.value ?? null
        if (constant === null) reading.dynamic ??= short(query)
        else reading.reach ??= sqlTextReach(constant)
      } else if (key !== 'execsql' || statements) {
        reading.reach ??= expressionReach(query, expr.parseMode ?? STATEMENT_MODE)
      }
      return
    }
    for (const [k, value] of Object.entries(node)) {
      const next = k === 'PLpgSQL_stmt_execsql' ? 'execsql' : k === 'PLpgSQL_stmt_dynexecute' || k === 'PLpgSQL_stmt_dynfors' ? 'dynexecute' : key
      walk(value, next)
    }
  }
  walk(tree, null)
  return reading
}

function expressionReach(query: string, mode: number): Reach | null {
  const text = mode === STATEMENT_MODE ? query : `SELECT ${mode === EXPRESSION_MODE ? query : query.replace(/^[^=]*?:?=/, '')}`
  let stmts
  try {
    stmts = parseSync(text).stmts ?? []
  } catch {
    // What does not parse as SQL: its words are still checked for the functions above.
    const word = /[A-Za-z_][A-Za-z_0-9$]*/g
    for (const name of text.toLowerCase().match(word) ?? []) {
      const reaches = functionReach(name)
      if (reaches) return { what: `${name}()`, reaches }
    }
    return null
  }
  for (const s of stmts) {
    const reach = s.stmt ? reachBeyondDatabase(s.stmt, text) : null
    if (reach) return reach
  }
  return null
}

/** The SQL of an EXECUTE whose argument is a string constant; null when it is computed. */
function short(expr: string): string {
  const text = expr.replace(/\s+/g, ' ').trim()
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
