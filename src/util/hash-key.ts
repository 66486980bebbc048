// The content key every memo uses (the disk cache's entries, the parse memo, migration fingerprints).
// A plain function of its parts, free of the cache, so that stages can name what they depend on
// without reaching into the cache layer (src/cache/).
import { hash } from 'node:crypto'

/**
 * A part may be a list (one entry per migration or file): passed as a list, not spread into arguments,
 * which overflows the stack at about 100,000 of them. ('a', ['b']) hashes as ('a', 'b').
 */
export function hashKey(...parts: readonly (string | readonly string[])[]): string {
  // One string, one call: most keys hash small texts, where a Hash object per key costs more than the
  // hashing. The separator cannot occur in paths or SQL and keeps ('ab', 'c') apart from ('a', 'bc').
  return hash('sha1', parts.flat().join('\0\u0001'))
}
