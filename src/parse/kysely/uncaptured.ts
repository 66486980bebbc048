// What a Kysely migration could run and did not, under the linter (issue 14). Running a migration shows
// only what it did in the linter's run: a branch on the environment (`if (process.env.CI)`, `isMainThread`),
// a guard on the data (`if (await tableExists(…))`), a builder patched by an earlier migration or a
// `try { … } catch {}` around a throwing one all keep a query from the recorder, and the migration then
// looked clean. Its text says what it can run: every call that sends a query (`.execute()`,
// `.executeTakeFirst()`, `.executeTakeFirstOrThrow()`, `.stream()`, `sql`…`.execute(db)`,
// `db.executeQuery(…)`) in up() or down(), or in a function of the same file they use, must have
// recorded a query at its place, or it is reported as not captured.
import type { LoadProblem, Location } from '../../model.js'
import { forEachChild, isFunction, oxcParser, stringValue, unwrap, type Node } from '../../usage/js-node.js'
import { LineIndex } from '../../util/line-index.js'
import type { Capture } from './capture.js'
import type { Frame, Part } from './protocol.js'

interface Span {
  start: number
  end: number
}

/** A call that sends a query to the database when it runs. */
interface QuerySite extends Span {
  /**
   * The innermost statement holding the call: where it is reported (a suppression goes above it), and
   * what a frame outside the call itself still names (an async frame at its `await`, a `for await` over
   * a stream).
   */
  statement: Span
}

/** What the walk over the module keeps: the query sites, the names used, and what is declared at its top. */
interface Outline {
  sites: QuerySite[]
  /** Every use of a name declared at the top of the module (calls, and functions passed as callbacks). */
  uses: { name: string; at: number }[]
  /** Top-level functions, consts and classes: the value's span (what running it can reach). */
  declared: Map<string, Node>
  /** The code of up() and down(), as Kysely's FileMigrationProvider finds them. */
  parts: Partial<Record<Part, Span>>
}

/** The methods that send the query their builder made (Kysely's Executable, sql`…`, Streamable). */
const RUNS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'])
/**
 * `.execute()` after these runs a callback or controls the transaction; nothing is compiled, so the
 * recorder sees nothing of its own (the queries inside the callback are sites of their own).
 */
const TRANSACTION_CONTROL = new Set(['transaction', 'connection', 'startTransaction', 'commit', 'rollback', 'savepoint', 'rollbackToSavepoint', 'releaseSavepoint'])
const TRANSACTION_SETTINGS = new Set(['setIsolationLevel', 'setAccessMode'])
/** Type syntax holds no code that runs. */
const TYPE_ONLY = new Set(['TSTypeAnnotation', 'TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSTypeParameterInstantiation', 'TSTypeParameterDeclaration', 'TSDeclareFunction'])

const PARTS: readonly Part[] = ['up', 'down']

/**
 * The query sites of the parts the capture ran that recorded nothing, as load problems at the site. A
 * part that stopped early (`failed`, `partial`) is already reported as not checked past its stop: only
 * the sites it reaches before that point are reported.
 */
export function uncapturedProblems(capture: Capture, file: string, text: string): LoadProblem[] {
  const ran = PARTS.filter(part => capture.exports?.[part])
  if (!ran.length) return []
  const lines = new LineIndex(text)
  const at = (start: number, end: number): Location => {
    const from = lines.position(start)
    const to = lines.position(end)
    return { file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column }
  }
  const parsed = outlineOf(file, text)
  if ('error' in parsed) {
    return [{ kind: 'uncaptured', part: 'up', reason: `its text does not parse (${parsed.error})`, loc: at(parsed.at, parsed.at) }]
  }
  const problems: LoadProblem[] = []
  for (const part of ran) {
    const root = parsed.parts[part]
    if (!root) {
      problems.push({ kind: 'uncaptured', part, reason: `the ${part}() it exports is not written in this file`, loc: at(0, 0) })
      continue
    }
    const offsetOf = (frame: Frame) => lines.offset(frame.line, frame.column)
    for (const site of partUncaptured(parsed, root, capture, part, offsetOf)) {
      problems.push({ kind: 'uncaptured', part, reason: 'it never ran under the linter', query: shortened(text.slice(site.start, site.end)), loc: at(site.statement.start, site.end) })
    }
  }
  return problems
}

