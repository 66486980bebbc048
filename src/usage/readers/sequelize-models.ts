// A release's Sequelize (v6) models, from the modules that mention sequelize or an association:
// `sequelize.define('User', { … }, { … })` and `User.init({ … }, { sequelize, … })` (or `super.init` in a
// class's static method). A model maps each attribute to its `field` (the attribute's name, snake-cased
// with `underscored`), the `id` primary key unless it declares one, `createdAt` / `updatedAt` with
// `timestamps` (the default), `deletedAt` with `paranoid`, and the foreign keys its associations add
// (`Post.belongsTo(User)` → `UserId` on posts). Its table is `tableName`, else the model name (frozen),
// else its plural (snake-cased with `underscored`). Options a model does not give come from the
// `define` options of `new Sequelize(…)`; where those are not literal, each name either way is mapped
// (a superset of what the code reads). Records are located where each column is mapped
// (orm-mapping.ts says why that is the use).
import type { CallExpression } from 'oxc-parser'
import { identifierName, methodOf, propertyName, receiverOf, stringValue, unwrap, type MethodCall, type Node } from '../js-node.js'
import { MappingBuilder, eachNode, objectOptions, parseModule, type ObjectOptions, type OrmMapping } from './orm-mapping.js'
import { camelize, pluralize, singularize, underscore } from './sequelize-inflection.js'

/** Modules that may define models or associate them (`db.define('User', { name: DataTypes.STRING })` need not name sequelize). */
export function mentionsSequelize(text: string): boolean {
  return /\bsequelize\b|\bDataTypes\b|\.(?:belongsTo|hasOne|hasMany|belongsToMany)\(/i.test(text)
}

const ASSOCIATIONS = new Set(['belongsTo', 'hasOne', 'hasMany', 'belongsToMany'])
/** The options whose every value a model can be read with (both names), when the tree does not spell them. */
const FLAGS = new Set(['underscored', 'freezeTableName', 'timestamps', 'paranoid'])

const UNKNOWN = Symbol('unknown')
/** An option's value: a literal, null when nothing gives it (the default applies), UNKNOWN when computed. */
type Opt = string | boolean | null | typeof UNKNOWN
/** A yes/no a model's names depend on; UNKNOWN maps both names. */
type Tri = boolean | typeof UNKNOWN

/** A `define` / `init` call and what it is called. */
interface Definition {
  file: string
  name: string
  /** The names the module binds the model to (the variable, the class). */
  bindings: string[]
  call: CallExpression
  /** Where the table records go: the `define` / `init` name. */
  at: Node
  attributes: Node
  options: Node | undefined
}

interface Model {
  def: Definition
  tables: string[]
  /** Attribute → its column names (more than one when `underscored` is not known). */
  fields: Map<string, string[]>
  primaryKey: string
  underscored: Tri
  singular: string | null
}

/**
 * The module's definition and association calls: what the text fallback treats as read (their words
 * are the mapping). Asked once per change the release makes: kept for the texts seen last.
 */
export function sequelizeDefinitionSpans(path: string, text: string): readonly { start: number; end: number }[] {
  const key = `${path}\0${text}`
  let spans = spanMemo.get(key)
  if (spans) return spans
  spans = []
  const program = parseModule(path, text)
  const index = program ? indexModule(path, program) : null
  if (program && index) {
    eachNode(program, node => {
      const method = node.type === 'CallExpression' ? methodOf(node) : null
      if (method && (definitionOf(method, index) || ASSOCIATIONS.has(method.name))) spans!.push({ start: node.start, end: node.end })
    })
  }
  if (spanMemo.size >= 256) spanMemo.clear()
  spanMemo.set(key, spans)
  return spans
}

const spanMemo = new Map<string, { start: number; end: number }[]>()

export function readSequelizeMapping(files: readonly { path: string; text: string }[]): OrmMapping {
  const out = new MappingBuilder()
  const modules = files.flatMap(f => {
    const program = parseModule(f.path, f.text)
    return program ? [indexModule(f.path, program)] : []
  })
  const defaults = defineDefaults(modules)
  const definitions: Definition[] = []
  const associations: Association[] = []
  for (const index of modules) {
    eachNode(index.program, node => {
      const method = node.type === 'CallExpression' ? methodOf(node) : null
      if (!method) return
      const definition = definitionOf(method, index)
      if (definition) definitions.push(definition)
      else if (ASSOCIATIONS.has(method.name)) associations.push({ index, name: method.name, call: method.call, at: method.nameNode })
    })
  }
  const models = definitions.flatMap(def => {
    const model = readModel(def, defaults, out)
    return model ? [model] : []
  })
  // Sequelize 7 (@sequelize/core) names default foreign keys its own way: those are not made here.
  const v7 = files.some(f => f.text.includes('@sequelize/core'))
  for (const association of associations) associate(association, models, v7, out)
  return out.build()
}

/** What a module's definitions refer to, found in one walk: its classes, its variables and the calls they hold. */
interface ModuleIndex {
  file: string
  program: Node
  classes: ClassNode[]
  /** `const User = sequelize.define(…)`: the call → the variable. */
  boundTo: Map<Node, string>
  /** `const attributes = { … }`: the variable → the object. */
  objects: Map<string, Node>
}

type ClassNode = Extract<Node, { type: 'ClassDeclaration' | 'ClassExpression' }>

function indexModule(file: string, program: Node): ModuleIndex {
  const index: ModuleIndex = { file, program, classes: [], boundTo: new Map(), objects: new Map() }
  eachNode(program, n => {
    if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') index.classes.push(n)
    else if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) {
      const init = unwrap(n.init)
      index.boundTo.set(init, n.id.name)
      if (init.type === 'ObjectExpression') index.objects.set(n.id.name, init)
    }
  })
  return index
}

