// Builders handed to helper functions (issue 13): `function activeOnly(qb) { return qb.where(…) }`,
// called as `activeOnly(db.selectFrom('users'))` or `db.selectFrom('users').$call(activeOnly)`.
// A column a helper names belongs to the tables of the builder it is handed. Two sources say which:
// each call in the same file (its reading follows the call into the helper, kysely-chain.ts), and
// the parameter's type (`SelectQueryBuilder<DB, 'users', O>`), which is all that a file declaring a
// helper others import can know: the scan reads one file at a time. Known neither way, each column is
// unresolved for any table, never dropped.
import { builderType, isPlainValueType, type BuilderType, type TypeNames } from './builder-types.js'
import type { FileContext } from './file-context.js'
import { forEachChild, identifierName, methodOf, oxcParser, returnedExpressions, unrollChain, unwrap, type Node } from './js-node.js'
import type { QueryState } from './query-state.js'
import { normalizeTable } from './table-scope.js'

/** A parameter of one of the file's functions that is handed a query builder or an expression builder. */
export interface HelperParam {
  readonly fn: Node
  readonly fnName: string
  readonly index: number
  readonly name: string
  readonly role: 'builder' | 'expression'
  readonly type: BuilderType | null
  /**
   * How a use of the parameter is read when no call is being followed into the function:
   * `typed`: with the tables its type names. `calls`: only calls in this file hand it a builder,
   * and following them reads what the function returns (held until then). `unknown`: exported or
   * passed on, and its type names no table: unresolved. `followed`: nothing says it is Kysely
   * (no type, no Kysely method): read only when a call in this file hands it a builder.
   */
  readonly mode: 'typed' | 'calls' | 'unknown' | 'followed'
}

export interface HelperIndex {
  /** The helper parameters of each function, by its node. */
  readonly byFunction: Map<Node, HelperParam[]>
  /** The same, by parameter name: a chain that starts at one of them continues its builder. */
  readonly byName: Map<string, HelperParam[]>
  /** Calls being followed into a function (a helper, or a `$call` callback), innermost last. */
  readonly following: { fn: Node; name: string; state: QueryState }[]
  /** Functions being followed: a helper that calls itself is not followed again. */
  readonly inside: Set<Node>
  /** Query sites of `calls` helpers: the walk skips them (they are done); a followed call reads them. */
  readonly held: Set<Node>
  /** Records already given while following or reading helpers: two calls with the same tables give one. */
  readonly given: Set<string>
  depth: number
  readonly states: Map<HelperParam, QueryState>
}

/** How functions were declared: only a function that nothing outside the file can call is known by its calls. */
export interface Declared {
  /** Exported, class methods that are not private, `export default` ones. */
  readonly reachable: ReadonlySet<string>
}

