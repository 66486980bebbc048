// Turns migration texts into Migration values. Discovery decides which texts belong together
// (up/down pairs, dbmate sections); this module only parses them.
import type { LayoutName, Migration, SourceFile, Statement } from '../model.js'
import { parseSql } from '../parse/sql.js'
import { SourceText } from '../parse/source-text.js'
import type { ByteRange } from '../parse/split.js'

export interface SqlPart {
  path: string
  text: string
  /** Only this byte range of the text holds the statements (dbmate sections). */
  range?: ByteRange
  inTransaction: boolean
}

export interface SqlMigrationInput {
  id: string
  layout: LayoutName
  order: number
  up: SqlPart
  down: SqlPart | null
}

export function buildSqlMigration(input: SqlMigrationInput, invalidUtf8: ReadonlySet<string> = new Set()): Migration {
  const sources = new Map<string, SourceFile>()
  const parse = (part: SqlPart): Statement[] => {
    sources.set(part.path, { path: part.path, text: part.text })
    return parseSql(new SourceText(part.path, part.text), {
      inTransaction: part.inTransaction,
      range: part.range,
      invalidUtf8: invalidUtf8.has(part.path),
    })
  }
  return {
    id: input.id,
    path: input.up.path,
    downPath: input.down?.path ?? null,
    order: input.order,
    layout: input.layout,
    up: parse(input.up),
    down: input.down ? parse(input.down) : null,
    transactional: input.up.inTransaction,
    sources: [...sources.values()],
    inRelease: true,
    editedSinceBase: false,
  }
}