/** The innermost class around `inner`. */
function enclosingClass(index: ModuleIndex, inner: Node): ClassNode | null {
  const around = index.classes.filter(c => c.start <= inner.start && inner.end <= c.end)
  return around.sort((a, b) => b.start - a.start)[0] ?? null
}

/**
 * `x.define('User', { … }, options)`; `User.init({ … }, { sequelize })` on a class of the module (or
 * `super.init` / `this.init` in one) that extends Model or passes `sequelize`. The attributes are an
 * object literal or a `const` of the module holding one; other attributes are a model's only when the
 * call is surely Sequelize's (`sequelize.define`, a Model class), and then they are unresolved.
 */
function definitionOf(method: MethodCall, index: ModuleIndex): Definition | null {
  const { name, call, nameNode: at } = method
  const args = call.arguments as Node[]
  const attributes = args[name === 'define' ? 1 : 0]
  if (!attributes) return null
  const literal = unwrap(attributes).type === 'ObjectExpression' ? unwrap(attributes) : index.objects.get(identifierName(attributes) ?? '')
  if (name === 'define') {
    const modelName = stringValue(args[0])
    if (modelName === null || (!literal && !/sequelize/i.test(sourceText(receiverOf(call))))) return null
    const binding = index.boundTo.get(call)
    return { file: index.file, name: modelName, bindings: binding ? [binding] : [], call, at, attributes: literal ?? attributes, options: args[2] }
  }
  if (name !== 'init') return null
  const receiver = unwrap(receiverOf(call))
  const self = receiver.type === 'Super' || receiver.type === 'ThisExpression'
  const cls = self ? enclosingClass(index, call) : index.classes.find(c => c.id?.name === identifierName(receiver))
  if (!cls?.id) return null
  const options = objectOptions(args[1])
  const extendsModel = cls.superClass !== null && /^(?:\w+\.)?Model$/.test(sourceText(cls.superClass))
  if (!extendsModel && !options?.props.has('sequelize')) return null
  if (!literal && !extendsModel) return null
  const modelName = options ? stringValue(options.props.get('modelName')?.value) : null
  return { file: index.file, name: modelName ?? cls.id.name, bindings: [cls.id.name], call, at, attributes: literal ?? attributes, options: args[1] }
}

