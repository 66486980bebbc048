// Loads and validates `migrate-lint.config.json` (or "migrate-lint" in package.json), DESIGN §9.
// Unknown keys and rule ids are errors with the nearest valid name: a typo must never silently
// switch a rule back on.
import fs from 'node:fs'
import path from 'node:path'
import type { Category, LayoutName, Severity } from './model.js'
import { LAYOUTS } from './discover/layouts.js'
import { DEFAULT_TAG_PATTERN } from './git.js'
import type { TableOptions } from './engine/rule.js'
import { DEFAULT_MAX_FILE_MB } from './parse/sql.js'
import { closest } from './util/closest.js'
import { UsageError } from './util/errors.js'
import { jsonSyntaxError } from './util/json-error.js'
import { findConfigFile, PACKAGE_KEY } from './config-file.js'

export type RuleSetting = Severity | 'off'

export interface Config {
  /** Where the config came from, for messages; null when defaults are used. */
  file: string | null
  /**
   * The config file's folder, repository-relative (absent or `.`: the root). Its globs and folders were
   * made repository-relative from there at load; the usual migration folders are looked for under it.
   */
  dir?: string
  migrations: string[] | null
  layout: LayoutName | null
  code: string[]
  exclude: string[]
  tagPattern: string
  postgresVersion: number
  tables: Record<string, TableOptions>
  kysely: { transactions: boolean; timeoutMs: number }
  rules: Record<string, RuleSetting>
  /** Larger migration texts are reported (unparsed-statement), not parsed. */
  maxFileMB: number
}

/** Source files of application code, in any language a team may talk to Postgres from (the text search reads all of them). */
export const CODE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'go', 'py', 'rb', 'java', 'kt', 'scala', 'cs', 'php', 'rs', 'ex', 'exs', 'sql', 'prisma']

export const SCHEMA_PRISMA = '**/schema.prisma'

export const DEFAULT_CONFIG: Omit<Config, 'file'> = {
  migrations: null,
  layout: null,
  // Application code of any language, and the ORM schema files that map tables (issue 12): what no
  // reader understands is still searched for the names a release takes away (usage/readers/text-fallback.ts).
  code: [`**/*.{${CODE_EXTENSIONS.join(',')}}`, SCHEMA_PRISMA],
  exclude: [],
  tagPattern: DEFAULT_TAG_PATTERN,
  postgresVersion: 15,
  tables: {},
  kysely: { transactions: true, timeoutMs: 5000 },
  rules: {},
  maxFileMB: DEFAULT_MAX_FILE_MB,
}

const KEYS = Object.keys(DEFAULT_CONFIG)

/**
 * Reads the config named by `--config`, else the nearest one from `cwd` up to the root (config-file.ts),
 * else defaults. Its globs and folders resolve against its own folder, and come out repository-relative.
 */
export function loadConfig(root: string, explicit: string | undefined, knownRules: ReadonlySet<string>, cwd: string = root): Config {
  const found = findConfigFile(root, cwd, explicit)
  if (!found) return { ...DEFAULT_CONFIG, file: null }
  if (explicit && !fs.existsSync(found.file)) throw new UsageError(`--config ${explicit}: no such file.`)
  const json = readJson(found.file)
  if (!found.packageKey) return inFolder(validate(json, found.file, knownRules), found.dir)
  const label = `${found.file} ("${PACKAGE_KEY}")`
  if (!json || typeof json !== 'object' || !(PACKAGE_KEY in json)) throw new UsageError(`${found.file}: no "${PACKAGE_KEY}" key to read the config from.`)
  return inFolder(validate((json as Record<string, unknown>)[PACKAGE_KEY], label, knownRules), found.dir)
}

/** The config's globs and folders, written relative to its folder `dir`, made repository-relative. */
function inFolder(config: Config, dir: string): Config {
  if (dir === '.') return { ...config, dir }
  const rebase = (key: 'migrations' | 'code' | 'exclude', glob: string): string => {
    const negated = glob.startsWith('!')
    const joined = path.posix.join(dir, negated ? glob.slice(1) : glob)
    if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(glob.replace(/^!/, ''))) {
      throw new UsageError(`${config.file}: "${key}" entry ${JSON.stringify(glob)} is outside the repository; paths in a config are relative to its folder (${dir}).`)
    }
    return (negated ? '!' : '') + joined
  }
  return {
    ...config,
    dir,
    migrations: config.migrations?.map(g => rebase('migrations', g)) ?? null,
    code: config.code.map(g => rebase('code', g)),
    exclude: config.exclude.map(g => rebase('exclude', g)),
  }
}

function readJson(file: string): unknown {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(jsonSyntaxError(file, text, error as Error))
  }
}

