// The id git gives a file's content (`git hash-object`): a file on disk and a blob at a ref compare by it
// without either text being read twice.
import { createHash } from 'node:crypto'

export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}
