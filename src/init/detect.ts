// What `init` needs to know about the project: where the migrations are (found by the same discovery
// the lint uses), where the application code is, which hook manager the repository uses, and a few
// facts for the CI workflow. Reads files and asks git; writes nothing.
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import { CODE_EXTENSIONS, DEFAULT_CONFIG, SCHEMA_PRISMA } from '../config.js'
import { discoverMigrations, DEFAULT_MIGRATION_DIRS } from '../discover/discover.js'
import { Git } from '../git.js'
import type { LayoutName } from '../model.js'
import { loadParser } from '../parse/sql.js'
import { UsageError } from '../util/errors.js'

export interface FoundMigrations {
  folder: string
  layout: LayoutName
  count: number
  /** One of the folders the lint looks in by itself: the config need not name it. */
  automatic: boolean
}

export type HookManager =
  | { kind: 'husky'; file: string; legacy: boolean }
  | { kind: 'lefthook'; file: string }
  | { kind: 'pre-commit'; file: string }
  | { kind: 'git'; file: string }
  | { kind: 'none'; reason: string }

export interface ProjectFacts {
  root: string
  migrations: FoundMigrations | null
  /** Other folders that hold migrations, and folders that could not be read: said, not guessed at. */
  migrationNotes: string[]
  /** Globs for the application code (config `code`). */
  code: string[]
  codeFound: boolean
  tagPattern: string
  postgresVersion: { major: number; from: string } | null
  hooks: HookManager
  /** `.nvmrc` or `.node-version`, for actions/setup-node. */
  nodeVersionFile: string | null
  npmLockfile: boolean
  /** package.json exists and does not list migrate-lint: the hook and the workflow would not find it. */
  missingDependency: boolean
}

export async function detectProject(root: string): Promise<ProjectFacts> {
  const git = Git.open(root)
  const { found, notes } = await findMigrations(root)
  const code = findCode(root, found?.folder ?? null)
  return {
    root,
    migrations: found,
    migrationNotes: notes,
    code: code.length ? code : DEFAULT_CONFIG.code,
    codeFound: code.length > 0,
    tagPattern: git ? tagPatternOf(git) : DEFAULT_CONFIG.tagPattern,
    postgresVersion: postgresFromCompose(root),
    hooks: hookManager(root, git),
    nodeVersionFile: ['.nvmrc', '.node-version'].find(f => isFile(path.join(root, f))) ?? null,
    npmLockfile: isFile(path.join(root, 'package-lock.json')),
    missingDependency: missingDependency(root),
  }
}

const CODE_FILES = `*.{${CODE_EXTENSIONS.join(',')}}`
const IGNORED = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/.git/**']
/** A link to a folder is not entered: `x -> .` would list the tree at every depth. */
const LISTING = { ignore: IGNORED, followSymbolicLinks: false }

/**
 * The usual folders first (where the lint looks by itself), then any other `migrations` folder.
 * Discovery itself decides whether a folder holds migrations and in which layout.
 */
async function findMigrations(root: string): Promise<{ found: FoundMigrations | null; notes: string[] }> {
  const automatic = DEFAULT_MIGRATION_DIRS.filter(dir => isDirectory(path.join(root, dir)))
  const others = fg
    .sync('**/migrations', { cwd: root, onlyDirectories: true, deep: 6, ...LISTING })
    .filter(dir => !automatic.includes(dir))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
  const notes: string[] = []
  const found: FoundMigrations[] = []
  if (automatic.length || others.length) await loadParser()
  for (const folder of [...automatic, ...others]) {
    try {
      const { migrations } = await discoverMigrations({ root, cwd: root, paths: [folder] })
      if (!migrations.length) continue
      found.push({ folder, layout: migrations[0].layout, count: migrations.length, automatic: automatic[0] === folder })
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      notes.push(`${folder}: ${error.message}`)
    }
  }
  for (const other of found.slice(1)) {
    notes.push(`${other.folder} holds migrations too (${other.count}); add it to "migrations" in the config if it belongs to this database.`)
  }
  return { found: found[0] ?? null, notes }
}

/** Top-level source folders and the `src` of workspace packages, when they hold code. */
function findCode(root: string, migrationsFolder: string | null): string[] {
  const candidates = fg.sync(['src', 'app', 'lib', 'server', 'api', 'cmd', 'internal', 'pkg', 'packages/*/src', 'apps/*/src', 'services/*/src'], {
    cwd: root,
    onlyDirectories: true,
  })
  const folders = candidates
    .sort()
    .filter(dir => dir !== migrationsFolder)
    .filter(dir => fg.sync(`${dir}/**/${CODE_FILES}`, { cwd: root, ...LISTING }).length > 0)
    .map(dir => `${dir}/**/${CODE_FILES}`)
  // The ORM's schema maps tables wherever it lives: the text search reads it (issue 12).
  const prisma = fg.sync(SCHEMA_PRISMA, { cwd: root, ...LISTING }).length > 0
  return folders.length && prisma ? [...folders, SCHEMA_PRISMA] : folders
}

/** `v*` unless the repository tags releases otherwise (bare `1.4.0`). */
function tagPatternOf(git: Git): string {
  let tags: string[]
  try {
    tags = git.run(['tag', '--list']).split('\n').filter(Boolean)
  } catch {
    return DEFAULT_CONFIG.tagPattern
  }
  if (!tags.some(t => /^v\d/.test(t)) && tags.some(t => /^\d+\.\d+/.test(t))) return '[0-9]*'
  return DEFAULT_CONFIG.tagPattern
}

/** The Postgres image of a compose file (`postgres:16`, `postgis/postgis:15-3.4`, `supabase/postgres:15.1`). */
function postgresFromCompose(root: string): { major: number; from: string } | null {
  for (const file of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']) {
    const abs = path.join(root, file)
    if (!isFile(abs)) continue
    const m = /image:\s*["']?(?:[\w.-]+\/)*(?:postgres|postgis|postgresql)(?:[\w.-]*)?:(\d{1,2})/i.exec(fs.readFileSync(abs, 'utf8'))
    if (m && Number(m[1]) >= 9) return { major: Number(m[1]), from: file }
  }
  return null
}

function hookManager(root: string, git: Git | null): HookManager {
  if (!git) return { kind: 'none', reason: 'not a git repository (run `git init`, then `migrate-lint init` again)' }
  if (isDirectory(path.join(root, '.husky'))) {
    return { kind: 'husky', file: path.join(root, '.husky/pre-commit'), legacy: isFile(path.join(root, '.husky/_/husky.sh')) }
  }
  const lefthook = ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml'].find(f => isFile(path.join(root, f)))
  if (lefthook) return { kind: 'lefthook', file: path.join(root, lefthook) }
  if (isFile(path.join(root, '.pre-commit-config.yaml'))) return { kind: 'pre-commit', file: path.join(root, '.pre-commit-config.yaml') }
  // --git-path honours core.hooksPath and worktrees.
  return { kind: 'git', file: path.resolve(root, git.run(['rev-parse', '--git-path', 'hooks/pre-commit']).trim()) }
}

function missingDependency(root: string): boolean {
  const file = path.join(root, 'package.json')
  if (!isFile(file)) return false
  try {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
    return pkg.name !== 'migrate-lint' && !pkg.dependencies?.['migrate-lint'] && !pkg.devDependencies?.['migrate-lint']
  } catch {
    return false
  }
}

const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false
const isDirectory = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false