export function validate(raw: unknown, file: string, knownRules: ReadonlySet<string>): Config {
  const fail = (what: string): never => {
    throw new UsageError(`${file}: ${what}`)
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('the config must be a JSON object.')
  const input = raw as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) fail(`unknown key "${key}"${hint(key, KEYS)}. Valid keys: ${KEYS.join(', ')}.`)
  }
  const config: Config = { ...DEFAULT_CONFIG, file }
  // A bare string is one entry (a list of one is what was meant); an empty entry matches nothing and is refused.
  const globs = (key: string, what: string): string[] => {
    const value = typeof input[key] === 'string' ? [input[key]] : input[key]
    if (!Array.isArray(value) || !value.every(v => typeof v === 'string' && v.trim() !== '')) {
      fail(`"${key}" must be ${what} or a list of them (got ${JSON.stringify(input[key])}).`)
    }
    return value as string[]
  }
  if (input.code !== undefined) config.code = globs('code', 'a glob')
  if (input.exclude !== undefined) config.exclude = globs('exclude', 'a glob')
  if (input.migrations !== undefined) {
    // `!pattern` entries are exclusions: as globs beside folders they would match nothing, and a
    // matcher of the list (either entry) would take every file they do not name.
    const entries = globs('migrations', 'a folder, a glob')
    config.migrations = entries.filter(e => !e.startsWith('!'))
    config.exclude = [...config.exclude, ...entries.filter(e => e.startsWith('!')).map(e => e.slice(1))]
    if (!config.migrations.length) fail('"migrations" lists nothing to read: name a folder or a glob, or leave the key out to use the usual folders.')
  }
  if (input.layout !== undefined) {
    if (!LAYOUTS.includes(input.layout as LayoutName)) {
      fail(`"layout" must be one of ${LAYOUTS.join(', ')}${hint(String(input.layout), LAYOUTS)}.`)
    }
    config.layout = input.layout as LayoutName
  }
  if (input.tagPattern !== undefined) {
    if (typeof input.tagPattern !== 'string' || !input.tagPattern) fail('"tagPattern" must be a non-empty string, e.g. "v*".')
    config.tagPattern = input.tagPattern as string
  }
  if (input.postgresVersion !== undefined) config.postgresVersion = postgresVersion(input.postgresVersion, fail)
  if (input.tables !== undefined) config.tables = tables(input.tables, fail)
  if (input.kysely !== undefined) config.kysely = kysely(input.kysely, fail)
  if (input.rules !== undefined) config.rules = rules(input.rules, knownRules, fail)
  if (input.maxFileMB !== undefined) {
    const mb = input.maxFileMB
    if (typeof mb !== 'number' || !Number.isFinite(mb) || mb <= 0) fail(`"maxFileMB" must be a positive number of megabytes such as 10 (got ${JSON.stringify(mb)}).`)
    config.maxFileMB = mb as number
  }
  return config
}

export function postgresVersion(value: unknown, fail: (what: string) => never): number {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 9 || n > 30) fail(`"postgresVersion" must be a major version such as 15 (got ${JSON.stringify(value)}).`)
  return n as number
}

function tables(value: unknown, fail: (what: string) => never): Record<string, TableOptions> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('"tables" must map table names to options, e.g. { "orders": { "large": true } }.')
  const out: Record<string, TableOptions> = {}
  for (const [name, options] of Object.entries(value as Record<string, unknown>)) {
    if (!options || typeof options !== 'object') fail(`"tables.${name}" must be an object such as { "large": true }.`)
    for (const key of Object.keys(options as object)) {
      if (key !== 'large') fail(`unknown key "tables.${name}.${key}"${hint(key, ['large'])}.`)
    }
    const large = (options as { large?: unknown }).large
    if (large !== undefined && typeof large !== 'boolean') fail(`"tables.${name}.large" must be true or false.`)
    out[name] = { large: large as boolean | undefined }
  }
  return out
}

function kysely(value: unknown, fail: (what: string) => never): Config['kysely'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('"kysely" must be an object such as { "transactions": true, "timeoutMs": 5000 }.')
  const input = value as Record<string, unknown>
  const keys = ['transactions', 'timeoutMs']
  for (const key of Object.keys(input)) if (!keys.includes(key)) fail(`unknown key "kysely.${key}"${hint(key, keys)}.`)
  const out = { ...DEFAULT_CONFIG.kysely }
  if (input.transactions !== undefined) {
    if (typeof input.transactions !== 'boolean') fail('"kysely.transactions" must be true or false.')
    out.transactions = input.transactions as boolean
  }
  if (input.timeoutMs !== undefined) {
    if (typeof input.timeoutMs !== 'number' || input.timeoutMs <= 0) fail('"kysely.timeoutMs" must be a positive number of milliseconds.')
    out.timeoutMs = input.timeoutMs as number
  }
  return out
}

const SETTINGS: RuleSetting[] = ['error', 'warning', 'info', 'off']

/** Every rule category: a key of "rules" may name one, to set all its rules at once. */
export const CATEGORIES: readonly Category[] = ['revert-safety', 'locking', 'data-loss', 'hygiene', 'style']

/** Categories whose rules run only when the config names them or their category (`"style": "warning"`). */
export const OPT_IN_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['style'])

/** The setting that applies to a rule: its own, else its category's, else off for an opt-in category (undefined: its default). */
export function ruleSetting(rule: { id: string; category: Category }, settings: Readonly<Record<string, RuleSetting>>): RuleSetting | undefined {
  return settings[rule.id] ?? settings[rule.category] ?? (OPT_IN_CATEGORIES.has(rule.category) ? 'off' : undefined)
}

function rules(value: unknown, known: ReadonlySet<string>, fail: (what: string) => never): Record<string, RuleSetting> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('"rules" must map rule ids (or categories) to "error", "warning", "info" or "off".')
  const out: Record<string, RuleSetting> = {}
  const keys = [...known, ...CATEGORIES]
  for (const [id, given] of Object.entries(value as Record<string, unknown>)) {
    if (!known.has(id) && !CATEGORIES.includes(id as Category)) fail(`unknown rule "${id}"${hint(id, keys)}. List them with \`migrate-lint rules\`.`)
    // ESLint's and squawk users' spelling.
    const setting = given === 'warn' ? 'warning' : given
    if (!SETTINGS.includes(setting as RuleSetting)) fail(`"rules.${id}" must be one of ${SETTINGS.join(', ')} (got ${JSON.stringify(given)}).`)
    out[id] = setting as RuleSetting
  }
  return out
}

function hint(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates)
  return best ? ` (did you mean "${best}"?)` : ''
}
