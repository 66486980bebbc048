// A release's TypeORM entities, from the modules that import typeorm: `@Entity()` classes, the columns
// their members map (`@Column`, `@PrimaryGeneratedColumn`, the date and version columns, the join columns
// of `@ManyToOne` / owning `@OneToOne`, the junction table of an owning `@ManyToMany`), the columns they
// inherit from parent classes and take from embedded classes, under the naming strategy the tree
// configures. Names follow TypeORM's DefaultNamingStrategy (or typeorm-naming-strategies'
// SnakeNamingStrategy when the data source names it): a table is `snakeCase(ClassName)` unless named, a
// column is its property name unless named, a join column `camelCase(relation + '_' + referencedProperty)`.
// Each column is recorded where it is mapped (orm-mapping.ts says why that is the use); what cannot be
// told (a computed name, a parent class outside the tree, a custom naming strategy) is unresolved.
import path from 'node:path'
import type { Class } from 'oxc-parser'
import { identifierName, isFunction, propertyName, returnedExpressions, stringValue, unwrap, type Node } from '../js-node.js'
import {
  MappingBuilder,
  booleanOption,
  eachNode,
  objectOptions,
  parseModule,
  stringOption,
  type ObjectOptions,
  type OrmMapping,
} from './orm-mapping.js'

/** Does the module import typeorm (or typeorm-naming-strategies)? Only those are read for entities and the data source. */
export function mentionsTypeorm(text: string): boolean {
  return /\btypeorm\b/.test(text)
}

const COLUMNS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ObjectIdColumn',
  'TreeLevelColumn',
  'ViewColumn',
])
const PRIMARY = new Set(['PrimaryColumn', 'PrimaryGeneratedColumn', 'ObjectIdColumn'])
/** `@Column(String, { … })`: a column type given as a constructor, not options. */
const TYPE_CONSTRUCTORS = new Set(['String', 'Number', 'Boolean', 'Date', 'Buffer', 'Object', 'Array'])
/** Owning sides of a relation to one row: their join columns are columns of this table. */
const TO_ONE = new Set(['ManyToOne', 'OneToOne', 'TreeParent'])
/** Decorators that map no column of their own (the other side maps it, or they only annotate one). */
const NO_COLUMN = new Set([
  'OneToMany',
  'ManyToMany',
  'JoinColumn',
  'JoinTable',
  'RelationId',
  'RelationCount',
  'VirtualColumn',
  'TreeChildren',
  'Index',
  'Unique',
  'Check',
  'Exclusion',
  'Generated',
  'ForeignKey',
  'AfterLoad',
  'BeforeInsert',
  'AfterInsert',
  'BeforeUpdate',
  'AfterUpdate',
  'BeforeRemove',
  'AfterRemove',
  'BeforeSoftRemove',
  'AfterSoftRemove',
  'BeforeRecover',
  'AfterRecover',
])
const CLASS_NO_COLUMN = new Set(['Entity', 'ViewEntity', 'ChildEntity', 'TableInheritance', 'Index', 'Unique', 'Check', 'Exclusion', 'ForeignKey', 'EventSubscriber', 'EntityRepository'])

interface Decorator {
  /** The name typeorm exports it under. */
  name: string
  node: Node
  args: Node[]
}

interface Member {
  property: string
  node: Node
  decorators: Decorator[]
}

interface Imports {
  /** Local name → the name typeorm exports it under. */
  typeorm: Map<string, string>
  /** `import * as orm from 'typeorm'`. */
  namespaces: Set<string>
  snakeStrategy: Set<string>
  /** Other named imports: local name → module and imported name. */
  others: Map<string, { source: string; imported: string }>
}

interface ClassInfo {
  file: string
  name: string
  superClass: Node | null
  decorators: Decorator[]
  members: Member[]
  imports: Imports
}

type Naming = 'default' | 'snake'

interface Config {
  naming: Naming
  /** DataSource `entityPrefix`. */
  prefix: string
  /** DataSource `schema`: the schema of entities that do not name one. */
  schema: string | null
}

interface Table {
  /** As migrations name it: `audit.users`. */
  qualified: string
  /** Without prefix and schema: what junction table names are made of. */
  bare: string
  schema: string | null
}

