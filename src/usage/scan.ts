// The usage scan of a set of app files (DESIGN §2 "Usage"). Pure: the caller reads the files (from
// the working tree or at a git ref), so the same code scans the base and the head of a release.
// libpg-query must be loaded first (loadParser()).
import { pushAll } from '../util/push-all.js'
import { isCodeFile, mentionsQuery } from './mentions-query.js'
import { hashKey } from '../util/hash-key.js'
import { scanFile, type FileUsage } from './scan-file.js'
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

/**
 * A tree's scan file by file, as it is kept between runs: each parsed file, its usage, and what its
 * records depend on besides its text ('' for nothing: the reader keys of the ORM schemas it mentions).
 */
export type UsagePack = readonly (readonly [file: string, usage: FileUsage, depends: string])[]

/**
 * The cache layer's side (src/cache/usage-memo.ts). `key` names a tree by every file's path and content
 * id. `recent` answers a tree this process scanned lately, whole (a long-lived process judges release
 * after release); `recall`/`keep` hold its pack between runs.
 */
export interface UsageMemo {
  recent(key: string, scan: () => UsageScan): UsageScan
  recall(key: string): UsagePack | undefined
  keep(key: string, pack: UsagePack): void
}

/** Each tree is scanned again (tests, one-off scans); files seen before in the process still are not (`scanned`). */
export const NO_USAGE_MEMO: UsageMemo = { recent: (_key, scan) => scan(), recall: () => undefined, keep: () => {} }

/** Texts at hand (tests, one-off scans): each is named by a hash of itself. */
export function scanUsage(files: readonly CodeFile[]): UsageScan {
  const texts = new Map(files.map(f => [f.path, f.text]))
  return scanCodeTree({ files: files.map(f => ({ path: f.path, contentId: hashKey('text', f.text) })), texts: () => texts })
}

/**
 * The scan of a whole code tree is one memo entry, keyed by every file's path and content id: a tree
 * seen before (the previous release's, at every run of --since) is answered without reading a file.
 */
export function scanCodeTree(tree: CodeTree, memo: UsageMemo = NO_USAGE_MEMO): UsageScan {
  const code = tree.files.filter(f => isCodeFile(f.path))
  const schemas = tree.files.filter(f => isPrismaSchemaFile(f.path))
  const packKey = hashKey('usage-tree', [...code, ...schemas].flatMap(f => [f.path, f.contentId]))
  return memo.recent(packKey, () => {
    const contentIds = new Map([...code, ...schemas].map(f => [f.path, f.contentId]))
    const keyOf = new Map<string, string>()
    const parsed = recallPack(memo.recall(packKey), contentIds, keyOf) ?? scanTree(tree, code, schemas, contentIds, keyOf, pack => memo.keep(packKey, pack))
    const scan: UsageScan = { usages: [], inserts: [], unresolved: [], filesScanned: tree.files.length, filesParsed: parsed.length }
    for (const file of parsed) {
      const found = scanned.get(keyOf.get(file)!)!
      // A generated file may hold more records than a call takes arguments.
      pushAll(scan.usages, found.usages)
      pushAll(scan.inserts, found.inserts)
      pushAll(scan.unresolved, found.unresolved)
    }
    return freezeScan(scan)
  })
}

/** Parses the tree's files that may hold a query (each file once per process) and hands their pack to `keep`; the files parsed. */
function scanTree(
  tree: CodeTree,
  code: readonly { path: string; contentId: string }[],
  schemas: readonly { path: string; contentId: string }[],
  contentIds: ReadonlyMap<string, string>,
  keyOf: Map<string, string>,
  keep: (pack: UsagePack) => void,
): string[] {
  const texts = tree.texts()
  const env = readerEnv(code, schemas, texts)
  const pack: [string, FileUsage, string][] = []
  // A schema that does not parse: any Prisma call may use any table.
  for (const { file, reason } of env.prisma?.schema.errors ?? []) {
    const key = fileKey(file, contentIds.get(file) ?? '', reason)
    scanned.set(key, { usages: [], inserts: [], unresolved: [{ file, line: 1, column: 1, reason: `the Prisma schema does not parse: ${reason}`, anyTable: true }] })
    keyOf.set(file, key)
    pack.push([file, scanned.get(key)!, reason])
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
    pack.push([file, scanned.get(key)!, depends])
  }
  keep(pack)
  return pack.map(([file]) => file)
}

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

/** Parsed once per process for the same files, as `scanned` is (and in the stage for the same reasons). */
const ormSchemas = new Map<string, unknown>()

function memo<T>(key: string, read: () => T): { schema: T; key: string } {
  if (!ormSchemas.has(key)) ormSchemas.set(key, read())
  return { schema: ormSchemas.get(key) as T, key }
}

/** The files of a kept pack that were parsed, their scans put in `scanned` and their keys in `keyOf`; null on a miss. */
function recallPack(pack: UsagePack | undefined, contentIds: ReadonlyMap<string, string>, keyOf: Map<string, string>): string[] | null {
  // The key names every file of the tree: a pack naming another file is not this tree's.
  if (!pack || pack.some(([file]) => !contentIds.has(file))) return null
  for (const [file, found, depends] of pack) {
    keyOf.set(file, fileKey(file, contentIds.get(file)!, depends))
    scanned.set(keyOf.get(file)!, found)
  }
  return pack.map(([file]) => file)
}

/**
 * A release run scans the previous release's code and this one's, mostly the same files: each file is
 * scanned once per process, by path and content id. A recalled pack fills it too, so the head's scan
 * parses only the files that changed since the base's. It stays in the stage, unlike the memo of whole
 * trees: it is the stage's own deduplication within one process, never kept between runs, and its key
 * holds what only the stage knows (the reader keys of the ORM schemas a file mentions); content keys
 * make it right for any caller, memo or none.
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
