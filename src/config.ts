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

export type RuleSetting = Severity | 'off'

export interface Config {
  /** Where the config came from, for messages; null when defaults are used. */
  file: string | null
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
const CONFIG_FILE = 'migrate-lint.config.json'

/** Reads the config named by `--config`, else the one at the root, else package.json's key, else defaults. */
export function loadConfig(root: string, explicit: string | undefined, knownRules: ReadonlySet<string>): Config {
  if (explicit) {
    const file = path.resolve(explicit)
    if (!fs.existsSync(file)) throw new UsageError(`--config ${explicit}: no such file.`)
    return validate(readJson(file), file, knownRules)
  }
  const own = path.join(root, CONFIG_FILE)
  if (fs.existsSync(own)) return validate(readJson(own), own, knownRules)
  const pkg = path.join(root, 'package.json')
  if (fs.existsSync(pkg)) {
    const json = readJson(pkg) as Record<string, unknown>
    if (json && typeof json === 'object' && 'migrate-lint' in json) {
      return validate(json['migrate-lint'], `${pkg} ("migrate-lint")`, knownRules)
    }
  }
  return { ...DEFAULT_CONFIG, file: null }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message}).`)
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
  const globs = (key: string): string[] => {
    const value = typeof input[key] === 'string' ? [input[key]] : input[key]
    if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) fail(`"${key}" must be a glob or a list of globs.`)
    return value as string[]
  }
  if (input.migrations !== undefined) config.migrations = globs('migrations')
  if (input.code !== undefined) config.code = globs('code')
  if (input.exclude !== undefined) config.exclude = globs('exclude')
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