export function readTypeormMapping(files: readonly { path: string; text: string }[]): OrmMapping {
  const out = new MappingBuilder()
  const classes: ClassInfo[] = []
  const configs: { file: string; node: Node; imports: Imports }[] = []
  for (const file of files) {
    const program = parseModule(file.path, file.text)
    if (!program) continue
    const imports = readImports(program)
    for (const cls of topLevelClasses(program)) classes.push(classInfo(file.path, cls, imports))
    configs.push({ file: file.path, node: program, imports })
  }
  const config = readConfig(configs, out)
  new EntityReader(classes, config, out).readAll()
  return out.build()
}

function readImports(program: Node): Imports {
  const imports: Imports = { typeorm: new Map(), namespaces: new Set(), snakeStrategy: new Set(), others: new Map() }
  if (program.type !== 'Program') return imports
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration') continue
    const source = statement.source.value
    for (const s of statement.specifiers) {
      if (s.type === 'ImportNamespaceSpecifier') {
        if (source === 'typeorm') imports.namespaces.add(s.local.name)
        continue
      }
      const imported = s.type === 'ImportSpecifier' ? (s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value)) : 'default'
      if (source === 'typeorm') imports.typeorm.set(s.local.name, imported)
      else if (source === 'typeorm-naming-strategies' && imported === 'SnakeNamingStrategy') imports.snakeStrategy.add(s.local.name)
      else imports.others.set(s.local.name, { source, imported })
    }
  }
  return imports
}

function topLevelClasses(program: Node): Node[] {
  if (program.type !== 'Program') return []
  const found: Node[] = []
  for (const statement of program.body) {
    const declaration =
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration ? statement.declaration : statement
    if (declaration.type === 'ClassDeclaration' && declaration.id) found.push(declaration)
  }
  return found
}

function classInfo(file: string, node: Node, imports: Imports): ClassInfo {
  const cls = node as unknown as Class
  const members: Member[] = []
  for (const element of cls.body.body) {
    if (element.type !== 'PropertyDefinition' && element.type !== 'AccessorProperty') continue
    const decorators = typeormDecorators(element.decorators, imports)
    if (!decorators.length) continue
    const property = element.computed ? null : element.key.type === 'Identifier' ? element.key.name : stringValue(element.key)
    members.push({ property: property ?? '', node: element, decorators })
  }
  return { file, name: cls.id!.name, superClass: cls.superClass ?? null, decorators: typeormDecorators(cls.decorators, imports), members, imports }
}

/** The decorators imported from typeorm (by name or through a namespace); others (validation, serialisation) map nothing. */
function typeormDecorators(decorators: readonly Node[] | undefined, imports: Imports): Decorator[] {
  const found: Decorator[] = []
  for (const d of decorators ?? []) {
    if (d.type !== 'Decorator') continue
    const expression = unwrap(d.expression)
    const callee = expression.type === 'CallExpression' ? unwrap(expression.callee) : expression
    let name: string | undefined
    if (callee.type === 'Identifier') name = imports.typeorm.get(callee.name)
    else if (callee.type === 'MemberExpression' && imports.namespaces.has(identifierName(callee.object) ?? '')) name = propertyName(callee) ?? undefined
    if (name) found.push({ name, node: d, args: expression.type === 'CallExpression' ? (expression.arguments as Node[]) : [] })
  }
  return found
}

/**
 * The data source's naming strategy, entity prefix and default schema, from any object literal of the
 * tree (`new DataSource({…})`, `TypeOrmModule.forRoot({…})`, an options constant). A strategy other than
 * the default or SnakeNamingStrategy names tables and columns its own way: any table is unresolved.
 */
