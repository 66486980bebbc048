// Parsing costs ~1 ms per file; most app files hold no query at all. A file that mentions none of
// these cannot build one with Kysely or hand SQL to a driver, so it is not parsed.
const QUERY_WORDS = ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'sql`', 'sql<', '.query(', '.raw(']

export function mentionsQuery(text: string): boolean {
  return QUERY_WORDS.some(word => text.includes(word))
}

// What oxc-parser reads; a glob that also matches `.md` or `.json` files must not turn them into parse errors.
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/

export function isCodeFile(path: string): boolean {
  return CODE_FILE.test(path) && !path.endsWith('.d.ts')
}