const BUILDER_TYPE_WORDS = /QueryBuilder<|ExpressionBuilder<|WhereInterface<|HavingInterface</
/** A file that starts a Kysely query, imports Kysely or calls what only a Kysely builder has. */
const KYSELY_FILE = /\b(?:selectFrom|insertInto|updateTable|deleteFrom)\(|from\s+['"]kysely['"]|require\(\s*['"]kysely['"]|\$call\(|\$if\(/

/** Methods only a Kysely builder has among those a helper calls (`set`, `values`, `as` are everybody's). */
const KYSELY_LINKS = new Set([
  'select', 'selectAll', 'distinctOn', 'where', 'whereRef', 'orWhere', 'orWhereRef', 'having', 'havingRef',
  'orderBy', 'groupBy', 'returning', 'returningAll', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin',
  'crossJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral', 'onConflict', 'doUpdateSet',
  '$if', '$call', '$narrowType', '$castTo', 'clearWhere', 'clearSelect', 'clearOrderBy',
])
/** What an expression builder is called with: `eb.and([…])`, `eb.exists(…)`, `eb.ref('a')`. */
const EXPRESSION_LINKS = new Set([
  'and', 'or', 'not', 'exists', 'ref', 'fn', 'case', 'cast', 'between', 'betweenSymmetric', 'parens',
  'selectFrom', 'val', 'lit', 'unary', 'neg', 'tuple', 'refTuple', 'jsonPath',
])

/**
 * Finds the parameters of the file's functions that are handed a builder (`program`: the file, for the
 * calls of its own helpers), before the walk. Cheap when there is none: a parameter qualifies only when
 * the function's text calls a method on it.
 */
export function findHelpers(program: Node, ctx: FileContext, declared: Declared): void {
  const found: { name: string; fn: Node; params: { index: number; name: string; uses: ParamUses }[] }[] = []
  for (const [name, fn] of ctx.functions) {
    const params = candidateParams(fn, ctx.text)
    if (params.length) found.push({ name, fn, params })
  }
  if (found.length === 0) return
  // Only a file that spells a builder type (or an alias of one) has types worth a second parse.
  const types = BUILDER_TYPE_WORDS.test(ctx.text) ? signatureTypes(ctx) : null
  const tentative: HelperParam[] = []
  let kyselyFile: boolean | undefined
  for (const { name: fnName, fn, params } of found) {
    const typed = types?.functions.get(fn.start)
    for (const { index, name, uses } of params) {
      const annotation = typed ? paramAnnotation(typed, index) : null
      if (isPlainValueType(annotation)) continue
      const type = types && annotation ? builderType(annotation, { ...types.names, parameters: typeParameters(typed) }) : null
      const kyselyLinks = uses.links.some(l => KYSELY_LINKS.has(l))
      const expressionUse = uses.called || uses.links.some(l => EXPRESSION_LINKS.has(l))
      const role = type?.role ?? (!kyselyLinks && expressionUse ? 'expression' : 'builder')
      // Untyped, an expression builder is just a function called with arguments: only its calls tell; and
      // `qb.where(…)` is knex's too: only a file that shows Kysely says it is Kysely's.
      const kysely = type !== null || (role === 'builder' && kyselyLinks && (kyselyFile ??= KYSELY_FILE.test(ctx.text)))
      const mode = type?.tables ? 'typed' : !kysely ? 'followed' : declared.reachable.has(fnName) ? 'unknown' : 'calls'
      tentative.push({ fn, fnName, index, name, role, type, mode })
    }
  }
  if (tentative.length === 0) return
  const local = new Set(tentative.filter(p => p.mode === 'calls').map(p => p.fnName))
  const passedOn = local.size ? namesPassedOn(program, local) : new Set<string>()
  const index = helpersOf(ctx)
  for (const param of tentative) {
    const settled: HelperParam = param.mode === 'calls' && passedOn.has(param.fnName) ? { ...param, mode: 'unknown' } : param
    push(index.byFunction, settled.fn, settled)
    push(index.byName, settled.name, settled)
    if (settled.mode === 'calls' && settled.role === 'builder') holdReturned(settled, index, ctx)
  }
}

/** The index, made on first use: a `$call(qb => …)` callback is followed in files without helpers too. */
export function helpersOf(ctx: FileContext): HelperIndex {
  ctx.helpers ??= {
    byFunction: new Map(),
    byName: new Map(),
    following: [],
    inside: new Set(),
    held: new Set(),
    given: new Set(),
    depth: 0,
    states: new Map(),
  }
  return ctx.helpers
}

/** The builder parameters of a function of the file, for a call of it. */
export function builderParams(fn: Node, ctx: FileContext): readonly HelperParam[] {
  return ctx.helpers?.byFunction.get(fn)?.filter(p => p.role === 'builder') ?? []
}

/** True when `fn` takes an expression builder: a call or a mention of it in an expression reads what it returns. */
export function isExpressionHelper(fn: Node, ctx: FileContext): boolean {
  return ctx.helpers?.byFunction.get(fn)?.some(p => p.role === 'expression') ?? false
}

/**
 * The builder a chain starting at `name` (at offset `at`) continues, when `name` is the parameter of
 * a function followed from a call or of a helper read on its own; null otherwise.
 */
export function boundBuilder(name: string, at: number, ctx: FileContext): QueryState | null {
  const index = ctx.helpers
  if (!index) return null
  for (let i = index.following.length - 1; i >= 0; i--) {
    const { fn, name: bound, state } = index.following[i]
    if (bound === name && fn.start <= at && at < fn.end) return state
  }
  const param = index.byName.get(name)?.find(p => p.role === 'builder' && p.fn.start <= at && at < p.fn.end)
  if (!param || param.mode === 'followed') return null
  return helperState(param, ctx)
}

/** The state a parameter's uses are read with on their own: its type's tables, or unknown ones. */
export function helperState(param: HelperParam, ctx: FileContext): QueryState {
  const index = helpersOf(ctx)
  let state = index.states.get(param)
  if (!state) {
    state = param.mode === 'typed' && param.type?.tables ? typedState(param.type, param.type.tables) : unknownState(param)
    index.states.set(param, state)
  }
  return state
}

/** A builder whose tables nothing in the file says: each column read through it is unresolved. */
export function unknownBuilder(root: QueryState['root'], whose: string, why: string): QueryState {
  return {
    root,
    scope: { entries: [], ctes: [], parent: null, unknown: `of ${whose}: its tables are not known (${why})` },
    targets: [],
    insert: null,
    schema: null,
  }
}

/** Follows a call into `fn`: its parameter `name` holds `state` meanwhile; null when `fn` is followed already. */
export function following<T>(fn: Node, name: string, state: QueryState, ctx: FileContext, read: () => T): T | null {
  const index = helpersOf(ctx)
  if (index.inside.has(fn)) return null
  index.inside.add(fn)
  index.following.push({ fn, name, state })
  try {
    // An inline callback is read once; only a helper of the file can be read again.
    return index.byFunction.has(fn) ? onceEach(ctx, read) : read()
  } finally {
    index.following.pop()
    index.inside.delete(fn)
  }
}

/** Reads `fn` for an expression (`where(isActive)`), unless it is being read already. */
export function insideOnce(fn: Node, ctx: FileContext, read: () => void): void {
  const index = helpersOf(ctx)
  if (index.inside.has(fn)) return
  index.inside.add(fn)
  try {
    onceEach(ctx, read)
  } finally {
    index.inside.delete(fn)
  }
}

/**
 * Runs `read` and keeps only the records it adds that were not given before inside a helper: a helper
 * called twice with the same tables, or read from its type and followed from a call, gives one record.
 */
export function onceEach<T>(ctx: FileContext, read: () => T): T {
  const index = helpersOf(ctx)
  if (index.depth > 0) return read()
  const [usages, unresolved] = [ctx.usages.length, ctx.unresolved.length]
  index.depth++
  try {
    return read()
  } finally {
    index.depth--
    keepFirst(ctx.usages, usages, u => `u\0${u.table}\0${u.column}\0${u.kind}\0${u.loc.line}\0${u.loc.column}`, index.given)
    keepFirst(ctx.unresolved, unresolved, x => `x\0${x.line}\0${x.column}\0${x.reason}\0${x.table ?? ''}\0${x.anyTable ?? ''}`, index.given)
  }
}

function keepFirst<T>(items: T[], from: number, key: (item: T) => string, seen: Set<string>): void {
  let kept = from
  for (let i = from; i < items.length; i++) {
    const k = key(items[i])
    if (seen.has(k)) continue
    seen.add(k)
    items[kept++] = items[i]
  }
  items.length = kept
}

/** The name of a function's parameter at `index`, when it is a plain identifier (with or without a default). */
export function paramName(fn: Node, index: number): string | null {
  const n = unwrap(fn)
  if (n.type !== 'ArrowFunctionExpression' && n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration') return null
  const param = n.params[index] as Node | undefined
  if (!param) return null
  return param.type === 'AssignmentPattern' ? identifierName(param.left as Node) : identifierName(param)
}

function typedState(type: BuilderType, tables: readonly string[]): QueryState {
  return {
    root: type.root,
    scope: { entries: tables.map(t => ({ name: t, table: normalizeTable(t) })), ctes: [], parent: null },
    targets: (type.root === 'select' ? [] : (type.targets ?? tables)).map(normalizeTable),
    insert: null,
    schema: null,
  }
}

function unknownState(param: HelperParam): QueryState {
  const why =
    param.mode === 'calls'
      ? 'the calls in this file are followed into what it returns, not into this statement'
      : 'its type does not name them, and it can be called from other files'
  return unknownBuilder(param.type?.root ?? 'select', `${param.fnName}()'s parameter ${param.name}`, why)
}

interface ParamUses {
  /** Methods called on the parameter (`qb.where(…)` → where). */
  links: string[]
  /** Called itself: `eb('a', '=', 1)`. */
  called: boolean
}

/** Parameters the function calls a method on (or calls), with what it calls. */
function candidateParams(fn: Node, text: string): { index: number; name: string; uses: ParamUses }[] {
  const n = unwrap(fn)
  if (n.type !== 'ArrowFunctionExpression' && n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration') return []
  if (!n.body) return []
  const body = text.slice(n.body.start, n.body.end)
  const out: { index: number; name: string; uses: ParamUses }[] = []
  n.params.forEach((_, index) => {
    const name = paramName(n, index)
    if (name === null || !usedAsReceiver(body, name)) return
    const uses = usesOf(n.body as Node, name)
    if (uses.links.length || uses.called) out.push({ index, name, uses })
  })
  return out
}

/** `qb.where(`, `qb\n  .where(`, `eb(`: a cheap test before looking at the function's nodes. */
function usedAsReceiver(body: string, name: string): boolean {
  if (!body.includes(name)) return false
  const escaped = name.replace(/\$/g, '\\$')
  return new RegExp(`(?<![\\w$.])${escaped}\\s*(?:\\??\\.\\s*[\\w$]+\\s*)?\\(`).test(body)
}

function usesOf(body: Node, name: string): ParamUses {
  const uses: ParamUses = { links: [], called: false }
  const stack: Node[] = [body]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'CallExpression') {
      if (identifierName(node.callee) === name) uses.called = true
      const { base, calls } = unrollChain(node)
      if (calls.length && identifierName(base) === name) uses.links.push(calls[0].name)
    }
    forEachChild(node, child => stack.push(child))
  }
  return uses
}

/**
 * Names of `local` functions used other than as a callee or as the callback of a method call
 * (`$call(activeOnly)`, `where(isActive)`): passed on as values (`export { activeOnly }`, `{ activeOnly }`),
 * so that code this file does not see may call them.
 */
function namesPassedOn(program: Node, local: ReadonlySet<string>): Set<string> {
  const called = new Set<Node>()
  const passed = new Set<string>()
  const stack: Node[] = [program]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'CallExpression') {
      called.add(calledName(node.callee))
      const method = methodOf(node)?.name
      // `$call(activeOnly)`, `where(isActive)`: a builder's link reads it; `items.map(activeOnly)` passes it on.
      if (method && (KYSELY_LINKS.has(method) || EXPRESSION_LINKS.has(method))) for (const arg of node.arguments as Node[]) called.add(calledName(arg))
    } else if (node.type === 'Identifier' && local.has(node.name) && !called.has(node)) passed.add(node.name)
    // The declaration's own name is no use of it.
    if (node.type === 'FunctionDeclaration' && node.body) stack.push(node.body as Node, ...(node.params as Node[]))
    else if (node.type === 'VariableDeclarator') {
      if (node.init) stack.push(node.init as Node)
      if (node.id.type !== 'Identifier') stack.push(node.id as Node)
    } else if (node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') {
      if (node.value) stack.push(node.value as Node)
    } else forEachChild(node, child => stack.push(child))
  }
  return passed
}

