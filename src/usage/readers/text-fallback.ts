// The conservative reader of last resort (issue 12): code that no reader understands — another
// language, another data layer, SQL in a string nobody recognised — may still use a table or column
// the release changes. A file that names the table and the column (as written, in camelCase or
// PascalCase, outside comments) is a mention; a mention that no understood query accounts for makes
// the change *possibly still used*: unproven, never revert-safe.
import { LineIndex } from '../../util/line-index.js'
import { isCodeFile } from '../mentions-query.js'
import { normalizeTable } from '../table-scope.js'
import { declaresDrizzleTables } from './drizzle-schema.js'
import { jsClientSchemas } from './prisma-schema.js'
import { mentionsSequelize, sequelizeDefinitionSpans } from './sequelize-models.js'
import { mentionsTypeorm } from './typeorm-entities.js'
import type { CodeFile } from '../scan.js'
import type { UsageScan } from '../usage.js'

/** What a change takes away: a table, or one of its columns. */
export interface MentionQuery {
  table: string
  column?: string
}

export interface Mention {
  file: string
  line: number
  column: number
  /** `names users.email`, for messages. */
  what: string
}

/**
 * Mentions of `query` in `files` that the understood queries of `scan` (the same files' usage scan)
 * do not account for, at most one per file, in file order.
 */
export function unaccountedMentions(files: readonly CodeFile[], scan: UsageScan, query: MentionQuery): Mention[] {
  const table = normalizeTable(query.table)
  const tableForms = nameForms(bareName(table), true)
  const columnForms = query.column === undefined ? null : nameForms(query.column, false)
  const quick = quickFilter([...tableForms, ...(columnForms ?? [])])
  // The schema the Prisma reader read: its models are the reader's, not mentions.
  const prismaSchemas = new Set(jsClientSchemas(files))
  const read = {
    prisma: prismaSchemas.size > 0,
    drizzle: files.some(f => isCodeFile(f.path) && declaresDrizzleTables(f.text)),
    typeorm: files.some(f => isCodeFile(f.path) && mentionsTypeorm(f.text)),
    sequelize: files.some(f => isCodeFile(f.path) && mentionsSequelize(f.text)),
  }
  const out: Mention[] = []
  for (const file of files) {
    if (!quick(file.text) || prismaSchemas.has(file)) continue
    const words = wordsOf(file.text, languageOf(file.path))
    if (!words.some(w => tableForms.has(w.lower))) continue
    const wanted = columnForms ?? tableForms
    const lines = new LineIndex(file.text)
    const counts = mentionCounts(file, scan, table, lines, read)
    const hit = words.find(w => wanted.has(w.lower) && counts(w))
    if (!hit) continue
    const { line, column } = lines.position(hit.offset)
    out.push({ file: file.path, line, column, what: query.column === undefined ? `names ${table}` : `names ${table}.${query.column}` })
  }
  return out
}

/**
 * String literals that spell an enum label exactly, in files that also name one of `names` (the
 * tables with a column of the enum type, the type itself). No reader follows values, so every such
 * literal counts, in any language: old code that writes or compares the label fails once it is gone.
 */
export function labelMentions(files: readonly CodeFile[], label: string, names: readonly string[]): Mention[] {
  const nameSet = new Set(names.flatMap(n => [...nameForms(bareName(normalizeTable(n)), true)]))
  const out: Mention[] = []
  for (const file of files) {
    if (!file.text.includes(label)) continue
    const { words, literals } = lex(file.text, languageOf(file.path))
    const hit = literals.find(l => file.text.slice(l.start + 1, l.end) === label)
    if (!hit || !words.some(w => nameSet.has(w.lower))) continue
    const { line, column } = new LineIndex(file.text).position(hit.start)
    out.push({ file: file.path, line, column, what: `spells '${label}'` })
  }
  return out
}

/**
 * In JavaScript and TypeScript the Kysely, knex and SQL readers run: a file that uses no other data layer
 * is understood, so only SQL text they did not read counts (a string no understood query of the
 * table covers). Elsewhere every mention counts. Sequelize calls pass keys no model maps through as
 * column names (`where: { legacy: 1 }`): in their files every word counts but the model definitions'.
 */
function mentionCounts(file: CodeFile, scan: UsageScan, table: string, lines: LineIndex, read: ReadLayers): (word: Word) => boolean {
  const text = file.text
  const unread =
    OTHER_DATA_LAYER.test(text) ||
    (!read.prisma && PRISMA.test(text)) ||
    (!read.drizzle && DRIZZLE.test(text)) ||
    (!read.typeorm && TYPEORM.test(text)) ||
    (!read.sequelize && mentionsSequelize(text)) ||
    (!read.prisma && !read.drizzle && ORM_FINDERS.test(text))
  if (!isCodeFile(file.path) || unread) return () => true
  const understoodLines = new Set(scan.usages.filter(u => u.loc.file === file.path && u.table === table).map(u => u.loc.line))
  if (read.sequelize && (mentionsSequelize(text) || SEQUELIZE_CALLS.test(text))) {
    const spans = sequelizeDefinitionSpans(file.path, text)
    return word => !understoodLines.has(lines.position(word.offset).line) && !spans.some(s => s.start <= word.offset && word.offset < s.end)
  }
  // A module declaring Drizzle tables spells their names in literals (`pgTable('users', { email: text('email') })`): the mapping the reader read.
  const mapping = read.drizzle && declaresDrizzleTables(text)
  return word => {
    if (!word.literal) return false
    if (mapping && /^[A-Za-z_][\w.]*$/.test(text.slice(word.literal.start + 1, word.literal.end))) return false
    const [from, to] = [lines.position(word.literal.start).line, lines.position(word.literal.end).line]
    for (let line = from; line <= to; line++) if (understoodLines.has(line)) return false
    return true
  }
}