function readConfig(modules: readonly { file: string; node: Node; imports: Imports }[], out: MappingBuilder): Config {
  const seen = { naming: new Map<string, Found>(), prefix: new Map<string, Found>(), schema: new Map<string, Found>() }
  for (const { file, node, imports } of modules) {
    eachNode(node, n => {
      if (n.type === 'NewExpression' && typeormName(n.callee, imports) === 'EntitySchema') entitySchema(file, n, out)
      if (n.type !== 'ObjectExpression') return
      const options = objectOptions(n)!
      const strategy = options.props.get('namingStrategy')
      if (strategy) {
        const value = unwrap(strategy.value)
        const made = value.type === 'NewExpression' ? identifierName(value.callee) : null
        if (made && imports.snakeStrategy.has(made)) noteFirst(seen.naming, 'snake', { file, at: strategy.key })
        else if (made && imports.typeorm.get(made) === 'DefaultNamingStrategy') noteFirst(seen.naming, 'default', { file, at: strategy.key })
        else out.unresolved(file, strategy.key.start, 'a TypeORM naming strategy this reader does not know names the tables and columns of every entity', 'any table')
      }
      const prefix = options.props.get('entityPrefix')
      if (prefix) {
        const value = stringValue(prefix.value)
        if (value === null) out.unresolved(file, prefix.key.start, 'a computed TypeORM entityPrefix is part of every table name', 'any table')
        else noteFirst(seen.prefix, value, { file, at: prefix.key })
      }
      const schema = options.props.get('schema')
      if (schema && isDataSourceOptions(options)) {
        const value = stringValue(schema.value)
        if (value === null) out.unresolved(file, schema.key.start, 'a computed TypeORM data source schema holds every entity that does not name its own', 'any table')
        else noteFirst(seen.schema, value === 'public' ? '' : value, { file, at: schema.key })
      }
    })
  }
  for (const [what, values] of Object.entries(seen)) {
    // Two data sources that name differently: which one maps each entity is not known.
    const [, second] = [...values.values()]
    if (second) out.unresolved(second.file, second.at.start, `the tree configures TypeORM data sources with different ${what === 'naming' ? 'naming strategies' : what === 'prefix' ? 'entity prefixes' : 'schemas'}`, 'any table')
  }
  return {
    naming: seen.naming.has('snake') ? 'snake' : 'default',
    prefix: [...seen.prefix.keys()][0] ?? '',
    schema: [...seen.schema.keys()][0] || null,
  }
}

interface Found {
  file: string
  at: Node
}

function noteFirst(values: Map<string, Found>, value: string, found: Found): void {
  if (!values.has(value)) values.set(value, found)
}

/** Options of a data source rather than of an entity or column (which also say `schema`). */
function isDataSourceOptions(options: ObjectOptions): boolean {
  return ['entities', 'migrations', 'host', 'url', 'username', 'synchronize', 'migrationsRun', 'namingStrategy', 'subscribers'].some(k => options.props.has(k))
}

function typeormName(node: Node, imports: Imports): string | null {
  const n = unwrap(node)
  if (n.type === 'Identifier') return imports.typeorm.get(n.name) ?? null
  if (n.type === 'MemberExpression' && imports.namespaces.has(identifierName(n.object) ?? '')) return propertyName(n)
  return null
}

/** `new EntitySchema({ name, tableName, columns })`: not read; what it maps is unresolved (for its table when that is a literal). */
function entitySchema(file: string, node: Extract<Node, { type: 'NewExpression' }>, out: MappingBuilder): void {
  const options = objectOptions((node.arguments as Node[])[0])
  const tableName = options ? stringOption(options, 'tableName') : 'unknown'
  const name = options ? stringOption(options, 'name') : 'unknown'
  const table = tableName !== 'absent' && tableName !== 'unknown' ? tableName : tableName === 'absent' && name !== 'absent' && name !== 'unknown' ? snakeCase(name) : null
  const reason = 'a TypeORM EntitySchema: the columns it maps are not read'
  out.unresolved(file, node.start, reason, table ? { table } : 'any table')
}

