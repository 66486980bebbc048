import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import { scanUsage } from '../../../src/usage/index.js'
import { unaccountedMentions } from '../../../src/usage/readers/text-fallback.js'
import { at } from '../helpers.js'
import { expectedRecords, recordsOf, scanTree as scan, unresolvedOf, type Row, type Tree } from './orm-records.js'

beforeAll(() => loadParser())

/** A small app in TypeORM's idiom: a base class, an embedded class, relations of every kind. */
const APP: Tree = {
  'src/entities/base.entity.ts': `import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm'

export abstract class Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date
}
`,
  'src/entities/address.ts': `import { Column } from 'typeorm'

export class Address {
  @Column()
  street!: string

  @Column({ name: 'zip', length: 10 })
  zipCode!: string
}
`,
  'src/entities/user.entity.ts': `import { Column, DeleteDateColumn, Entity, JoinTable, ManyToMany, ManyToOne, OneToMany, VersionColumn } from 'typeorm'
import { IsEmail } from 'class-validator'
import { Timestamped } from './base.entity'
import { Address } from './address'
import { Organization } from './organization.entity'
import { Post } from './post.entity'
import { Role } from './role.entity'

@Entity('users')
export class User extends Timestamped {
  @IsEmail()
  @Column({ unique: true })
  email!: string

  @Column({ name: 'first_name', nullable: true })
  firstName!: string | null

  @Column({ select: false })
  passwordHash!: string

  @Column(() => Address)
  address!: Address

  @ManyToOne(() => Organization, org => org.members, { onDelete: 'CASCADE' })
  organization!: Organization

  @OneToMany(() => Post, post => post.author)
  posts!: Post[]

  @ManyToMany(() => Role)
  @JoinTable({ name: 'user_roles', joinColumn: { name: 'user_id' }, inverseJoinColumn: { name: 'role_id' } })
  roles!: Role[]

  @VersionColumn()
  version!: number

  @DeleteDateColumn()
  deletedAt!: Date | null
}
`,
  'src/entities/organization.entity.ts': `import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm'
import { User } from './user.entity'

@Entity({ name: 'organizations', schema: 'tenancy' })
export class Organization {
  @PrimaryColumn()
  slug!: string

  @Column('varchar', { name: 'display_name', length: 200 })
  displayName!: string

  @OneToMany(() => User, user => user.organization)
  members!: User[]
}
`,
  'src/entities/post.entity.ts': `import { Column, Entity, JoinColumn, ManyToMany, ManyToOne, OneToOne, PrimaryGeneratedColumn, RelationId, JoinTable } from 'typeorm'
import { User } from './user.entity'
import { Image } from './image.entity'
import { Tag } from './tag.entity'

@Entity()
export class BlogPost {
  @PrimaryGeneratedColumn()
  id!: number

  @Column('text')
  body!: string

  @ManyToOne(() => User, user => user.posts)
  @JoinColumn({ name: 'author_id' })
  author!: User

  @RelationId((post: BlogPost) => post.author)
  authorId!: string

  @OneToOne(() => Image)
  @JoinColumn()
  cover!: Image

  @OneToOne(() => Image)
  thumbnail!: Image

  @ManyToMany(() => Tag, tag => tag.posts)
  @JoinTable()
  tags!: Tag[]
}
`,
  'src/entities/image.entity.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

@Entity('images')
export class Image {
  @PrimaryGeneratedColumn()
  id!: number

  @Column()
  url!: string
}
`,
  'src/entities/tag.entity.ts': `import { Column, Entity, ManyToMany, PrimaryColumn } from 'typeorm'
import { BlogPost } from './post.entity'

@Entity('tags')
export class Tag {
  @PrimaryColumn({ name: 'tag_name' })
  name!: string

  @ManyToMany(() => BlogPost, post => post.tags)
  posts!: BlogPost[]
}
`,
  'src/entities/role.entity.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

@Entity('roles')
export class Role {
  @PrimaryGeneratedColumn()
  id!: number

  @Column()
  name!: string
}
`,
}

const BASE = 'src/entities/base.entity.ts'
const USER = 'src/entities/user.entity.ts'
const POST = 'src/entities/post.entity.ts'

