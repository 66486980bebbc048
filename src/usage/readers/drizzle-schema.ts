// A release's Drizzle tables, from the modules that declare them: `export const users = pgTable('users',
// { id: serial('id').primaryKey(), email: text('email') })` maps the field `email` to the column `email`;
// `pgSchema('audit').table(…)` qualifies the table; `relations(users, ({ many }) => ({ posts: many(posts) }))`
// names the tables a relational query's `with` reads. Query files import the tables (by path within the
// tree, or by name through an alias or a barrel).
import { forEachChild, identifierName, oxcParser, propertyName, receiverOf, returnedExpressions, stringValue, unrollChain, unwrap, type Node } from '../js-node.js'
import { normalizeTable } from '../table-scope.js'

export interface DrizzleColumn {
  key: string
  column: string
  /** Set by Drizzle on insert (`$defaultFn`, `$default`, `$onUpdate`: an INSERT never leaves it out). */
  clientFilled: boolean
  /** `$onUpdate` / `$onUpdateFn`: set on every update too. */
  onUpdate: boolean
}

export interface DrizzleTable {
  /** The module that declares it, and the name it is bound to there (and exported as). */
  file: string
  name: string
  table: string
  columns: Map<string, DrizzleColumn>
  /** `with: { posts: … }` → the binding name of the related table. */
  relations: Map<string, string>
}

export interface DrizzleSchema {
  tables: DrizzleTable[]
}

/** Does the text declare Drizzle Postgres tables? Only those modules are read for the schema. */
export function declaresDrizzleTables(text: string): boolean {
  return text.includes('pgTable') || text.includes('pgSchema')
}

/** `drizzle({ casing: 'snake_case' })`: fields without a column name map to their snake_case. */
export function usesSnakeCase(text: string): boolean {
  return /casing\s*:\s*['"]snake_case['"]/.test(text)
}

export function readDrizzleSchema(files: readonly { path: string; text: string }[], snakeCase: boolean): DrizzleSchema {
  const tables: DrizzleTable[] = []
  for (const file of files) {
    let program: Node
    try {
      program = oxcParser().parseSync(file.path, file.text, { lang: /\.[cm]?[jt]s$/.test(file.path) ? 'ts' : 'tsx', astType: 'js' }).program as Node
    } catch {
      continue
    }
    const schemas = new Map<string, string>()
    const declared: DrizzleTable[] = []
    const related: [string, Node][] = []
    eachDeclarator(program, (name, init) => {
      const call = unwrap(init)
      if (call.type !== 'CallExpression') return
      const callee = identifierName(call.callee)
      const args = call.arguments as Node[]
      if (callee === 'pgSchema') {
        const schema = stringValue(args[0])
        if (schema !== null) schemas.set(name, schema)
      } else if (callee === 'relations' && identifierName(args[0])) related.push([identifierName(args[0])!, args[1]])
      else {
        const viaSchema = propertyName(call.callee) === 'table' ? schemas.get(identifierName(receiverOf(call)) ?? '') : undefined
        if (callee !== 'pgTable' && viaSchema === undefined) return
        const tableName = stringValue(args[0])
        if (tableName === null) return
        const table = normalizeTable(viaSchema ? `${viaSchema}.${tableName}` : tableName)
        declared.push({ file: file.path, name, table, columns: readColumns(args[1], snakeCase), relations: new Map() })
      }
    })
    for (const [tableName, fn] of related) {
      const table = declared.find(t => t.name === tableName)
      const [shape] = fn ? returnedExpressions(fn).map(unwrap) : []
      if (!table || shape?.type !== 'ObjectExpression') continue
      for (const p of shape.properties) {
        if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier') continue
        const target = unwrap(p.value)
        const targetName = target.type === 'CallExpression' ? identifierName((target.arguments as Node[])[0]) : null
        if (targetName) table.relations.set(p.key.name, targetName)
      }
    }
    tables.push(...declared)
  }
  return { tables }
}

/** `const x = …` at the top level of the module, exported or not. */
function eachDeclarator(program: Node, fn: (name: string, init: Node) => void): void {
  forEachChild(program, statement => {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement
    if (declaration.type !== 'VariableDeclaration') return
    for (const d of declaration.declarations) if (d.id.type === 'Identifier' && d.init) fn(d.id.name, d.init)
  })
}

/** The columns object (or a callback returning it: `(t) => ({ id: t.integer() })`). */
function readColumns(node: Node | undefined, snakeCase: boolean): Map<string, DrizzleColumn> {
  const columns = new Map<string, DrizzleColumn>()
  if (!node) return columns
  const n = unwrap(node)
  const shape = n.type === 'ObjectExpression' ? n : returnedExpressions(n).map(unwrap).find(r => r.type === 'ObjectExpression')
  if (shape?.type !== 'ObjectExpression') return columns
  for (const p of shape.properties) {
    if (p.type !== 'Property' || p.computed) continue
    const key = p.key.type === 'Identifier' ? p.key.name : stringValue(p.key)
    if (key === null) continue
    const { base, calls } = unrollChain(p.value)
    // `text('email')…` (the builder is the base call) or `t.text('email')…` (the first link).
    const builder = base.type === 'CallExpression' ? base : calls[0]?.call
    const named = builder ? stringValue((builder.arguments as Node[])[0]) : null
    const links = calls.map(c => c.name)
    columns.set(key, {
      key,
      column: named ?? (snakeCase ? snake(key) : key),
      clientFilled: links.some(l => l === '$defaultFn' || l === '$default' || l === '$onUpdate' || l === '$onUpdateFn'),
      onUpdate: links.some(l => l === '$onUpdate' || l === '$onUpdateFn'),
    })
  }
  return columns
}

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}