// TypeORM's StringUtils, as its naming strategies use them.
export function snakeCase(s: string): string {
  return s
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

function camelCase(s: string): string {
  return s.replace(/^([A-Z])|[\s_-](\w)/g, (_, first: string | undefined, next: string | undefined) => (next ? next.toUpperCase() : first!.toLowerCase()))
}

function titleCase(s: string): string {
  return s.replace(/\w\S*/g, word => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
}

/** Where a member's columns go: the entity's table, under the prefixes of the embedded classes it sits in. */
interface Place {
  entity: ClassInfo
  table: Table
  prefixes: string[]
  /** Inside an embedded class (relations there are not read). */
  embedded: boolean
  /** Columns TypeORM sets on every insert itself. */
  filled: string[]
  view: boolean
}

interface Primary {
  property: string
  column: string
}

interface JoinSpec {
  name: string | null
  ref: string | null
  at: Node
}

class EntityReader {
  private readonly byName = new Map<string, ClassInfo[]>()

  constructor(
    private readonly classes: readonly ClassInfo[],
    private readonly config: Config,
    private readonly out: MappingBuilder,
  ) {
    for (const cls of classes) this.byName.set(cls.name, [...(this.byName.get(cls.name) ?? []), cls])
  }

  readAll(): void {
    for (const cls of this.classes) {
      const declared = cls.decorators.find(d => d.name === 'Entity' || d.name === 'ViewEntity' || d.name === 'ChildEntity')
      if (!declared) continue
      const table = this.tableOf(cls, declared)
      if (!table) continue
      const place: Place = { entity: cls, table, prefixes: [], embedded: false, filled: [], view: declared.name === 'ViewEntity' }
      for (const ancestor of this.ancestry(cls, table)) this.readClass(ancestor, place, new Set())
      this.out.table(cls.file, table.qualified, declared.node.start, place.view ? null : place.filled)
    }
  }

  /** `@Entity()`, `@Entity('users')`, `@Entity('users', { schema })`, `@Entity({ name, schema })`; a `@ChildEntity` shares its parent's. */
  private tableOf(cls: ClassInfo, declared: Decorator): Table | null {
    if (declared.name === 'ChildEntity') {
      const parent = this.ancestry(cls, null).find(c => c !== cls && c.decorators.some(d => d.name === 'Entity'))
      const entity = parent?.decorators.find(d => d.name === 'Entity')
      if (parent && entity) return this.tableOf(parent, entity)
      this.out.unresolved(cls.file, declared.node.start, `the TypeORM child entity ${cls.name} has no parent @Entity in the tree: its table is not known`, 'any table')
      return null
    }
    const [first, second] = declared.args
    let name = stringValue(first)
    const options = objectOptions(name === null ? first : second)
    const computed = (first && name === null && !options) || (second && !options)
    let schema: string | null = this.config.schema
    if (options) {
      const given = { name: stringOption(options, 'name'), schema: stringOption(options, 'schema') }
      if (given.name === 'unknown' || given.schema === 'unknown') return this.computedTable(cls, declared)
      if (given.name !== 'absent' && name === null) name = given.name
      if (given.schema !== 'absent') schema = given.schema
    }
    if (computed) return this.computedTable(cls, declared)
    const bare = name ?? snakeCase(cls.name)
    const table = this.config.prefix + bare
    return { qualified: schema ? `${schema}.${table}` : table, bare, schema }
  }

  private computedTable(cls: ClassInfo, declared: Decorator): null {
    this.out.unresolved(cls.file, declared.node.start, `the table of the TypeORM entity ${cls.name} is computed`, 'any table')
    return null
  }

  /**
   * The class and the classes it extends, nearest first. A parent the tree does not declare (other than
   * typeorm's BaseEntity) may map columns of its own: unresolved for the table.
   */
  private ancestry(cls: ClassInfo, table: Table | null): ClassInfo[] {
    const chain = [cls]
    for (let current = cls; current.superClass; ) {
      const superClass = unwrap(current.superClass)
      const name = identifierName(superClass)
      if (name && current.imports.typeorm.get(name) === 'BaseEntity') break
      const parent = name ? this.resolve(name, current) : null
      if (!parent || chain.includes(parent)) {
        if (table && !parent) {
          const what = name ? `extends ${name}, a class the scanned code does not declare (or declares more than once)` : 'extends a computed class'
          this.out.unresolved(current.file, superClass.start, `the TypeORM entity ${cls.name} ${what}: the columns it inherits are not known`, { table: table.qualified })
        }
        break
      }
      chain.push(parent)
      current = parent
    }
    return chain
  }

  /** A class by the name `from`'s module knows it by: declared there, imported by path, or the one class of that name in the tree. */
  private resolve(name: string, from: ClassInfo): ClassInfo | null {
    const candidates = this.byName.get(name) ?? []
    const here = candidates.find(c => c.file === from.file)
    if (here) return here
    const imported = from.imports.others.get(name)
    if (imported?.source.startsWith('.')) {
      const module = modulePath(path.posix.join(path.posix.dirname(from.file), imported.source))
      const target = (this.byName.get(imported.imported) ?? []).find(c => [module, `${module}/index`].includes(modulePath(c.file)))
      if (target) return target
    }
    const named = this.byName.get(imported?.imported ?? name) ?? []
    return named.length === 1 ? named[0] : null
  }

  private readClass(cls: ClassInfo, place: Place, embedding: Set<ClassInfo>): void {
    for (const d of cls.decorators) {
      if (d.name === 'TableInheritance' && !place.embedded) this.discriminator(cls, d, place)
      else if (d.name === 'Tree' && !place.embedded) this.tree(cls, d, place)
      else if (!CLASS_NO_COLUMN.has(d.name)) this.unresolvedHere(cls, d.node, place, `the TypeORM class decorator @${d.name} is not read`)
    }
    for (const member of cls.members) this.readMember(cls, member, place, embedding)
  }

  /** `@TableInheritance({ column: { name: 'kind' } })`: the column that tells the child entity of a row (`type` unless named), set on every insert. */
  private discriminator(cls: ClassInfo, d: Decorator, place: Place): void {
    // `column: 'kind'` or `column: { name: 'kind', type }`.
    const value = objectOptions(d.args[0])?.props.get('column')?.value
    const column = objectOptions(value)
    const named = value ? stringValue(value) : null
    const given = named ?? (column ? stringOption(column, 'name') : d.args.length && value ? 'unknown' : 'absent')
    if (given === 'unknown') return this.unresolvedHere(cls, d.node, place, 'a computed TypeORM discriminator column')
    const name = given === 'absent' ? 'type' : given
    this.out.column(cls.file, place.table.qualified, name, d.node.start, { read: true, inserted: true })
    place.filled.push(name)
  }

  /**
   * `@Tree('materialized-path')` adds `mpath`, `'nested-set'` `nsleft` / `nsright`; `'closure-table'` a
   * table `<table>_closure` with `<primary property>_ancestor` / `_descendant` (and `level` with a
   * `@TreeLevelColumn`); `'adjacency-list'` only the parent's join column (`@TreeParent`).
   */
  private tree(cls: ClassInfo, d: Decorator, place: Place): void {
    const kind = stringValue(d.args[0])
    const at = d.node.start
    const mapped = (table: string, column: string) => this.out.column(cls.file, table, column, at, { read: true, inserted: true })
    if (kind === 'adjacency-list') return
    if (kind === 'materialized-path') return mapped(place.table.qualified, 'mpath')
    if (kind === 'nested-set') return ['nsleft', 'nsright'].forEach(c => mapped(place.table.qualified, c))
    const options = d.args[1] ? objectOptions(d.args[1]) : { props: new Map(), complete: true }
    const given = options ? { name: stringOption(options, 'closureTableName'), schema: stringOption(options, 'closureTableSchema') } : null
    const named = options && ['ancestorColumnName', 'descendantColumnName'].some(k => options.props.has(k))
    const primaries = this.primaries(place.entity)
    if (kind !== 'closure-table' || !given || given.name === 'unknown' || given.schema === 'unknown' || named || !options?.complete || !primaries.length) {
      return this.unresolvedHere(cls, d.node, place, `the TypeORM @Tree of ${cls.name}: the columns and tables TypeORM adds for it are not known`)
    }
    const table = `${this.config.prefix}${given.name === 'absent' ? place.table.bare : given.name}_closure`
    const schema = given.schema === 'absent' ? place.table.schema : given.schema
    const qualified = schema ? `${schema}.${table}` : table
    const columns = primaries.flatMap(p => [this.columnName(`${p.property}_ancestor`, '', []), this.columnName(`${p.property}_descendant`, '', [])])
    if (this.ancestry(place.entity, null).some(c => c.members.some(m => m.decorators.some(x => x.name === 'TreeLevelColumn')))) columns.push('level')
    columns.forEach(c => mapped(qualified, c))
    this.out.table(cls.file, qualified, at, columns)
  }

  private readMember(cls: ClassInfo, member: Member, place: Place, embedding: Set<ClassInfo>): void {
    const names = new Set(member.decorators.map(d => d.name))
    if (!member.property && member.decorators.some(d => !NO_COLUMN.has(d.name))) {
      return this.unresolvedHere(cls, member.node, place, 'a TypeORM column on a computed property name')
    }
    for (const d of member.decorators) {
      if (COLUMNS.has(d.name)) this.column(cls, member, d, place, embedding)
      else if (TO_ONE.has(d.name)) {
        const joinColumn = member.decorators.find(j => j.name === 'JoinColumn')
        if (d.name !== 'OneToOne' || joinColumn) this.joinColumns(cls, member, d, joinColumn, place)
      } else if (d.name === 'JoinTable' && names.has('ManyToMany')) this.junction(cls, member, d, member.decorators.find(j => j.name === 'ManyToMany')!, place)
      else if (!NO_COLUMN.has(d.name)) this.unresolvedHere(cls, d.node, place, `the TypeORM decorator @${d.name} is not read`)
    }
  }

  /** `@Column()`, `@Column('varchar', { name })`, `@PrimaryGeneratedColumn('uuid', { name })`, …; `@Column(() => Address)` embeds a class. */
  private column(cls: ClassInfo, member: Member, d: Decorator, place: Place, embedding: Set<ClassInfo>): void {
    const embedded = d.name === 'Column' && d.args[0] && isFunction(d.args[0])
    let options: ObjectOptions | null = null
    for (const arg of embedded ? d.args.slice(1) : d.args) {
      const n = unwrap(arg)
      if (n.type === 'ObjectExpression') options = objectOptions(n)
      else if (stringValue(n) === null && !TYPE_CONSTRUCTORS.has(identifierName(n) ?? '')) {
        return this.unresolvedHere(cls, arg, place, `the options of a TypeORM @${d.name} are computed: the column name is not known`)
      }
    }
    if (embedded) return this.embed(cls, member, d, options, place, embedding)
    const given = options ? stringOption(options, 'name') : 'absent'
    if (given === 'unknown') return this.unresolvedHere(cls, d.node, place, `a computed TypeORM column name of ${cls.name}.${member.property}`)
    const column = this.columnName(member.property, given === 'absent' ? '' : given, place.prefixes)
    const nameNode = options?.props.get('name')?.value
    const how = { read: booleanOption(options, 'select') !== false, inserted: !place.view && booleanOption(options, 'insert') !== false }
    this.out.column(cls.file, place.table.qualified, column, (nameNode ?? d.node).start, how)
    if (d.name === 'VersionColumn' && how.inserted) place.filled.push(column)
  }

  /** `@Column(() => Address, { prefix })`: the embedded class's columns, their names prefixed with the property (or `prefix`). */
  private embed(cls: ClassInfo, member: Member, d: Decorator, options: ObjectOptions | null, place: Place, embedding: Set<ClassInfo>): void {
    const target = this.target(d.args[0], cls)
    const prefix = options?.props.get('prefix')
    const value = prefix ? unwrap(prefix.value) : null
    let partial: string[] | null = [member.property]
    if (value?.type === 'Literal' && (value.value === false || value.value === '')) partial = []
    else if (value?.type === 'Literal' && typeof value.value === 'string') partial = [value.value]
    else if (value && !(value.type === 'Literal' && value.value === true)) partial = null
    if (!target || partial === null || embedding.has(target)) {
      return this.unresolvedHere(cls, d.node, place, `the embedded TypeORM columns of ${cls.name}.${member.property} are not known`)
    }
    // The same `filled` list: what the embedded class's columns fill, the entity's inserts fill.
    const inner: Place = { ...place, prefixes: [...place.prefixes, ...partial], embedded: true }
    const next = new Set(embedding).add(target)
    for (const ancestor of this.ancestry(target, place.table)) this.readClass(ancestor, inner, next)
  }

  /**
   * The join columns of `@ManyToOne` / an owning `@OneToOne` (`@JoinColumn` on it): named, or
   * `joinColumnName(relation, referenced property)` for each referenced column (the target's primary
   * columns unless `referencedColumnName` says).
   */
  private joinColumns(cls: ClassInfo, member: Member, relation: Decorator, joinColumn: Decorator | undefined, place: Place): void {
    if (place.embedded) return this.unresolvedHere(cls, relation.node, place, `a TypeORM relation inside the embedded class ${cls.name} is not read`)
    const specs = this.joinSpecs(joinColumn?.args[0], joinColumn?.node ?? relation.node)
    if (!specs) return this.unresolvedHere(cls, joinColumn!.node, place, `the TypeORM @JoinColumn of ${cls.name}.${member.property} is computed`)
    let referenced = specs.filter(s => s.ref !== null).map(s => s.ref!)
    if (!referenced.length) {
      if (specs.some(s => s.name !== null)) referenced = ['']
      else {
        const target = relation.name === 'TreeParent' ? place.entity : this.target(relation.args[0], cls)
        const primaries = target ? this.primaries(target) : []
        if (!primaries.length) {
          return this.unresolvedHere(cls, relation.node, place, `the join column of ${cls.name}.${member.property} is named after the primary columns of an entity the tree does not declare (or declares none of)`)
        }
        referenced = primaries.map(p => p.property)
      }
    }
    for (const ref of referenced) {
      const spec = specs.find(s => (s.ref === null || s.ref === ref) && s.name !== null)
      const name = spec ? spec.name! : this.joinColumnName(member.property, ref)
      this.out.column(cls.file, place.table.qualified, name, (spec?.at ?? relation.node).start, { read: true, inserted: true })
    }
  }

  /** `{ name, referencedColumnName }` or a list of them (`@JoinColumn`'s argument, `@JoinTable`'s `joinColumn(s)`); null when computed. */
  private joinSpecs(node: Node | undefined, at: Node): JoinSpec[] | null {
    const arg = node ? unwrap(node) : null
    if (!arg) return []
    const items = arg.type === 'ArrayExpression' ? arg.elements : [arg]
    const specs: JoinSpec[] = []
    for (const item of items) {
      const options = item ? objectOptions(item) : null
      if (!options) return null
      const name = stringOption(options, 'name')
      const ref = stringOption(options, 'referencedColumnName')
      if (name === 'unknown' || ref === 'unknown') return null
      specs.push({ name: name === 'absent' ? null : name, ref: ref === 'absent' ? null : ref, at: options.props.get('name')?.value ?? at })
    }
    return specs
  }

  /**
   * The junction table of an owning `@ManyToMany` (`@JoinTable` on it): `name`, or
   * `snakeCase(ownerTable + '_' + property + '_' + targetTable)`, with a column per primary column of
   * each side (`joinColumn` / `inverseJoinColumn` names, or `camelCase(table + '_' + column)`).
   */
  private junction(cls: ClassInfo, member: Member, joinTable: Decorator, relation: Decorator, place: Place): void {
    const unknown = (why: string) => this.unresolvedHere(cls, joinTable.node, place, `the junction table of ${cls.name}.${member.property}: ${why}`)
    if (place.embedded) return unknown('a relation inside an embedded class is not read')
    const options = joinTable.args[0] ? objectOptions(joinTable.args[0]) : { props: new Map(), complete: true }
    if (!options) return unknown('its @JoinTable options are computed')
    const given = { name: stringOption(options, 'name'), schema: stringOption(options, 'schema') }
    if (given.name === 'unknown' || given.schema === 'unknown') return unknown('its name is computed')
    const target = this.target(relation.args[0], cls)
    const targetEntity = target?.decorators.find(d => d.name === 'Entity' || d.name === 'ChildEntity')
    const targetTable = target && targetEntity ? this.tableOf(target, targetEntity) : null
    if (!target || !targetTable) return unknown('the related entity is not declared in the tree')
    // Each side: a column per referenced column (its primary columns unless `referencedColumnName` says), named or `camelCase(table + '_' + column)`.
    const sides = [
      { table: place.table, entity: place.entity, key: 'joinColumn' },
      { table: targetTable, entity: target, key: 'inverseJoinColumn' },
    ].map(side => {
      const specs = this.joinSpecs(options.props.get(side.key)?.value ?? options.props.get(`${side.key}s`)?.value, joinTable.node)
      const primaries = this.primaries(side.entity)
      if (!specs) return null
      const refs = specs.some(s => s.ref !== null) ? specs.flatMap(s => s.ref ?? []) : primaries.map(p => p.property)
      const columns = refs.map(ref => {
        const spec = specs.find(s => (s.ref === null || s.ref === ref) && s.name !== null)
        const column = primaries.find(p => p.property === ref)?.column
        if (spec) return { name: spec.name!, at: spec.at }
        return column ? { name: this.joinTableColumnName(side.table.bare, column), at: joinTable.node } : null
      })
      return columns.length && columns.every(c => c !== null) ? (columns as { name: string; at: Node }[]) : null
    })
    if (sides.some(s => s === null)) return unknown('its column names are not known')
    const [own, inverse] = sides as { name: string; at: Node }[][]
    for (const a of own) {
      for (const b of inverse) {
        if (a.name !== b.name) continue
        a.name += '_1'
        b.name += '_2'
      }
    }
    const bare = given.name !== 'absent' ? given.name : snakeCase(`${place.table.bare}_${member.property}_${targetTable.bare}`)
    // Postgres names are 63 bytes at most: TypeORM shortens a longer default name its own way.
    if (bare.length > 63) return unknown('its default name is longer than Postgres allows, and TypeORM shortens it')
    const table = this.config.prefix + bare
    const schema = given.schema !== 'absent' ? given.schema : place.table.schema
    const qualified = schema ? `${schema}.${table}` : table
    for (const column of [...own, ...inverse]) this.out.column(cls.file, qualified, column.name, column.at.start, { read: true, inserted: true })
    this.out.table(cls.file, qualified, joinTable.node.start, [...own, ...inverse].map(c => c.name))
  }

  /** The primary columns of an entity class (its own and inherited): property and column name. */
  private primaries(cls: ClassInfo): Primary[] {
    const found: Primary[] = []
    for (const c of this.ancestry(cls, null)) {
      for (const member of c.members) {
        for (const d of member.decorators) {
          const options = objectOptions(d.args.find(a => unwrap(a).type === 'ObjectExpression'))
          const primary = PRIMARY.has(d.name) || (d.name === 'Column' && options !== null && booleanOption(options, 'primary') === true)
          if (!primary) continue
          const given = options ? stringOption(options, 'name') : 'absent'
          if (given === 'unknown') return []
          found.push({ property: member.property, column: this.columnName(member.property, given === 'absent' ? '' : given, []) })
        }
      }
    }
    return found
  }

  /** `() => User`, `type => User`, `'User'`: the class. */
  private target(node: Node | undefined, from: ClassInfo): ClassInfo | null {
    if (!node) return null
    const n = unwrap(node)
    const named = stringValue(n)
    if (named !== null) return this.resolve(named, from)
    const [returned] = isFunction(n) ? returnedExpressions(n) : [n]
    const name = returned ? identifierName(returned) : null
    return name ? this.resolve(name, from) : null
  }

  private columnName(property: string, given: string, prefixes: readonly string[]): string {
    if (this.config.naming === 'snake') return snakeCase(prefixes.join('_')) + (given || snakeCase(property))
    const name = given || property
    return prefixes.length ? camelCase(prefixes.join('_')) + titleCase(name) : name
  }

  private joinColumnName(relation: string, referenced: string): string {
    return this.config.naming === 'snake' ? snakeCase(`${relation}_${referenced}`) : camelCase(`${relation}_${referenced}`)
  }

  private joinTableColumnName(table: string, column: string): string {
    return this.config.naming === 'snake' ? snakeCase(`${table}_${column}`) : camelCase(`${table}_${column}`)
  }

  private unresolvedHere(cls: ClassInfo, node: Node, place: Place, reason: string): void {
    this.out.unresolved(cls.file, node.start, reason, { table: place.table.qualified })
  }
}

function modulePath(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]sx?)$/, '')
}