describe('the TypeORM reader: an entity reads every column it maps, where it maps it', () => {
  const found = scan(APP)
  /** The records of one table are exactly `rows`. */
  const expectTable = (name: string, rows: Row[]) => expect(recordsOf(found, name)).toEqual(expectedRecords(APP, rows))

  it('users: its own columns (name overrides, property names otherwise), inherited ones at the base class, embedded ones prefixed', () => {
    expectTable('users', [
      [USER, "@Entity('users')", ''],
      [BASE, "@PrimaryGeneratedColumn('uuid')", 'id'],
      [BASE, "'created_at'", 'created_at'],
      [BASE, "'updated_at'", 'updated_at'],
      [USER, '@Column({ unique: true })', 'email'],
      [USER, "'first_name'", 'first_name'],
      // select: false: no default select reads it, every INSERT still names it
      [USER, '@Column({ select: false })', 'passwordHash', ['insert']],
      // embedded: camelCase(prefix) + titleCase(name), at the embedded class's lines
      ['src/entities/address.ts', '@Column()', 'addressStreet'],
      ['src/entities/address.ts', "'zip'", 'addressZip'],
      // ManyToOne without @JoinColumn: camelCase(relation + '_' + the target's primary property)
      [USER, '@ManyToOne', 'organizationSlug'],
      [USER, '@VersionColumn()', 'version'],
      [USER, '@DeleteDateColumn()', 'deletedAt'],
    ])
  })

  it('tables are named by @Entity (name, schema) or snake_case of the class; join columns by @JoinColumn or the default', () => {
    expectTable('tenancy.organizations', [
      ['src/entities/organization.entity.ts', '@Entity(', ''],
      ['src/entities/organization.entity.ts', '@PrimaryColumn()', 'slug'],
      ['src/entities/organization.entity.ts', "'display_name'", 'display_name'],
    ])
    expectTable('blog_post', [
      [POST, '@Entity()', ''],
      [POST, '@PrimaryGeneratedColumn()', 'id'],
      [POST, "@Column('text')", 'body'],
      [POST, "'author_id'", 'author_id'],
      // an owning OneToOne (@JoinColumn() without a name); the other OneToOne owns nothing, RelationId maps nothing
      [POST, '@OneToOne(() => Image)', 'coverId'],
    ])
  })

  it('an owning @ManyToMany maps its junction table: @JoinTable names, or the defaults of both sides', () => {
    expectTable('user_roles', [
      [USER, '@JoinTable(', ''],
      [USER, "'user_id'", 'user_id'],
      [USER, "'role_id'", 'role_id'],
    ])
    // snakeCase(owner table + '_' + property + '_' + target table); columns camelCase(table + '_' + primary column)
    expectTable('blog_post_tags_tags', [
      [POST, '@JoinTable()', ''],
      [POST, '@JoinTable()', 'blogPostId'],
      [POST, '@JoinTable()', 'tagsTagName'],
    ])
  })

  it('each entity is an INSERT that sets only what TypeORM fills in itself (the version); the junction tables set both keys', () => {
    const inserts = found.inserts.map(i => `${i.table} [${i.columns.join(', ')}] ${i.columnsKnown} ${i.loc.file}:${i.loc.line}`).sort()
    const line = (file: string, needle: string) => at(APP[file], needle).line
    expect(inserts).toEqual(
      [
        `users [version] true ${USER}:${line(USER, "@Entity('users')")}`,
        `user_roles [role_id, user_id] true ${USER}:${line(USER, '@JoinTable(')}`,
        `tenancy.organizations [] true src/entities/organization.entity.ts:4`,
        `blog_post [] true ${POST}:${line(POST, '@Entity()')}`,
        `blog_post_tags_tags [blogPostId, tagsTagName] true ${POST}:${line(POST, '@JoinTable()')}`,
        'images [] true src/entities/image.entity.ts:3',
        'tags [] true src/entities/tag.entity.ts:4',
        'roles [] true src/entities/role.entity.ts:3',
      ].sort(),
    )
    expect(found.unresolved).toEqual([])
  })
})