/** `activeOnly` → itself; `this.activeOnly` → its property: the identifier that names the function. */
function calledName(node: Node): Node {
  const n = unwrap(node)
  return n.type === 'MemberExpression' && !n.computed && unwrap(n.object).type === 'ThisExpression' ? (n.property as Node) : n
}

/** Holds the query sites of what a `calls` helper returns for its calls to read (kysely-chain.ts follows them). */
function holdReturned(param: HelperParam, index: HelperIndex, ctx: FileContext): void {
  for (const returned of returnedExpressions(param.fn)) {
    if (!usedAsReceiver(ctx.text.slice(returned.start, returned.end), param.name)) continue
    const stack: Node[] = [returned]
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.type === 'CallExpression' || node.type === 'TaggedTemplateExpression') {
        index.held.add(node)
        ctx.done.add(node)
      }
      forEachChild(node, child => stack.push(child))
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

// ---------------------------------------------------------------------------------------------------
// Parameter types. The walk's AST has none (oxc's `js` AST drops them, and is cheaper for every file);
// a file with helper candidates is parsed again as TypeScript for its signatures only.

interface SignatureTypes {
  /** TypeScript function nodes by start offset (the same in both ASTs). */
  functions: Map<number, Node>
  names: Omit<TypeNames, 'parameters'>
}

function signatureTypes(ctx: FileContext): SignatureTypes | null {
  const lang = /\.[cm]?ts$/.test(ctx.file) ? 'ts' : ctx.file.endsWith('.tsx') ? 'tsx' : null
  if (lang === null) return null
  const program = oxcParser().parseSync(ctx.file, ctx.text, { lang, astType: 'ts', preserveParens: false }).program as Node
  const functions = new Map<number, Node>()
  const aliases = new Map<string, Node>()
  if (program.type !== 'Program') return null
  forEachTopLevelFunction(program, ctx.text, (_, fn) => functions.set(fn.start, fn))
  for (const statement of program.body as Node[]) {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? (statement.declaration as Node) : statement
    if (declaration.type === 'TSTypeAliasDeclaration') aliases.set(declaration.id.name, declaration.typeAnnotation as Node)
  }
  return { functions, names: { aliases } }
}

function paramAnnotation(fn: Node, index: number): Node | null {
  const n = unwrap(fn)
  if (n.type !== 'ArrowFunctionExpression' && n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration') return null
  const param = n.params[index] as (Node & { typeAnnotation?: Node | null }) | undefined
  return param?.typeAnnotation ?? null
}

function typeParameters(fn: Node | undefined): Map<string, Node | null> {
  const out = new Map<string, Node | null>()
  const declaration = fn ? (unwrap(fn) as Node & { typeParameters?: { params: Node[] } | null }).typeParameters : null
  for (const p of declaration?.params ?? []) {
    if (p.type === 'TSTypeParameter') out.set(p.name.name, (p.constraint as Node | null) ?? null)
  }
  return out
}

/**
 * Calls `visit` for each function declared at the top of the file and each method of its classes,
 * with whether code outside the file can reach it (exported, or a method that is not private).
 */
export function forEachTopLevelFunction(program: Node, text: string, visit: (name: string, fn: Node, reachable: boolean) => void): void {
  if (program.type !== 'Program') return
  for (const statement of program.body as Node[]) declared(statement, false, text, visit)
}

function declared(node: Node, exported: boolean, text: string, visit: (name: string, fn: Node, reachable: boolean) => void): void {
  switch (node.type) {
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      if (node.declaration) declared(node.declaration as Node, true, text, visit)
      return
    case 'FunctionDeclaration':
      if (node.id) visit(node.id.name, node, exported)
      return
    case 'VariableDeclaration':
      for (const d of node.declarations) {
        const init = d.init ? unwrap(d.init) : null
        if (d.id.type === 'Identifier' && init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) {
          visit(d.id.name, init, exported)
        }
      }
      return
    case 'ClassDeclaration':
    case 'ClassExpression':
      for (const member of node.body.body) {
        const value = 'value' in member ? (member.value as Node | null) : null
        const key = 'key' in member && member.key.type === 'Identifier' && !member.computed ? member.key.name : null
        // `private m(qb)`: oxc's `js` AST keeps no accessibility; the words before the name say it.
        const isPrivate = 'key' in member && /\bprivate\b/.test(text.slice(member.start, member.key.start))
        if (key && value && (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression')) visit(key, value, !isPrivate)
      }
  }
}
