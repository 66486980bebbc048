// The usage scan of a set of app files (DESIGN §2 "Usage"). Pure: the caller reads the files (from
// the working tree or at a git ref), so the same code scans the base and the head of a release.
// libpg-query must be loaded first (loadParser()).
import { pushAll } from '../util/push-all.js'
import { isCodeFile, mentionsQuery } from './mentions-query.js'
import { activeCache, hashKey } from '../cache/store.js'
import { scanFile, type FileUsage } from './scan-file.js'
import { fileUsageFromRecord, fileUsageToRecord, type FileUsageRecord } from '../cache/usage-record.js'
import type { UsageScan } from './usage.js'
import { READERS } from './readers/index.js'
import { NO_ENV, type ReaderEnv } from './readers/reader.js'
import { isPrismaSchemaFile, jsClientSchemas, readPrismaSchema } from './readers/prisma-schema.js'
import { declaresDrizzleTables, readDrizzleSchema, usesSnakeCase } from './readers/drizzle-schema.js'
import { mentionsTypeorm, readTypeormMapping } from './readers/typeorm-entities.js'
import { mentionsSequelize, readSequelizeMapping } from './readers/sequelize-models.js'

export interface CodeFile {
  /** Relative to the repository root, `/`-separated: it is what findings show. */
  path: string
  text: string
}

/** Code files whose contents are named without reading them (git blob ids), the texts read on a miss. */
export interface CodeTree {
  files: readonly { path: string; contentId: string }[]
  texts(): ReadonlyMap<string, string>
}

/** Texts at hand (tests, one-off scans): each is named by a hash of itself. */
export function scanUsage(files: readonly CodeFile[]): UsageScan {
  const texts = new Map(files.map(f => [f.path, f.text]))
  return scanCodeTree({ files: files.map(f => ({ path: f.path, contentId: hashKey('text', f.text) })), texts: () => texts })
}

/**
 * The scan of a whole code tree is one cache entry, keyed by every file's path and content id: a tree
 * seen before (the previous release's, at every run of --since) is answered without reading a file.
 */
export function scanCodeTree(tree: CodeTree): UsageScan {
  const code = tree.files.filter(f => isCodeFile(f.path))
  const schemas = tree.files.filter(f => isPrismaSchemaFile(f.path))
  const packKey = hashKey('usage-tree', [...code, ...schemas].flatMap(f => [f.path, f.contentId]))
  const seen = recentScans.get(packKey)
  if (seen) return seen
  const keyOf = new Map<string, string>()
  const contentIds = new Map([...code, ...schemas].map(f => [f.path, f.contentId]))
  const pack = readPack(packKey, contentIds, keyOf)
  let parsed: string[]
  if (pack) parsed = pack
  else {
    const texts = tree.texts()
    const env = readerEnv(code, schemas, texts)
    const records: [string, FileUsageRecord, string?][] = []
    parsed = []
    // A schema that does not parse: any Prisma call may use any table.
    for (const { file, reason } of env.prisma?.schema.errors ?? []) {
      const key = fileKey(file, contentIds.get(file) ?? '', reason)
      scanned.set(key, { usages: [], inserts: [], unresolved: [{ file, line: 1, column: 1, reason: `the Prisma schema does not parse: ${reason}`, anyTable: true }] })
      keyOf.set(file, key)
      parsed.push(file)
      records.push([file, fileUsageToRecord(file, scanned.get(key)!), reason])
    }
    for (const { path: file, contentId } of code) {
      const text = texts.get(file) ?? ''
      // A file that mentions no query of any reader cannot hold one: it is not parsed.
      const readers = READERS.filter(reader => reader.mentions(text, env))
      if (!readers.length && !mentionsQuery(text)) continue
      // What the file's records depend on besides its text: the schema of the data layers it mentions.
      const depends = readers.map(reader => reader.key(env) ?? '').join('\n')
      const key = fileKey(file, contentId, depends)
      if (!scanned.has(key)) scanned.set(key, scanFile(file, text, env))
      keyOf.set(file, key)
      parsed.push(file)
      records.push(depends ? [file, fileUsageToRecord(file, scanned.get(key)!), depends] : [file, fileUsageToRecord(file, scanned.get(key)!)])
    }
    activeCache().set('usage', packKey, records)
  }
  const scan: UsageScan = { usages: [], inserts: [], unresolved: [], filesScanned: tree.files.length, filesParsed: parsed.length }
  for (const file of parsed) {
    const found = scanned.get(keyOf.get(file)!)!
    // A generated file may hold more records than a call takes arguments.
    pushAll(scan.usages, found.usages)
    pushAll(scan.inserts, found.inserts)
    pushAll(scan.unresolved, found.unresolved)
  }
  const frozen = freezeScan(scan)
  recentScans.set(packKey, frozen)
  // The oldest goes: a long-lived process (the MCP server) sees a new head tree at each edit.
  if (recentScans.size > RECENT_SCANS) recentScans.delete(recentScans.keys().next().value!)
  return frozen
}