function sourceText(node: Node): string {
  const n = unwrap(node)
  if (n.type === 'Identifier') return n.name
  if (n.type === 'MemberExpression' && !n.computed) return `${sourceText(n.object)}.${propertyName(n)}`
  return ''
}

/** A literal option, null when surely not given, UNKNOWN when computed. */
function optionOf(options: ObjectOptions | typeof UNKNOWN | null, key: string): Opt {
  if (options === UNKNOWN) return UNKNOWN
  if (!options) return null
  const prop = options.props.get(key)
  if (!prop) return options.complete ? null : UNKNOWN
  const value = unwrap(prop.value)
  if (value.type === 'Literal' && (typeof value.value === 'string' || typeof value.value === 'boolean')) return value.value
  return UNKNOWN
}

/**
 * The `define` options of the tree's `new Sequelize(…)`: defaults for every model. Not literal, not
 * the same in each, or no instance in the tree (it is made elsewhere): UNKNOWN.
 */
function defineDefaults(modules: readonly ModuleIndex[]): ObjectOptions | typeof UNKNOWN {
  const found: (ObjectOptions | typeof UNKNOWN)[] = []
  for (const { program } of modules) {
    eachNode(program, n => {
      if (n.type !== 'NewExpression') return
      const callee = unwrap(n.callee)
      if ((identifierName(callee) ?? propertyName(callee)) !== 'Sequelize') return
      const args = n.arguments as Node[]
      const options = objectOptions(args[args.length - 1])
      const define = options?.props.get('define')
      const defined = define ? objectOptions(define.value) : { props: new Map(), complete: true }
      if (!options?.complete || !defined) return void found.push(UNKNOWN)
      // The instance's `schema` is every model's unless its options or `define` name another.
      const schema = options.props.get('schema')
      found.push(schema && !defined.props.has('schema') ? { props: new Map([...defined.props, ['schema', schema]]), complete: defined.complete } : defined)
    })
  }
  // Instances that all leave `define` out agree; any other pair may not.
  const [first] = found
  if (found.length === 1 || (first && found.every(f => f !== UNKNOWN && f.props.size === 0))) return first
  return UNKNOWN
}

/** Both names when the flag is not known. */
function either(flag: Tri, yes: () => string[], no: () => string[]): string[] {
  return [...new Set(flag === UNKNOWN ? [...yes(), ...no()] : flag ? yes() : no())]
}

