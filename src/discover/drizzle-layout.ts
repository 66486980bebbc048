// Drizzle (DESIGN §3): `NNNN_name.sql` files from drizzle-kit generate, `--> statement-breakpoint` between
// statements, `meta/_journal.json` (and snapshots) beside them. drizzle-orm's migrator (drizzle-orm 0.45,
// migrator.js and pg-core/dialect.js) runs the files the journal lists, in its order, splits each at the
// breakpoints as plain text, sends every piece alone, and runs all pending migrations in one transaction.
import path from 'node:path'
import type { ByteRange } from '../parse/split.js'
import type { SqlMigrationInput } from './build.js'
import type { FileReader, LayoutFiles, LayoutResult } from './layouts.js'

const BREAKPOINT = '--> statement-breakpoint'
const JOURNAL = '_journal.json'

export const hasBreakpoint = (text: string): boolean => text.includes(BREAKPOINT)

/** drizzle-kit's own files: the journal and the snapshots. */
export const isDrizzleMeta = (file: string): boolean => path.posix.basename(path.posix.dirname(file)) === 'meta'

export const isDrizzleJournal = (file: string): boolean => isDrizzleMeta(file) && path.posix.basename(file) === JOURNAL

export function classifyDrizzle({ files, reader, part }: LayoutFiles): LayoutResult {
  const journals = readJournals(files, reader)
  const migrations: SqlMigrationInput[] = []
  const unknown: string[] = []
  for (const file of files) {
    if (isDrizzleMeta(file)) continue
    const index = journals.index.get(file)
    // With a journal, the migrator runs only the files it lists: any other is never applied.
    if (!file.endsWith('.sql') || (index === undefined && journals.folders.has(path.posix.dirname(file)))) {
      unknown.push(file)
      continue
    }
    const pieces = breakpointPieces(reader.read(file).text)
    migrations.push({
      id: file,
      layout: 'drizzle',
      order: 0,
      up: part(file, { inTransaction: true, pieces }),
      down: null,
      sortBy: index === undefined ? undefined : [index],
    })
  }
  return { migrations, unknown }
}

/** The byte ranges between breakpoints, the markers left out, as drizzle-orm's `split()` cuts the text. */
export function breakpointPieces(text: string): ByteRange[] {
  const bytes = Buffer.from(text, 'utf8')
  const marker = Buffer.from(BREAKPOINT, 'utf8')
  const pieces: ByteRange[] = []
  let start = 0
  for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, start)) {
    pieces.push({ start, end: at })
    start = at + marker.length
  }
  pieces.push({ start, end: bytes.length })
  return pieces
}

interface Journals {
  /** Migration file → its `idx` in the journal. */
  index: Map<string, bigint>
  /** Folders whose journal could be read. */
  folders: Set<string>
}

function readJournals(files: readonly string[], reader: FileReader): Journals {
  const journals: Journals = { index: new Map(), folders: new Set() }
  for (const file of files.filter(isDrizzleJournal)) {
    const entries = journalEntries(reader.read(file).text)
    if (!entries) continue
    const folder = path.posix.dirname(path.posix.dirname(file))
    journals.folders.add(folder)
    for (const entry of entries) journals.index.set(path.posix.join(folder, `${entry.tag}.sql`), BigInt(entry.idx))
  }
  return journals
}

/** `entries[]` with an integer `idx` and a `tag` each; null when the journal is not that (then files go by name). */
function journalEntries(text: string): { idx: number; tag: string }[] | null {
  let journal: unknown
  try {
    journal = JSON.parse(text)
  } catch {
    return null
  }
  const entries = (journal as { entries?: unknown } | null)?.entries
  if (!Array.isArray(entries)) return null
  const valid = entries.every(e => Number.isInteger(e?.idx) && typeof e?.tag === 'string')
  return valid ? (entries as { idx: number; tag: string }[]) : null
}