/**
 * The last trees' scans, whole and frozen: a process that judges release after release (the MCP
 * server) answers the previous release's scan without reading and decoding its cache entry again
 * (≈ 2 MB for 2,000 files of code).
 */
const recentScans = new Map<string, UsageScan>()
const RECENT_SCANS = 4

function fileKey(file: string, contentId: string, depends: string): string {
  return depends ? hashKey('usage', file, contentId, depends) : hashKey('usage', file, contentId)
}

/**
 * The release's ORM schemas, from its own files: the Prisma schema (the TS/JS client's only), the
 * modules that declare Drizzle tables, and the modules of TypeORM entities and Sequelize models. Each
 * release's code is read with its own. Parsed once per process for the same files.
 */
function readerEnv(
  code: readonly { path: string; contentId: string }[],
  schemas: readonly { path: string; contentId: string }[],
  texts: ReadonlyMap<string, string>,
): ReaderEnv {
  const withText = (files: readonly { path: string; contentId: string }[]) => files.map(f => ({ ...f, text: texts.get(f.path) ?? '' }))
  const prismaFiles = jsClientSchemas(withText(schemas))
  const drizzleFiles = withText(code).filter(f => declaresDrizzleTables(f.text))
  const snakeCase = drizzleFiles.length > 0 && code.some(f => usesSnakeCase(texts.get(f.path) ?? ''))
  const typeormFiles = withText(code).filter(f => mentionsTypeorm(f.text))
  const sequelizeFiles = withText(code).filter(f => mentionsSequelize(f.text))
  return {
    prisma: prismaFiles.length ? memo(hashKey('prisma-schema', prismaFiles.flatMap(f => [f.path, f.contentId])), () => readPrismaSchema(prismaFiles)) : null,
    drizzle: drizzleFiles.length
      ? memo(hashKey('drizzle-schema', String(snakeCase), drizzleFiles.flatMap(f => [f.path, f.contentId])), () => readDrizzleSchema(drizzleFiles, snakeCase))
      : null,
    typeorm: typeormFiles.length ? memo(hashKey('typeorm-mapping', typeormFiles.flatMap(f => [f.path, f.contentId])), () => readTypeormMapping(typeormFiles)) : null,
    sequelize: sequelizeFiles.length
      ? memo(hashKey('sequelize-mapping', sequelizeFiles.flatMap(f => [f.path, f.contentId])), () => readSequelizeMapping(sequelizeFiles))
      : null,
  }
}

const ormSchemas = new Map<string, unknown>()

function memo<T>(key: string, read: () => T): { schema: T; key: string } {
  if (!ormSchemas.has(key)) ormSchemas.set(key, read())
  return { schema: ormSchemas.get(key) as T, key }
}

/** The files of a cached scan that were parsed, their scans put in the memo and their keys in `keyOf`; null on a miss. */
function readPack(key: string, contentIds: ReadonlyMap<string, string>, keyOf: Map<string, string>): string[] | null {
  const pack = activeCache().get<[string, FileUsageRecord, string?][]>('usage', key)
  if (!Array.isArray(pack) || pack.some(entry => !contentIds.has(entry?.[0]))) return null
  let found: FileUsage[]
  try {
    found = pack.map(([file, record]) => fileUsageFromRecord(file, record))
  } catch {
    return null
  }
  pack.forEach(([file, , depends], i) => {
    keyOf.set(file, fileKey(file, contentIds.get(file)!, typeof depends === 'string' ? depends : ''))
    scanned.set(keyOf.get(file)!, found[i])
  })
  return pack.map(([file]) => file)
}

/**
 * A release run scans the previous release's code and this one's, mostly the same files: each file is
 * scanned once per process, by path and content id. On disk a whole scan is one entry (one file to
 * read or write, not one per app file); reading the base's scan also fills this memo, so the head's
 * scan parses only the files that changed since.
 */
const scanned = new Map<string, FileUsage>()

/** Base and head scans go to many rules: none may change what another reads. */
function freezeScan(scan: UsageScan): UsageScan {
  for (const usage of scan.usages) {
    Object.freeze(usage.loc)
    Object.freeze(usage)
  }
  for (const insert of scan.inserts) {
    Object.freeze(insert.columns)
    Object.freeze(insert.loc)
    Object.freeze(insert)
  }
  for (const item of scan.unresolved) Object.freeze(item)
  Object.freeze(scan.usages)
  Object.freeze(scan.inserts)
  Object.freeze(scan.unresolved)
  return Object.freeze(scan)
}
