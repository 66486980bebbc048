// Issue 13, end to end: TypeORM entities and Sequelize models of the previous release are implicit
// full-row reads of their tables, in a real git repository. A column the old entity or model maps is
// read by every query made through it, wherever those are; a column it does not map is read by none,
// even when a property of the mapping bears its name (`phone` maps phone_number, the column that
// replaced phone).
import { describe, expect, it } from 'vitest'
import { at } from '../usage/helpers.js'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const MIGRATION = 'CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL, phone text, phone_number text, created_at timestamptz NOT NULL DEFAULT now());\n'

interface Case {
  orm: string
  files: Record<string, string>
  /** The module that maps users.email, the text of the line that maps it, and the lines this release removes. */
  mapping: { file: string; line: string; removed: string }
}

const typeorm: Case = {
  orm: 'TypeORM',
  files: {
    'src/entities/user.entity.ts': `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm'

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column()
  email!: string

  @Column({ name: 'phone_number', nullable: true })
  phone!: string | null

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date
}
`,
    'src/users.service.ts': `import { Repository } from 'typeorm'
import { User } from './entities/user.entity'

export class UsersService {
  constructor(private readonly users: Repository<User>) {}

  newest() {
    return this.users.find({ order: { createdAt: 'DESC' }, take: 10 })
  }
}
`,
  },
  mapping: { file: 'src/entities/user.entity.ts', line: '@Column()', removed: '  @Column()\n  email!: string\n\n' },
}

const sequelize: Case = {
  orm: 'Sequelize',
  files: {
    'src/db.js': "const { Sequelize } = require('sequelize')\nmodule.exports = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres' })\n",
    'src/models/user.js': `const { DataTypes, Model } = require('sequelize')
const sequelize = require('../db')

class User extends Model {}

User.init(
  {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    email: { type: DataTypes.TEXT, allowNull: false },
    phone: { type: DataTypes.TEXT, field: 'phone_number' },
  },
  { sequelize, tableName: 'users', underscored: true, updatedAt: false },
)

module.exports = User
`,
    'src/routes/users.js': `const User = require('../models/user')

exports.newest = () => User.findAll({ order: [['createdAt', 'DESC']], limit: 10 })
`,
  },
  mapping: { file: 'src/models/user.js', line: 'email: {', removed: '    email: { type: DataTypes.TEXT, allowNull: false },\n' },
}

function v1(c: Case): TestRepo {
  return new TestRepo()
    .commit('v1.0', { 'migrations/001_users.sql': MIGRATION, ...c.files })
    .tag('v1.0')
}

describe.each([typeorm, sequelize])('the $orm reader, end to end', c => {
  it('a column the old mapping maps is read by every query through it: dropping it is not revert-safe, at the mapping line', () => {
    const [file, text] = [c.mapping.file, c.files[c.mapping.file]]
    const repo = v1(c).commit('stop mapping email, drop it', {
      'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      [file]: text.replace(c.mapping.removed, ''),
    })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_email.sql:1:1')
    const message = doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message
    expect(message).toContain(`${file}:${at(text, c.mapping.line).line} selects users.email`)
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('control: a column the old mapping does not map is read by no query: dropping it is revert-safe, exit 0', () => {
    const repo = v1(c).commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc, found } = lint(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read') || f.startsWith('unproven-change'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })
})
