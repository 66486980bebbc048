// What each kind of cache entry must look like to be used. An entry is read from a folder other
// programs (and other versions' bugs) can write to: one whose key is right but whose value has another
// shape crashed every run that read it. DiskCache.get checks the value of every entry it returns against
// its kind's shape here, and an entry that does not fit is a miss. The shapes follow the records each
// kind is written as (schema-snapshot.ts, lint-memo.ts, usage-record.ts, the Kysely capture, the marker
// pack); test/cache/shapes.test.ts checks that every entry a real run writes fits.
import type { CacheKind } from './store.js'

type Guard = (value: unknown) => boolean

const isString: Guard = v => typeof v === 'string'
const isBoolean: Guard = v => typeof v === 'boolean'
const isInteger: Guard = v => Number.isSafeInteger(v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const nullable = (guard: Guard): Guard => v => v === null || guard(v)
const optional = (guard: Guard): Guard => v => v === undefined || guard(v)
const oneOf = (...values: unknown[]): Guard => v => values.includes(v)
const arrayOf = (guard: Guard): Guard => v => {
  if (!Array.isArray(v)) return false
  for (const item of v) if (!guard(item)) return false
  return true
}
const strings = arrayOf(isString)
/** Fields not named are allowed (a record may carry more than its reader uses). */
const shaped = (fields: Record<string, Guard>): Guard => {
  const entries = Object.entries(fields)
  return v => {
    if (!isObject(v)) return false
    for (const [key, guard] of entries) if (!guard(v[key])) return false
    return true
  }
}
/** A row: at most as many cells as guards; missing trailing cells must be optional. */
const row = (...cells: Guard[]): Guard => v => {
  if (!Array.isArray(v) || v.length > cells.length) return false
  for (let i = 0; i < cells.length; i++) if (!cells[i](v[i])) return false
  return true
}
const below = (count: number): Guard => v => isInteger(v) && (v as number) >= 0 && (v as number) < count

// Findings of a whole run (lint-memo.ts, findings-record.ts): every string number must name one, and
// the fields a finding must have (rule id, severity, category, file, help) must be there.
function isFindingsRecord(value: unknown): boolean {
  if (!isObject(value) || !strings(value.strings)) return false
  const n = (value.strings as string[]).length
  const some = below(n)
  const none = (v: unknown) => v === -1
  const maybe: Guard = v => none(v) || some(v)
  const position: Guard = v => none(v) || (isInteger(v) && (v as number) >= 0)
  return arrayOf(row(some, maybe, some, some, some, isInteger, isInteger, position, position, isString, some, maybe, optional(isString)))(value.rows)
}
const lintMemo = shaped({ findings: isFindingsRecord, statements: isInteger, unparsed: isInteger })

// A replayed schema (schema-snapshot.ts): origins and types are numbered, and every number must name one.
function isSchemaRecord(value: unknown): boolean {
  if (!isObject(value)) return false
  const { origins, types, tables, indexes, enums, views, functions, outsideNamespaces } = value
  if (!arrayOf(shaped({ migrationId: isString, releaseKey: isString }))(origins)) return false
  if (!arrayOf(shaped({ name: isString, mods: arrayOf(isInteger), array: isBoolean, text: isString }))(types)) return false
  const origin = below((origins as unknown[]).length)
  const type = below((types as unknown[]).length)
  const columnDefault = nullable(shaped({ text: isString, volatile: isBoolean }))
  const column = row(isString, nullable(isString), type, isBoolean, columnDefault, isBoolean, origin, optional(isObject))
  const constraint = shaped({
    name: nullable(isString),
    kind: oneOf('primary-key', 'foreign-key', 'unique', 'check', 'exclusion'),
    columns: strings,
    validated: isBoolean,
    references: nullable(shaped({ table: isString, columns: strings })),
    notNullColumns: optional(strings),
    origin,
  })
  const table = shaped({ name: isString, origin, columns: arrayOf(column), constraints: arrayOf(constraint) })
  const index = shaped({ name: isString, table: isString, columns: strings, unique: isBoolean, origin })
  const enumType = shaped({ name: isString, values: strings, origin })
  const fn = shaped({ name: isString, args: isString, volatility: oneOf('immutable', 'stable', 'volatile'), origin })
  return (
    arrayOf(row(isString, table))(tables) &&
    arrayOf(row(isString, index))(indexes) &&
    arrayOf(row(isString, enumType))(enums) &&
    arrayOf(row(isString, origin))(views) &&
    arrayOf(row(isString, fn))(functions) &&
    strings(outsideNamespaces)
  )
}

// One code tree's usage scan (usage-record.ts): [file, record, what it depends on?] per file.
const location = shaped({ file: isString, line: isInteger, column: isInteger })
const unresolved = shaped({ file: isString, line: isInteger, column: isInteger, reason: isString, anyTable: optional(isBoolean), table: optional(isString) })
const fileUsage = shaped({
  usages: arrayOf(shaped({ table: isString, column: isString, kind: isString, loc: location, nonNullLiteral: optional(oneOf(true)) })),
  inserts: arrayOf(shaped({ table: isString, columns: strings, columnsKnown: isBoolean, loc: location })),
  unresolved: arrayOf(unresolved),
})
const fileUsageRecord: Guard = v =>
  isObject(v) &&
  ('whole' in v
    ? fileUsage(v.whole)
    : arrayOf(row(isString, isString, isString, isInteger, isInteger, optional(oneOf(1))))(v.u) &&
      arrayOf(row(isString, strings, isBoolean, isInteger, isInteger))(v.i) &&
      arrayOf(row(isInteger, isInteger, isString, optional(oneOf(0, 1)), optional(isString)))(v.x))
const usagePack = arrayOf(row(isString, fileUsageRecord, optional(isString)))

// The uses of one table the previous release's code may make (release/code-scan.ts).
const unestablished = arrayOf(shaped({ file: nullable(isString), line: isInteger, column: isInteger, why: isString }))

// One Kysely migration's capture (parse/kysely/capture.ts).
const frame = nullable(shaped({ line: isInteger, column: isInteger }))
const recordedQuery = shaped({ sql: isString, parameters: strings, inTransaction: isBoolean, call: frame, statement: optional(frame) })
const capture = shaped({
  path: isString,
  exports: nullable(shaped({ up: isBoolean, down: isBoolean })),
  up: arrayOf(recordedQuery),
  down: arrayOf(recordedQuery),
  problems: arrayOf(shaped({ stage: isString, problem: shaped({ kind: oneOf('failed', 'partial'), reason: isString, frame }) })),
})

// Layout markers of the files of one tree, by blob id (discover/at-ref.ts).
const markerPack: Guard = v => isObject(v) && Object.values(v).every(isInteger)

// What a run learned about the migration files on disk, by path (discover/discover.ts FileFact).
const isNumber: Guard = v => typeof v === 'number' && Number.isFinite(v)
const fileFacts: Guard = v => isObject(v) && Object.values(v).every(row(isNumber, isNumber, isNumber, isNumber, isString, isInteger))

const SHAPES: Record<CacheKind, Guard> = {
  schema: isSchemaRecord,
  findings: lintMemo,
  usage: usagePack,
  unestablished,
  kysely: capture,
  markers: markerPack,
  files: fileFacts,
}

/** Whether a cache entry's value has the shape its kind is written in. */
export function fitsKind(kind: CacheKind, value: unknown): boolean {
  return SHAPES[kind](value)
}
