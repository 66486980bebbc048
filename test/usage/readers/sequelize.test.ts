import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import { scanUsage, type UsageScan } from '../../../src/usage/index.js'
import { camelize, pluralize, singularize, underscore } from '../../../src/usage/readers/sequelize-inflection.js'
import { unaccountedMentions } from '../../../src/usage/readers/text-fallback.js'
import { at } from '../helpers.js'
import { expectedRecords as expected, recordsOf, scanTree as scan, unresolvedOf, type Tree } from './orm-records.js'

beforeAll(() => loadParser())

function inserts(found: UsageScan): string[] {
  return found.inserts.map(i => `${i.table} [${i.columns.join(', ')}] ${i.loc.file}:${i.loc.line}:${i.loc.column}`).sort()
}

const DB = `const { Sequelize } = require('sequelize')

module.exports = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', logging: false })
`

/** sequelize-cli's idiom: a module per model that defines it and associates it. */
const USER = `'use strict'
const { DataTypes } = require('sequelize')

module.exports = (sequelize) => {
  const User = sequelize.define('User', {
    email: { type: DataTypes.STRING, allowNull: false, unique: true },
    firstName: { type: DataTypes.STRING, field: 'first_name' },
    role: { type: DataTypes.STRING, defaultValue: 'member' },
    fullName: {
      type: DataTypes.VIRTUAL,
      get() {
        return this.firstName
      },
    },
  }, { paranoid: true })

  User.associate = (models) => {
    User.belongsTo(models.Team)
    User.hasMany(models.Post, { foreignKey: 'authorId', as: 'posts' })
  }
  return User
}
`

/** The class idiom: `init` in a static method, with its own options. */
const POST = `import { DataTypes, Model, type Sequelize } from 'sequelize'

export class Post extends Model {
  declare id: number
  declare title: string

  static initModel(sequelize: Sequelize) {
    return Post.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        publishedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'blog_posts', underscored: true, updatedAt: false },
    )
  }
}
`

const TEAM = `const { DataTypes, Model } = require('sequelize')
const sequelize = require('../db')

class Team extends Model {}
Team.init({ name: DataTypes.STRING }, { sequelize, modelName: 'Team', freezeTableName: true, timestamps: false })

module.exports = Team
`

const APP: Tree = { 'src/db.js': DB, 'src/models/user.js': USER, 'src/models/post.ts': POST, 'src/models/team.js': TEAM }
const U = 'src/models/user.js'
const P = 'src/models/post.ts'
const T = 'src/models/team.js'

describe('the Sequelize reader: a model reads every column it maps, where it maps it', () => {
  const found = scan(APP)

  it('define: the plural table, attributes by name or field (VIRTUAL maps none), the implicit id, the timestamps, paranoid deletedAt, belongsTo keys', () => {
    expect(recordsOf(found, 'Users')).toEqual(
      expected(APP, [
        [U, "define('User'", ''],
        [U, "define('User'", 'id'],
        [U, 'email:', 'email'],
        [U, "'first_name'", 'first_name'],
        [U, 'role:', 'role'],
        [U, "define('User'", 'createdAt'],
        [U, "define('User'", 'updatedAt'],
        [U, "define('User'", 'deletedAt'],
        // belongsTo(Team): camelize(singular model name + '_' + its primary key)
        [U, 'belongsTo(models.Team)', 'TeamId'],
      ]),
    )
  })

  it('init: tableName, underscored fields and timestamps, updatedAt: false, a declared primary key; a hasMany foreign key on the target', () => {
    expect(recordsOf(found, 'blog_posts')).toEqual(
      expected(APP, [
        [P, 'init(', ''],
        [P, 'id: { type', 'id'],
        [P, 'title: { type', 'title'],
        [P, 'publishedAt:', 'published_at'],
        [P, 'init(', 'created_at'],
        // hasMany(Post, { foreignKey: 'authorId' }): the key is Post's, snake-cased by Post's own underscored
        [U, "'authorId'", 'author_id'],
      ]),
    )
    expect(recordsOf(found, 'Team')).toEqual(
      expected(APP, [
        [T, 'init(', ''],
        [T, 'init(', 'id'],
        [T, 'name:', 'name'],
      ]),
    )
  })

  it('each model is an INSERT that sets what Sequelize fills in itself: defaultValue attributes and the timestamps it writes', () => {
    const where = (file: string, needle: string) => `${file}:${at(APP[file], needle).line}:${at(APP[file], needle).column}`
    expect(inserts(found)).toEqual(
      [`Users [createdAt, role, updatedAt] ${where(U, "define('User'")}`, `blog_posts [created_at] ${where(P, 'init(')}`, `Team [] ${where(T, 'init(')}`].sort(),
    )
    expect(found.unresolved).toEqual([])
  })
})

