// Which config a run uses and what its paths mean (issue 17, items 1 and 2), without the CLI around it.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findConfigFile } from '../../src/config-file.js'
import { DEFAULT_CONFIG, loadConfig } from '../../src/config.js'
import { migrationEntries } from '../../src/discover/folders.js'
import { tempTree } from './helpers.js'

const RULES = new Set(['missing-lock-timeout'])

function repo(files: Record<string, string>): string {
  const dir = tempTree(files)
  fs.mkdirSync(path.join(dir, '.git'))
  return dir
}

describe('the nearest config', () => {
  const root = repo({
    'migrate-lint.config.json': '{}',
    'packages/api/migrate-lint.config.json': '{ "migrations": ["db/migrations/*.sql"] }',
    'packages/api/src/deep/x.ts': '',
    'packages/web/package.json': '{ "name": "web", "migrate-lint": { "rules": { "missing-lock-timeout": "off" } } }',
    'packages/docs/package.json': '{ "name": "docs" }',
    'packages/broken/package.json': '{ "name": ',
  })
  const at = (folder: string, explicit?: string) => findConfigFile(root, path.join(root, folder), explicit)

  it('is looked for from the current folder up to the repository root, migrate-lint.config.json before package.json', () => {
    expect(at('packages/api/src/deep')).toEqual({ file: path.join(root, 'packages/api/migrate-lint.config.json'), packageKey: false, dir: 'packages/api' })
    expect(at('packages/web')).toEqual({ file: path.join(root, 'packages/web/package.json'), packageKey: true, dir: 'packages/web' })
    // A package.json without the key is passed by: the root's config applies.
    expect(at('packages/docs')).toEqual({ file: path.join(root, 'migrate-lint.config.json'), packageKey: false, dir: '.' })
    expect(at('.')).toEqual({ file: path.join(root, 'migrate-lint.config.json'), packageKey: false, dir: '.' })
  })

  it('--config wins, relative to the current folder; a file outside the repository resolves against the root', () => {
    expect(at('.', 'packages/web/package.json')).toEqual({ file: path.join(root, 'packages/web/package.json'), packageKey: true, dir: 'packages/web' })
    const shared = tempTree({ 'shared.json': '{}' })
    expect(at('packages/api', path.join(shared, 'shared.json'))).toEqual({ file: path.join(shared, 'shared.json'), packageKey: false, dir: '.' })
  })

  it('an unreadable package.json on the way is the config, and reading it says why', () => {
    expect(() => loadConfig(root, undefined, RULES, path.join(root, 'packages/broken'))).toThrow(`${path.join(root, 'packages/broken/package.json')}:1:11: not valid JSON: Unexpected end of JSON input.`)
  })

  it("reads the package's key, and refuses a package.json named with --config that has none", () => {
    expect(loadConfig(root, undefined, RULES, path.join(root, 'packages/web')).rules).toEqual({ 'missing-lock-timeout': 'off' })
    expect(() => loadConfig(root, 'packages/docs/package.json', RULES)).toThrow(/packages\/docs\/package\.json: no "migrate-lint" key/)
  })
})

describe("a config's paths", () => {
  it('resolve against its folder and come out repository-relative: migrations, code (the defaults too), exclude, negations, ..', () => {
    const root = repo({
      'packages/api/migrate-lint.config.json': JSON.stringify({
        migrations: ['db/migrations', 'db/extra/*.sql'],
        code: ['src/**/*.ts', '!src/generated/**', '../shared/src/**/*.ts'],
        exclude: ['db/migrations/legacy/**'],
      }),
      'packages/web/migrate-lint.config.json': '{}',
    })
    const api = loadConfig(root, undefined, RULES, path.join(root, 'packages/api'))
    expect(api).toMatchObject({
      dir: 'packages/api',
      migrations: ['packages/api/db/migrations', 'packages/api/db/extra/*.sql'],
      code: ['packages/api/src/**/*.ts', '!packages/api/src/generated/**', 'packages/shared/src/**/*.ts'],
      exclude: ['packages/api/db/migrations/legacy/**'],
    })
    // No code named: the package's folder is its application code.
    const web = loadConfig(root, undefined, RULES, path.join(root, 'packages/web'))
    expect(web.code).toEqual(DEFAULT_CONFIG.code.map(glob => `packages/web/${glob}`))
    expect(web.migrations).toBeNull()
  })

  it('a path that leaves the repository is an error naming the key and the entry', () => {
    const root = repo({ 'packages/api/migrate-lint.config.json': '{ "code": ["../../../elsewhere/**"] }' })
    expect(() => loadConfig(root, undefined, RULES, path.join(root, 'packages/api'))).toThrow(
      /"code" entry "\.\.\/\.\.\/\.\.\/elsewhere\/\*\*" is outside the repository; paths in a config are relative to its folder \(packages\/api\)/,
    )
  })

  it('"migrations" !pattern entries are exclusions, relative to the config\'s folder too', () => {
    const root = repo({ 'packages/api/migrate-lint.config.json': '{ "migrations": ["db", "!db/legacy/**"], "exclude": ["db/tmp/**"] }' })
    expect(loadConfig(root, undefined, RULES, path.join(root, 'packages/api'))).toMatchObject({
      migrations: ['packages/api/db'],
      exclude: ['packages/api/db/tmp/**', 'packages/api/db/legacy/**'],
    })
  })

  it('"migrations" entries that are folders on disk are folders, the rest globs', () => {
    const root = repo({ 'src/db/migrations/001_a.sql': '', 'db/extra/002_b.sql': '' })
    expect(migrationEntries(root, ['src/db/migrations/', 'db/extra/*.sql', 'db/missing'])).toEqual({ folders: ['src/db/migrations'], globs: ['db/extra/*.sql', 'db/missing'] })
  })
})
