// From the files of migration folders to ordered Migration values: layouts, order, parsing; Kysely
// files are run in the loader worker on the way. One path for the working tree and for a tree at a
// git ref: files are only ever read through the FileReader.
import type { LayoutName, Migration } from '../model.js'
import { pushAll } from '../util/push-all.js'
import { captureMigrations } from '../parse/kysely/capture.js'
import { loadParser } from '../parse/sql.js'
import {
  buildKyselyMigration,
  buildSqlMigration,
  DEFAULT_KYSELY_OPTIONS,
  type KyselyMigrationInput,
  type KyselyOptions,
  type SqlMigrationInput,
} from './build.js'
import { classify, detectLayout, orderMigrations, splitKysely, type FileReader } from './layouts.js'

export interface MigrationGroup {
  /** The folder whose files these are; null when globs picked them. */
  folder: string | null
  files: readonly string[]
}

export interface AssembleOptions {
  /** Repository root: Kysely migrations resolve their imports from their folder under it. */
  root: string
  /** Config `layout`: every folder is read as this layout. */
  layout?: LayoutName
  kysely?: KyselyOptions
}

export interface Assembled {
  migrations: Migration[]
  /** Files in a migrations folder that fit no layout (or a Kysely file that exports no up). */
  unknownFiles: string[]
}

export async function assembleMigrations(groups: readonly MigrationGroup[], reader: FileReader, options: AssembleOptions): Promise<Assembled> {
  const inputs: (SqlMigrationInput | KyselyMigrationInput)[] = []
  const unknownFiles: string[] = []
  for (const group of groups) {
    if (!group.files.length) continue
    const { kysely, rest } = splitKysely(group.files, group.folder, reader, options.layout)
    pushAll(inputs, kysely)
    if (!rest.length) continue
    if (options.layout === 'kysely') {
      pushAll(unknownFiles, rest)
      continue
    }
    const classified = classify(rest, reader, detectLayout(rest, reader, options.layout))
    pushAll(inputs, classified.migrations)
    pushAll(unknownFiles, classified.unknown)
  }
  const ordered = orderMigrations(inputs)
  const kyselyOptions = options.kysely ?? DEFAULT_KYSELY_OPTIONS
  const kyselyInputs = ordered.filter(isKysely)
  const captured = await captureMigrations(kyselyInputs, { root: options.root, timeoutMs: kyselyOptions.timeoutMs })
  // Building a Kysely migration parses the SQL it recorded.
  if (kyselyInputs.length) await loadParser()
  const captures = new Map(kyselyInputs.map((input, i) => [input.id, captured[i]]))
  const migrations: Migration[] = []
  for (const input of ordered) {
    const order = migrations.length
    if (!isKysely(input)) {
      migrations.push(buildSqlMigration({ ...input, order }))
      continue
    }
    const capture = captures.get(input.id)!
    // Kysely's provider skips a file that exports no up(): say so instead of guessing.
    if (capture.exports && !capture.exports.up) unknownFiles.push(input.path)
    else migrations.push(buildKyselyMigration({ ...input, order }, capture, kyselyOptions))
  }
  return { migrations, unknownFiles }
}

const isKysely = (input: SqlMigrationInput | KyselyMigrationInput): input is KyselyMigrationInput => input.layout === 'kysely'
