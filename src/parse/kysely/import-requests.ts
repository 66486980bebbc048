// What a migration's text imports, read off the text (no parse): `from '…'`, `import '…'`,
// `import('…')`, `require('…')` with a literal. Enough to decide how to load and cache it; a computed
// import is not seen here and fails where it runs, reported there.

const IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s*)(['"`])([^'"`]+)\1/gm

export function* importRequests(text: string): Generator<string> {
  for (const match of text.matchAll(IMPORT)) yield match[2]
}

/** Some import satisfies `test`. */
export function importsAny(text: string, test: (request: string) => boolean): boolean {
  for (const request of importRequests(text)) if (test(request)) return true
  return false
}