function partUncaptured(outline: Outline, root: Span, capture: Capture, part: Part, offsetOf: (frame: Frame) => number | null): QuerySite[] {
  const entries = reachedFrom(outline, root)
  /** Where running the part reaches `offset`, in the part's own code: a helper is reached where it is first used. */
  const entryAt = (offset: number): number | null => {
    if (inside(offset, root)) return offset
    return helperEntry(offset)
  }
  const helperEntry = (offset: number): number | null => {
    let best: { span: Span; entry: number } | null = null
    for (const [name, entry] of entries) {
      const span = outline.declared.get(name)!
      if (inside(offset, span) && (!best || span.end - span.start < best.span.end - best.span.start)) best = { span, entry }
    }
    return best ? best.entry : null
  }

  // A site of the part's own code is passed once running gets to its end: the one the part stopped in
  // (a builder that threw) is the stop itself, not a query that never ran.
  const sites: { site: QuerySite; entry: number }[] = []
  for (const site of outline.sites) {
    const entry = inside(site.start, root) ? site.end - 1 : helperEntry(site.start)
    if (entry !== null) sites.push({ site, entry })
  }

  // Past the point where the part stopped nothing ran: migration-load-failed and the partial report say so.
  let stop = Infinity
  for (const { stage, problem } of capture.problems) {
    if (stage !== part) continue
    const offset = problem.frame ? offsetOf(problem.frame) : null
    const entry = offset === null ? null : entryAt(offset)
    // Stopped at no known place (a timeout, a crash): nothing of the part is known to have been reached.
    stop = Math.min(stop, entry ?? -Infinity)
  }

  const ran = new Set<QuerySite>()
  for (const query of capture[part]) {
    const frame = query.call ?? query.statement
    const offset = frame ? offsetOf(frame) : null
    if (offset !== null) for (const site of sitesAt(offset, sites)) ran.add(site)
  }
  return sites.filter(({ site, entry }) => !ran.has(site) && entry < stop).map(({ site }) => site)
}

/** The innermost site whose call holds the frame; else the sites of the innermost statement that holds it. */
function sitesAt(offset: number, sites: readonly { site: QuerySite }[]): QuerySite[] {
  let call: QuerySite | null = null
  for (const { site } of sites) if (inside(offset, site) && (!call || site.end - site.start < call.end - call.start)) call = site
  if (call) return [call]
  let found: QuerySite[] = []
  let size = Infinity
  for (const { site } of sites) {
    if (!inside(offset, site.statement)) continue
    const own = site.statement.end - site.statement.start
    if (own < size) [found, size] = [[site], own]
    else if (own === size) found.push(site)
  }
  return found
}

/**
 * The top-level declarations running `root` can reach, each with the earliest place in `root` from
 * which it is reached (through other declarations: where the first of them is used).
 */
function reachedFrom(outline: Outline, root: Span): Map<string, number> {
  const entries = new Map<string, number>()
  const helpers = [...outline.declared].filter(([, node]) => !overlaps(node, root))
  const spanOf = new Map(helpers)
  const queue: string[] = []
  const reach = (name: string, entry: number) => {
    if (!spanOf.has(name) || entry >= (entries.get(name) ?? Infinity)) return
    entries.set(name, entry)
    queue.push(name)
  }
  for (const use of outline.uses) if (inside(use.at, root)) reach(use.name, use.at)
  while (queue.length) {
    const name = queue.shift()!
    const span = spanOf.get(name)!
    const entry = entries.get(name)!
    for (const use of outline.uses) if (use.name !== name && inside(use.at, span)) reach(use.name, entry)
  }
  return entries
}

/**
 * Whether a migration's text has a syntax error: a module that failed to load for it needs its syntax
 * fixed (rule migration-load-failed), not a database, an environment or a timeout.
 */
export function hasSyntaxError(file: string, text: string): boolean {
  return 'error' in parseModule(file, text)
}

function parseModule(file: string, text: string): { program: Node } | { error: string; at: number } {
  const parsed = oxcParser().parseSync(file, text, { lang: /\.[cm]?tsx?$/.test(file) ? 'ts' : 'js', sourceType: 'module', preserveParens: false })
  const error = parsed.errors.find(e => e.severity === 'Error')
  return error ? { error: error.message, at: error.labels[0]?.start ?? 0 } : { program: parsed.program as Node }
}

function outlineOf(file: string, text: string): Outline | { error: string; at: number } {
  const parsed = parseModule(file, text)
  if ('error' in parsed) return parsed
  const { program } = parsed
  const declared = topLevelDeclarations(program)
  const { sites, uses } = walk(program, declared)
  return { sites, uses, declared, parts: partsOf(program, declared) }
}