describe('the Sequelize reader: a definition module that does not name sequelize', () => {
  it('db.define with DataTypes is read like sequelize.define', () => {
    const tree = { 'src/db.js': DB, 'src/models/tag.js': "module.exports = (db, DataTypes) => db.define('Tag', { label: DataTypes.STRING }, { timestamps: false })\n" }
    const file = 'src/models/tag.js'
    expect(recordsOf(scan(tree), 'Tags')).toEqual(
      expected(tree, [
        [file, 'define', ''],
        [file, 'define', 'id'],
        [file, 'label:', 'label'],
      ]),
    )
  })
})

describe('the Sequelize reader: options the instance gives every model', () => {
  const model = `module.exports = (sequelize, DataTypes) =>
  sequelize.define('OrderItem', {
    unitPrice: DataTypes.DECIMAL,
  }, { timestamps: false })
`
  const tables = (found: UsageScan) => [...new Set(found.usages.map(u => `${u.table}.${u.column || '(table)'}`))].sort()

  it("new Sequelize(…, { define: { underscored: true } }) snake-cases the table and fields of every model that does not say otherwise", () => {
    const tree = { 'src/db.js': "module.exports = new Sequelize(url, { define: { underscored: true } })\n", 'src/order-item.js': model }
    expect(tables(scan(tree))).toEqual(['order_items.(table)', 'order_items.id', 'order_items.unit_price'])
  })

  it('define options the tree does not spell (a config object): every name either way is mapped', () => {
    const tree = { 'src/db.js': 'module.exports = new Sequelize(config.database, config.username, config.password, config)\n', 'src/order-item.js': model }
    expect(tables(scan(tree))).toEqual([
      'OrderItem.(table)',
      'OrderItem.id',
      'OrderItem.unitPrice',
      'OrderItem.unit_price',
      'OrderItems.(table)',
      'OrderItems.id',
      'OrderItems.unitPrice',
      'OrderItems.unit_price',
      'order_items.(table)',
      'order_items.id',
      'order_items.unitPrice',
      'order_items.unit_price',
    ])
  })
})