/** Data layers no reader of this project understands yet: their calls name tables and columns in their own way. */
const OTHER_DATA_LAYER = /@mikro-orm|\bobjection\b|pg-promise|\bslonik\b|@vercel\/postgres|@neondatabase|from\s+['"]postgres['"]/

/**
 * TypeORM and Sequelize, read by their readers (readers/typeorm.ts, readers/sequelize.ts) when the tree
 * holds their modules. TypeORM refuses find options and values no entity property maps, so in its files
 * only literals (QueryBuilder SQL) can name another column: they are understood like Kysely's.
 */
const TYPEORM = /\btypeorm\b|\bgetRepository\(|\.createQueryBuilder\(/
/** Sequelize model calls, in a file that need not name sequelize (`User.findAll({ where })`). */
const SEQUELIZE_CALLS = /\.(?:findAll|findOne|findByPk|findAndCountAll|findOrCreate|bulkCreate|destroy|increment|decrement)\(/

/**
 * Prisma Client and Drizzle, read by their readers (readers/prisma.ts, readers/drizzle.ts) when the tree
 * holds the Prisma schema of the TS/JS client, or modules declaring Drizzle tables: then their files are
 * understood like Kysely's (and the Prisma schema is what the reader read). Without one, their calls are
 * code no reader understands; so are `.findMany(` / `.findFirst(` when neither is read.
 */
const PRISMA = /@prisma\/client|\bPrismaClient\b|\bprisma\.\w+\.\w+\(|\$queryRaw|\$executeRaw|\.findUnique\(/
const DRIZZLE = /drizzle-orm/
const ORM_FINDERS = /\.findMany\(|\.findFirst\(/

interface ReadLayers {
  prisma: boolean
  drizzle: boolean
  typeorm: boolean
  sequelize: boolean
}

/** `audit.events` → `events`: code rarely spells the schema. */
function bareName(table: string): string {
  return table.slice(table.lastIndexOf('.') + 1)
}

/**
 * Lower-cased spellings of a name as code writes it: `space_id`, `spaceId`/`SpaceId`; a table also by
 * its singular (`users` → `User`, the model an ORM maps onto it).
 */
export function nameForms(name: string, isTable: boolean): Set<string> {
  const lower = name.toLowerCase()
  const forms = new Set([lower, lower.replace(/_/g, '')])
  if (isTable) {
    for (const form of [...forms]) {
      if (/ies$/.test(form)) forms.add(form.replace(/ies$/, 'y'))
      else if (/(?:ss|x|ch|sh)es$/.test(form)) forms.add(form.replace(/es$/, ''))
      else if (/[^s]s$/.test(form)) forms.add(form.slice(0, -1))
    }
  }
  return forms
}

/** A cheap test on the raw text: does it hold any of the forms as a whole word (case aside)? */
function quickFilter(forms: readonly string[]): (text: string) => boolean {
  const escaped = [...new Set(forms)].map(f => f.replace(/[$]/g, '\\$'))
  const pattern = new RegExp(`(?<![A-Za-z0-9_$])(?:${escaped.join('|')})(?![A-Za-z0-9_$])`, 'i')
  return text => pattern.test(text)
}

type Language = 'c-like' | 'hash' | 'sql' | 'unknown'

const LANGUAGES: [RegExp, Language][] = [
  [/\.(?:[cm]?[jt]sx?|go|java|kts?|scala|cs|rs|swift|dart|php|c|cc|cpp|h|hpp|prisma|groovy)$/, 'c-like'],
  [/\.(?:py|rb|ex|exs|sh|ya?ml|toml|r|pl|cr)$/, 'hash'],
  [/\.sql$/, 'sql'],
]

function languageOf(file: string): Language {
  return LANGUAGES.find(([pattern]) => pattern.test(file))?.[1] ?? 'unknown'
}

interface Word {
  lower: string
  offset: number
  /** The string literal the word is inside (offsets of its quotes), if any. */
  literal: { start: number; end: number } | null
}

/**
 * The identifier-like words of a text outside comments, each with the string literal holding it.
 * Quotes are followed so that a `//` inside a string is not a comment; in an unknown language
 * nothing is a comment.
 */
export function wordsOf(text: string, language: Language): Word[] {
  return lex(text, language).words
}

function lex(text: string, language: Language): { words: Word[]; literals: { start: number; end: number }[] } {
  const words: Word[] = []
  const literals: { start: number; end: number }[] = []
  const lineComment = language === 'c-like' ? '//' : language === 'hash' ? '#' : language === 'sql' ? '--' : null
  const blockComments = language === 'c-like' || language === 'sql'
  const quotes = language === 'unknown' ? '' : language === 'sql' ? `'"` : `'"\``
  let literal: { start: number; end: number; quote: string } | null = null
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (literal) {
      if (c === '\\' && language !== 'sql') {
        i += 2
        continue
      }
      if (c === literal.quote) {
        literal.end = i
        literal = null
        i++
        continue
      }
    } else {
      if (lineComment && text.startsWith(lineComment, i)) {
        const end = text.indexOf('\n', i)
        i = end < 0 ? text.length : end
        continue
      }
      if (blockComments && text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2)
        i = end < 0 ? text.length : end + 2
        continue
      }
      if (quotes.includes(c)) {
        literal = { start: i, end: text.length, quote: c }
        literals.push(literal)
        i++
        continue
      }
    }
    if (/[A-Za-z_]/.test(c)) {
      let end = i + 1
      while (end < text.length && /[A-Za-z0-9_$]/.test(text[end])) end++
      words.push({ lower: text.slice(i, end).toLowerCase(), offset: i, literal })
      i = end
      continue
    }
    i++
  }
  return { words, literals }
}