/** One pass over the module, with an explicit stack: generated code can nest deeper than the JS stack. */
function walk(program: Node, declared: ReadonlyMap<string, Node>): Pick<Outline, 'sites' | 'uses'> {
  const sites: QuerySite[] = []
  const uses: Outline['uses'] = []
  // Two stacks side by side: a node, and the innermost statement around it.
  const nodes: Node[] = [program]
  const around: (Span | null)[] = [null]
  while (nodes.length) {
    const node = nodes.pop()!
    let statement = around.pop()!
    if (TYPE_ONLY.has(node.type)) continue
    if (isStatement(node.type)) statement = node
    if (node.type === 'CallExpression' && statement && sendsQuery(node)) sites.push({ start: node.start, end: node.end, statement: span(statement) })
    if (node.type === 'Identifier' && declared.has(node.name)) uses.push({ name: node.name, at: node.start })
    const record = node as unknown as Record<string, unknown>
    // Names that are not uses of a declaration: `a.name`, `{ name: … }`, `name() {}` in a class.
    const skipped = record.computed ? null : node.type === 'MemberExpression' ? record.property : 'key' in record ? record.key : null
    // `async trx => trx.schema….execute()`: the arrow's expression body is the statement.
    const body = node.type === 'ArrowFunctionExpression' && node.expression ? node.body : null
    forEachChild(node, child => {
      if (child === skipped) return
      nodes.push(child)
      around.push(child === body ? child : statement)
    })
  }
  return { sites, uses }
}

const statementTypes = new Map<string, boolean>()
/** `…Statement` and `…Declaration` nodes (memoised: asked of every node). */
function isStatement(type: string): boolean {
  let known = statementTypes.get(type)
  if (known === undefined) statementTypes.set(type, (known = /(?:Statement|Declaration)$/.test(type)))
  return known
}

/** `….execute()` and the other methods that run what their receiver built; `db.executeQuery(…)`. */
function sendsQuery(call: Node & { type: 'CallExpression' }): boolean {
  const callee = unwrap(call.callee)
  if (callee.type !== 'MemberExpression') return false
  const name = memberName(callee)
  if (name === 'executeQuery') return true
  if (name === null || !RUNS.has(name)) return false
  if (name === 'execute' && call.arguments.some(arg => isFunction(arg as Node))) return false
  return !controlsTransaction(unwrap(callee.object))
}

/** `db.transaction()`, `db.transaction().setIsolationLevel(…)`, `trx.commit()`, …: what `.execute()` is called on. */
function controlsTransaction(receiver: Node): boolean {
  for (let node = receiver; node.type === 'CallExpression'; ) {
    const callee = unwrap(node.callee)
    if (callee.type !== 'MemberExpression') return false
    const name = memberName(callee)
    if (name !== null && TRANSACTION_CONTROL.has(name)) return true
    if (name === null || !TRANSACTION_SETTINGS.has(name)) return false
    node = unwrap(callee.object)
  }
  return false
}

/** `a.name` or `a['name']`. */
function memberName(member: Node & { type: 'MemberExpression' }): string | null {
  if (!member.computed) return member.property.type === 'Identifier' ? member.property.name : null
  return stringValue(member.property as Node)
}

/** Functions, consts and classes declared at the top of the module, exported or not: what a part can call. */
function topLevelDeclarations(program: Node): Map<string, Node> {
  const declared = new Map<string, Node>()
  for (const statement of bodyOf(program)) {
    const node = exportedDeclaration(statement) ?? statement
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) declared.set(node.id.name, node)
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) if (d.id.type === 'Identifier' && d.init) declared.set(d.id.name, d.init as Node)
    }
  }
  return declared
}

/**
 * As Kysely's FileMigrationProvider takes them (migrationOf): the default export's up and down when it
 * has an up (`export default { up, down }`, `module.exports = {…}`), else the named exports
 * (`export async function up`, `export const up = …`, `export { migrateUp as up }`, `exports.up = …`).
 */