function readModel(def: Definition, defaults: ObjectOptions | typeof UNKNOWN, out: MappingBuilder): Model | null {
  const own = def.options ? (objectOptions(def.options) ?? UNKNOWN) : null
  const opt = (key: string): Opt => {
    const value = optionOf(own, key)
    if (value !== null) return value
    // Define options not spelled in the tree: each yes/no either way; a global table name, schema or
    // timestamp name is taken as not given (few set one for every model).
    const fallback = optionOf(defaults, key)
    return fallback === UNKNOWN && !FLAGS.has(key) ? null : fallback
  }
  const flag = (key: string, fallback: boolean): Tri => {
    const value = opt(key)
    return value === null ? fallback : typeof value === 'boolean' ? value : UNKNOWN
  }
  // Before the table is known, what cannot be read may concern any table; after, the model's tables.
  let tables: string[] = []
  const fail = (reason: string, node: Node = def.at): null => {
    const what = `${reason} of the Sequelize model ${def.name}`
    if (!tables.length) out.unresolved(def.file, node.start, what, 'any table')
    for (const table of tables) out.unresolved(def.file, node.start, what, { table })
    return null
  }
  const underscored = flag('underscored', false)
  const tableName = opt('tableName')
  const schema = opt('schema')
  if (tableName === UNKNOWN || typeof tableName === 'boolean') return fail('a computed table name')
  if (schema === UNKNOWN || typeof schema === 'boolean') return fail('a computed schema')
  let bare: string[]
  if (typeof tableName === 'string') bare = [tableName]
  else {
    const plural = pluralize(def.name)
    if (plural === null) return fail(`the table name (inflection's plural of '${def.name}', not the same in each of its versions: give tableName)`)
    const plurals = either(underscored, () => plural.map(underscore), () => plural)
    bare = either(flag('freezeTableName', false), () => [def.name], () => plurals)
  }
  tables = bare.map(t => (schema ? `${schema}.${t}` : t))
  // Attributes it cannot see (a spread, a computed object): the ones it sees are still mapped.
  const attributes = objectOptions(def.attributes) ?? { props: new Map(), complete: false }
  if (!attributes.complete) fail('attributes that are not all in an object literal', def.attributes)
  const model: Model = { def, tables, fields: new Map(), primaryKey: 'id', underscored, singular: null }
  const singularOption = objectOptions(objectOptions(def.options)?.props.get('name')?.value)
  model.singular = (singularOption ? stringValue(singularOption.props.get('singular')?.value) : null) ?? singularize(def.name)
  const filled: string[] = []
  let primary: Tri = false
  for (const [key, { key: keyNode, value }] of attributes.props) {
    const attribute = objectOptions(value)
    const type = attribute ? attribute.props.get('type')?.value : value
    // A VIRTUAL attribute has no column.
    if (type && /\bVIRTUAL\b/.test(sourceOf(type))) continue
    const field = attribute ? attribute.props.get('field') : undefined
    const given = field ? stringValue(field.value) : null
    if (field && given === null) {
      fail(`a computed field name for ${key}`, field.value)
      continue
    }
    const names = given !== null ? [given] : either(underscored, () => [underscore(key)], () => [key])
    model.fields.set(key, names)
    for (const table of tables) for (const name of names) out.column(def.file, table, name, (field?.value ?? keyNode).start, { read: true, inserted: true })
    const isPrimary = attribute ? optionOf(attribute, 'primaryKey') : null
    if (isPrimary === true && primary === false) model.primaryKey = key
    if (isPrimary === true) primary = true
    else if (isPrimary === UNKNOWN && primary === false) primary = UNKNOWN
    if (attribute?.props.has('defaultValue')) filled.push(...names)
  }
  // What Sequelize adds: `id` unless a primary key is declared, the timestamps, the version.
  const implicit = (name: string, always: boolean) => {
    // Declared among the attributes: mapped there, still set by Sequelize.
    if (attributes.props.has(name)) return void (always && filled.push(...(model.fields.get(name) ?? [])))
    const names = either(underscored, () => [underscore(name)], () => [name])
    model.fields.set(name, names)
    for (const table of tables) for (const column of names) out.column(def.file, table, column, def.at.start, { read: true, inserted: true })
    if (always) filled.push(...names)
  }
  if (primary !== true && opt('noPrimaryKey') !== true) implicit('id', false)
  const timestamps = flag('timestamps', true)
  const paranoid = flag('paranoid', false)
  // deletedAt needs both: paranoid only counts with timestamps.
  const deleted: Tri = timestamps === false || paranoid === false ? false : timestamps === true && paranoid === true ? true : UNKNOWN
  for (const [key, on] of [['createdAt', timestamps], ['updatedAt', timestamps], ['deletedAt', deleted]] as const) {
    if (on === false) continue
    const named = opt(key)
    if (named === false) continue
    if (named === UNKNOWN || named === true) {
      fail(`a computed ${key} option`)
      continue
    }
    implicit(named ?? key, on === true && key !== 'deletedAt')
  }
  const version = opt('version')
  if (version === UNKNOWN) fail('a computed version option')
  else if (version) implicit(typeof version === 'string' ? version : 'version', true)
  for (const table of tables) out.table(def.file, table, def.at.start, filled)
  return model
}

function sourceOf(node: Node): string {
  const n = unwrap(node)
  if (n.type === 'CallExpression' || n.type === 'NewExpression') return sourceOf(n.callee)
  return sourceText(n) || (stringValue(n) ?? '')
}

/** An association call: `A.belongsTo(B, options)` and the like. */
interface Association {
  index: ModuleIndex
  name: string
  call: CallExpression
  at: Node
}

/**
 * `A.belongsTo(B, { foreignKey, as })` adds a foreign key to A, `A.hasOne(B)` / `A.hasMany(B)` to B:
 * named by `foreignKey`, else by Sequelize's default (`camelize(singular + '_' + primaryKey)`).
 * `belongsToMany` adds a junction table: not read, unresolved for it.
 */