describe('the TypeORM reader: naming', () => {
  const entity = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, JoinColumn } from 'typeorm'

@Entity()
export class UserProfile {
  @PrimaryGeneratedColumn()
  id!: number

  @Column()
  displayName!: string

  @ManyToOne(() => UserProfile)
  @JoinColumn({ referencedColumnName: 'displayName' })
  mentor!: UserProfile
}
`

  /** What the profile entity's lines read: the table, `id`, and the two names the strategy gives. */
  function reads(tree: Tree, displayName: string, mentorColumn: string): string[] {
    const file = 'src/profile.ts'
    return expectedRecords(tree, [
      [file, '@Entity()', ''],
      [file, '@PrimaryGeneratedColumn()', 'id', ['select']],
      [file, '@Column()', displayName, ['select']],
      [file, '@ManyToOne', mentorColumn, ['select']],
    ])
  }

  it('the default strategy keeps property names as columns (no snake_case) and snake-cases the class for the table', () => {
    const tree = { 'src/profile.ts': entity }
    // referencedColumnName: camelCase(relation + '_' + that property)
    expect(recordsOf(scan(tree), 'user_profile').filter(r => r.includes(' select '))).toEqual(reads(tree, 'displayName', 'mentorDisplayName'))
  })

  it("typeorm-naming-strategies' SnakeNamingStrategy, named by the data source, snake-cases columns and join columns", () => {
    const tree = {
      'src/profile.ts': entity,
      'src/data-source.ts': `import { DataSource } from 'typeorm'
import { SnakeNamingStrategy } from 'typeorm-naming-strategies'

export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: ['src/**/*.ts'],
  namingStrategy: new SnakeNamingStrategy(),
})
`,
    }
    expect(recordsOf(scan(tree), 'user_profile').filter(r => r.includes(' select '))).toEqual(reads(tree, 'display_name', 'mentor_display_name'))
  })

  it('a data source schema and entityPrefix apply to every entity that does not name its schema', () => {
    const tree = {
      'src/profile.ts': entity,
      'src/app.module.ts': `import { TypeOrmModule } from '@nestjs/typeorm'
export const orm = TypeOrmModule.forRoot({ type: 'postgres', schema: 'app', entityPrefix: 'x_', entities: [] })
`,
    }
    expect(recordsOf(scan(tree), 'app.x_user_profile').filter(r => r.includes('(table)'))).toEqual(expectedRecords(tree, [['src/profile.ts', '@Entity()', '']]))
  })
})

describe('the TypeORM reader: trees', () => {
  it("@Tree adds its columns (mpath) or its closure table (<table>_closure, <primary>_ancestor / _descendant, level); @TreeParent's join column", () => {
    const file = 'src/tree.ts'
    const tree = {
      [file]: `import { Column, Entity, PrimaryGeneratedColumn, Tree, TreeChildren, TreeLevelColumn, TreeParent } from 'typeorm'

@Entity('folders')
@Tree('materialized-path')
export class Folder {
  @PrimaryGeneratedColumn()
  id!: number

  @TreeParent()
  parent!: Folder

  @TreeChildren()
  children!: Folder[]
}

@Entity('departments')
@Tree('closure-table')
export class Department {
  @PrimaryGeneratedColumn()
  id!: number

  @TreeLevelColumn()
  depth!: number
}
`,
    }
    const found = scan(tree)
    expect(recordsOf(found, 'folders')).toEqual(
      expectedRecords(tree, [
        [file, "@Entity('folders')", ''],
        [file, "@Tree('materialized-path')", 'mpath'],
        [file, '@PrimaryGeneratedColumn()', 'id'],
        [file, '@TreeParent()', 'parentId'],
      ]),
    )
    expect(recordsOf(found, 'departments_closure')).toEqual(
      expectedRecords(tree, [
        [file, "@Tree('closure-table')", ''],
        [file, "@Tree('closure-table')", 'id_ancestor'],
        [file, "@Tree('closure-table')", 'id_descendant'],
        [file, "@Tree('closure-table')", 'level'],
      ]),
    )
  })
})

describe('the TypeORM reader: what it cannot tell is unresolved', () => {
  const unresolved = (tree: Tree) => unresolvedOf(scan(tree))

  it('a naming strategy it does not know: any table', () => {
    const tree = {
      'src/data-source.ts': `import { DataSource } from 'typeorm'