describe('the Sequelize reader: what it cannot tell is unresolved', () => {
  const unresolved = (tree: Tree) => unresolvedOf(scan(tree))

  it("a default table name inflection's versions do not agree on, a belongsToMany, an association of models it cannot name", () => {
    const tree = {
      'src/db.js': DB,
      'src/models.js': `const { DataTypes } = require('sequelize')
const sequelize = require('./db')

const Person = sequelize.define('Person', { name: DataTypes.STRING })
const Member = sequelize.define('Member', { name: DataTypes.STRING })
const Group = sequelize.define('Group', { title: DataTypes.STRING }, { tableName: 'groups' })
Group.belongsToMany(Member, { through: 'memberships' })
Group.hasMany(registry.lookup('Badge'))
const Audit = sequelize.define('Audit', { ...stamps, action: DataTypes.STRING }, { tableName: 'audits' })
`,
    }
    const text = tree['src/models.js']
    const where = (needle: string) => `src/models.js:${at(text, needle).line}:${at(text, needle).column}`
    // The attributes it sees are still mapped.
    expect(recordsOf(scan(tree), 'audits').filter(r => r.includes(' select '))).toEqual(
      expected(tree, [
        ['src/models.js', "define('Audit'", ''],
        ['src/models.js', "define('Audit'", 'id', ['select']],
        ['src/models.js', 'action:', 'action', ['select']],
        ['src/models.js', "define('Audit'", 'createdAt', ['select']],
        ['src/models.js', "define('Audit'", 'updatedAt', ['select']],
      ]),
    )
    expect(unresolved(tree).sort()).toEqual(
      [
        `${where('{ ...stamps')} audits attributes that are not all in an object literal of the Sequelize model Audit`,
        `${where("define('Person'")} (any table) the table name (inflection's plural of 'Person', not the same in each of its versions: give tableName) of the Sequelize model Person`,
        `${where('belongsToMany')} memberships the junction table of Group.belongsToMany(Member) is not read`,
        `${where('hasMany')} (any table) a Sequelize hasMany between models this reader cannot name: the foreign key it adds is not known`,
      ].sort(),
    )
  })

  it('a default foreign key under Sequelize 7 (@sequelize/core), which names it its own way', () => {
    const tree = {
      'src/models.ts': `import { DataTypes, Sequelize } from '@sequelize/core'
const sequelize = new Sequelize({ dialect: 'postgres' })
const User = sequelize.define('User', { email: DataTypes.STRING })
const Post = sequelize.define('Post', { title: DataTypes.STRING })
Post.belongsTo(User)
`,
    }
    const { line, column } = at(tree['src/models.ts'], 'belongsTo')
    expect(unresolvedOf(scan(tree))).toEqual([`src/models.ts:${line}:${column} Posts the default foreign key of Post.belongsTo(User): Sequelize 7 names it its own way`])
  })
})

describe('the Sequelize reader: raw SQL and the text fallback', () => {
  it('sequelize.query with SQL text is read as SQL', () => {
    const tree = {
      ...APP,
      'src/reports.js': `const sequelize = require('./db')
exports.legacy = () => sequelize.query('SELECT legacy_code FROM "Users"', { type: sequelize.QueryTypes.SELECT })
`,
    }
    expect(recordsOf(scan(tree), 'Users').filter(r => r.includes('src/reports.js'))).toEqual(
      expected(tree, [
        ['src/reports.js', '"Users"', ''],
        ['src/reports.js', 'legacy_code', 'legacy_code', ['select']],
      ]),
    )
  })

  it('the words of model definitions are the mapping; a query call that names a key no model maps is a mention', () => {
    const files = Object.entries({
      ...APP,
      'src/services/users.js': `const { User } = require('../models')
exports.flagged = () => User.findAll({ where: { legacyFlag: true } })
`,
    }).map(([path, text]) => ({ path, text }))
    const usage = scanUsage(files)
    const mentions = (column: string) => unaccountedMentions(files, usage, { table: 'Users', column }).map(m => `${m.file}:${m.line} ${m.what}`)
    // `type` (an option word inside the definitions) and `fullName` (a VIRTUAL attribute) name no column of Users.
    expect(mentions('type')).toEqual([])
    expect(mentions('fullName')).toEqual([])
    expect(mentions('legacy_flag')).toEqual(['src/services/users.js:2 names Users.legacy_flag'])
  })
})

describe('Sequelize names, as inflection makes them', () => {
  it('plurals: regular ones, both names for a word some version takes as uncountable, null where versions differ', () => {
    expect(['User', 'Category', 'Box', 'Address', 'Day', 'OrderItem', 'Quota'].map(pluralize)).toEqual([
      ['Users'],
      ['Categories'],
      ['Boxes'],
      ['Addresses'],
      ['Days'],
      ['OrderItems'],
      ['Quota'],
    ])
    // Uncountable in some version: both names.
    expect(pluralize('Software')).toEqual(['Software', 'Softwares'])
    expect(['Person', 'Status', 'Human', 'Index', 'Shelf'].map(pluralize)).toEqual([null, null, null, null, null])
    expect(['User', 'Team', 'Users', 'Media'].map(singularize)).toEqual(['User', 'Team', null, null])
    expect([underscore('OrderItems'), underscore('userID'), camelize('User_id'), camelize('author_id')]).toEqual(['order_items', 'user_i_d', 'UserId', 'authorId'])
  })
})