function associate(association: Association, models: readonly Model[], v7: boolean, out: MappingBuilder): void {
  const file = association.index.file
  const [targetNode, optionsNode] = association.call.arguments as Node[]
  const source = modelOf(receiverOf(association.call), association.index, models)
  const target = targetNode ? modelOf(targetNode, association.index, models) : null
  const fail = (reason: string, on: { tables: string[] } | null) => {
    if (!on) out.unresolved(file, association.at.start, reason, 'any table')
    else for (const table of on.tables) out.unresolved(file, association.at.start, reason, { table })
  }
  if (!source || !target) return fail(`a Sequelize ${association.name} between models this reader cannot name: the foreign key it adds is not known`, null)
  const options = optionsNode ? objectOptions(optionsNode) : { props: new Map(), complete: true }
  if (association.name === 'belongsToMany') {
    // `through: 'memberships'` is the junction table's name; `through: Membership` a model's.
    const through = options?.props.get('through')?.value
    const model = through ? (objectOptions(through)?.props.get('model')?.value ?? through) : null
    const named = model ? stringValue(model) : null
    const junction = named !== null ? { tables: [named] } : model ? modelOf(model, association.index, models) : null
    return fail(`the junction table of ${source.def.name}.belongsToMany(${target.def.name}) is not read`, junction)
  }
  const holder = association.name === 'belongsTo' ? source : target
  const unknownKey = () => fail(`the foreign key of ${source.def.name}.${association.name}(${target.def.name}) is computed`, holder)
  if (!options) return unknownKey()
  let key: string | null = null
  let field: string | null = null
  const foreignKey = options.props.get('foreignKey')
  if (foreignKey) {
    const fk = objectOptions(foreignKey.value)
    key = fk ? (stringValue(fk.props.get('name')?.value) ?? stringValue(fk.props.get('fieldName')?.value)) : stringValue(foreignKey.value)
    field = fk ? stringValue(fk.props.get('field')?.value) : null
    if (key === null && field === null) return unknownKey()
  } else if (!options.complete) return unknownKey()
  else if (v7) return fail(`the default foreign key of ${source.def.name}.${association.name}(${target.def.name}): Sequelize 7 names it its own way`, holder)
  else {
    const as = options.props.get('as')
    const alias = as ? (stringValue(as.value) ?? stringValue(objectOptions(as.value)?.props.get('singular')?.value)) : null
    if (as && alias === null) return unknownKey()
    const [named, keyOf] =
      association.name === 'belongsTo' ? [alias ?? target.singular, target] : association.name === 'hasOne' ? [singularize(alias ?? source.def.name), source] : [source.singular, source]
    if (named === null) return fail(`the foreign key of ${source.def.name}.${association.name}(${target.def.name}) is named after inflection's singular of a name it does not treat alike in each version`, holder)
    key = camelize(`${named}_${keyOf.primaryKey}`)
  }
  const names = field !== null ? [field] : (holder.fields.get(key!) ?? either(holder.underscored, () => [underscore(key!)], () => [key!]))
  const at = foreignKey?.value ?? association.at
  for (const table of holder.tables) for (const name of names) out.column(file, table, name, at.start, { read: true, inserted: true })
}

/** `User`, `models.User`, `db.User`, `this` (in a model class): the model. */
function modelOf(node: Node, index: ModuleIndex, models: readonly Model[]): Model | null {
  const n = unwrap(node)
  const here = (binding: string) => models.find(m => m.def.file === index.file && m.def.bindings.includes(binding))
  if (n.type === 'ThisExpression') {
    const cls = enclosingClass(index, n)
    return cls?.id ? (here(cls.id.name) ?? null) : null
  }
  const local = identifierName(n)
  const bound = local ? here(local) : undefined
  if (bound) return bound
  const name = local ?? propertyName(n)
  if (!name) return null
  const named = models.filter(m => m.def.name === name || m.def.bindings.includes(name))
  return named.length === 1 ? named[0] : null
}