import { MyNamingStrategy } from './naming'
export const source = new DataSource({ type: 'postgres', namingStrategy: new MyNamingStrategy() })
`,
    }
    const { line, column } = at(tree['src/data-source.ts'], 'namingStrategy')
    expect(unresolved(tree)).toEqual([
      `src/data-source.ts:${line}:${column} (any table) a TypeORM naming strategy this reader does not know names the tables and columns of every entity`,
    ])
  })

  it('a parent class outside the tree, a computed column name, an EntitySchema, a closure table named by a function: the table they concern', () => {
    const tree = {
      'src/account.ts': `import { Column, Entity, EntitySchema, Tree } from 'typeorm'
import { AuditedEntity } from '@acme/orm-base'

const NAME = 'legacy'

@Entity('accounts')
export class Account extends AuditedEntity {
  @Column({ name: NAME })
  legacy!: string
}

@Entity('categories')
@Tree('closure-table', { ancestorColumnName: column => 'up_' + column.propertyName })
export class Category {
  @Column()
  title!: string
}

export const Event = new EntitySchema({ name: 'Event', tableName: 'events', columns: { id: { type: Number, primary: true } } })
`,
    }
    const text = tree['src/account.ts']
    const where = (needle: string) => `src/account.ts:${at(text, needle).line}:${at(text, needle).column}`
    expect(unresolved(tree).sort()).toEqual(
      [
        `${where('AuditedEntity {')} accounts the TypeORM entity Account extends AuditedEntity, a class the scanned code does not declare (or declares more than once): the columns it inherits are not known`,
        `${where('@Column({ name: NAME })')} accounts a computed TypeORM column name of Account.legacy`,
        `${where("@Tree('closure-table'")} categories the TypeORM @Tree of Category: the columns and tables TypeORM adds for it are not known`,
        `${where('new EntitySchema')} events a TypeORM EntitySchema: the columns it maps are not read`,
      ].sort(),
    )
  })
})

describe('the TypeORM reader: raw SQL and the text fallback', () => {
  it('dataSource.query / manager.query with SQL text are read as SQL', () => {
    const tree = {
      ...APP,
      'src/reports.ts': `import { DataSource, EntityManager } from 'typeorm'

export const legacy = (ds: DataSource) => ds.query('SELECT legacy_code FROM users WHERE id = $1', ['x'])
export const stale = (manager: EntityManager) => manager.query(\`UPDATE users SET nickname = NULL\`)
`,
    }
    const reports = 'src/reports.ts'
    expect(recordsOf(scan(tree), 'users').filter(r => r.includes(reports))).toEqual(
      expectedRecords(tree, [
        [reports, 'users WHERE', ''],
        [reports, 'id = $1', 'id', ['where']],
        [reports, 'legacy_code', 'legacy_code', ['select']],
        [reports, 'users SET', '', ['update']],
        [reports, 'nickname', 'nickname', ['update']],
      ]),
    )
  })

  it('entity and query modules are understood: a property the entity maps to another column is no mention of it; QueryBuilder SQL is', () => {
    const files = Object.entries({
      ...APP,
      'src/users.service.ts': `import { Repository } from 'typeorm'
import { User } from './entities/user.entity'

export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  byName(firstName: string) {
    return this.users.find({ where: { firstName } })
  }
  stale() {
    return this.users.createQueryBuilder('user').where('user.nick_name IS NULL').getMany()
  }
}
`,
    }).map(([path, text]) => ({ path, text }))
    const usage = scanUsage(files)
    const mentions = (column: string) => unaccountedMentions(files, usage, { table: 'users', column }).map(m => `${m.file}:${m.line} ${m.what}`)
    // `firstName` is the property the entity maps to first_name: a column named firstName is read by no query.
    expect(mentions('firstName')).toEqual([])
    const service = files.find(f => f.path === 'src/users.service.ts')!.text
    expect(mentions('nick_name')).toEqual([`src/users.service.ts:${at(service, 'nick_name').line} names users.nick_name`])
  })
})