function partsOf(program: Node, declared: ReadonlyMap<string, Node>): Partial<Record<Part, Span>> {
  const named: Partial<Record<Part, Node>> = {}
  let byDefault: Partial<Record<Part, Node>> | null = null
  const resolve = (node: Node): Node => {
    // `const up = migrateUp`: a few hops at most, never round in a circle.
    for (let hops = 0, n = unwrap(node); hops < 8; hops++) {
      if (n.type !== 'Identifier' || !declared.has(n.name)) return n
      n = unwrap(declared.get(n.name)!)
    }
    return node
  }
  const fromObject = (value: Node): Partial<Record<Part, Node>> | null => {
    const object = resolve(value)
    if (object.type !== 'ObjectExpression') return null
    const found: Partial<Record<Part, Node>> = {}
    for (const property of object.properties) {
      if (property.type !== 'Property') continue
      const key = property.computed ? stringValue(property.key as Node) : property.key.type === 'Identifier' ? property.key.name : stringValue(property.key as Node)
      if (key === 'up' || key === 'down') found[key] = resolve(property.value as Node)
    }
    return found.up ? found : null
  }
  for (const statement of bodyOf(program)) {
    if (statement.type === 'ExportDefaultDeclaration') byDefault = fromObject(statement.declaration as Node) ?? byDefault
    // `export = { up, down }`: TypeScript's CommonJS export.
    if (statement.type === 'TSExportAssignment') byDefault = fromObject(statement.expression as Node) ?? byDefault
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration as Node | null
      if (declaration?.type === 'FunctionDeclaration' && (declaration.id?.name === 'up' || declaration.id?.name === 'down')) named[declaration.id.name] = declaration
      if (declaration?.type === 'VariableDeclaration') {
        for (const d of declaration.declarations) if (d.id.type === 'Identifier' && isPart(d.id.name) && d.init) named[d.id.name] = resolve(d.init as Node)
      }
      if (!statement.source) {
        for (const specifier of statement.specifiers) {
          const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : stringValue(specifier.exported as Node)
          if (exported && isPart(exported)) named[exported] = resolve(specifier.local as Node)
        }
      }
    }
    // CommonJS: `module.exports = {…}`, `exports.up = …`, `module.exports.up = …`.
    const assigned = commonJsExport(statement)
    if (assigned?.name === null) byDefault = fromObject(assigned.value) ?? byDefault
    else if (assigned && isPart(assigned.name)) named[assigned.name] = resolve(assigned.value)
  }
  const chosen = byDefault ?? named
  const parts: Partial<Record<Part, Span>> = {}
  for (const part of PARTS) {
    const node = chosen[part]
    // A name imported from elsewhere, or a value made at run time: its code is not in this file.
    if (node && node.type !== 'Identifier') parts[part] = span(node)
  }
  return parts
}

/** `module.exports = value` (name null), `exports.name = value`, `module.exports.name = value`. */
function commonJsExport(statement: Node): { name: string | null; value: Node } | null {
  if (statement.type !== 'ExpressionStatement') return null
  const assignment = unwrap(statement.expression as Node)
  if (assignment.type !== 'AssignmentExpression' || assignment.operator !== '=' || assignment.left.type !== 'MemberExpression') return null
  const target = assignment.left
  const value = assignment.right as Node
  const name = memberName(target)
  const object = unwrap(target.object as Node)
  const isIdentifier = (node: Node, id: string) => node.type === 'Identifier' && node.name === id
  if (isIdentifier(object, 'module') && name === 'exports') return { name: null, value }
  if (isIdentifier(object, 'exports')) return name === null ? null : { name, value }
  if (object.type === 'MemberExpression' && isIdentifier(unwrap(object.object as Node), 'module') && memberName(object) === 'exports') {
    return name === null ? null : { name, value }
  }
  return null
}

function exportedDeclaration(statement: Node): Node | null {
  if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') return (statement.declaration as Node | null) ?? null
  return null
}

const bodyOf = (program: Node): Node[] => (program.type === 'Program' ? (program.body as Node[]) : [])
const isPart = (name: string): name is Part => name === 'up' || name === 'down'
const span = (node: Node | Span): Span => ({ start: node.start, end: node.end })
const inside = (offset: number, s: Span) => offset >= s.start && offset < s.end
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end

/** The call as written, on one line and short enough for a message: `db.schema.dropTable('users')…execute()`. */
function shortened(code: string): string {
  const oneLine = code.replace(/\s*\n\s*/g, '').replace(/\s+/g, ' ')
  if (oneLine.length <= MAX_QUERY_TEXT) return oneLine
  const tail = /\.?[\w$]+\([^()]*\)$/.exec(oneLine)?.[0] ?? ''
  return `${oneLine.slice(0, MAX_QUERY_TEXT - tail.length - 1)}…${tail.replace(/^\./, '')}`
}

const MAX_QUERY_TEXT = 72
