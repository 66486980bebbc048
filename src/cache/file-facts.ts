// Cheaper keys for warm runs (issue 16): the migration files on disk are known by their stat first
// and by their content only when it changed. One entry per listing (the root and where the files were
// listed) holds each file's size, times, inode, blob id and layout markers; a file whose stat still
// matches is named by that blob id unread, and the fingerprints, the findings of an unchanged folder
// and the schema of a base then come from the cache without a single migration being read.
// Unlike the other kinds, this entry is rewritten when a file changes: every row checks itself against
// the file's stat, so an entry written by another run at the same time is never wrong, only older.
import type { FileFact, FileFactsMemo } from '../discover/discover.js'
import { activeCache, hashKey } from './store.js'

export function fileFacts(): FileFactsMemo {
  const key = (root: string, scope: readonly string[]) => hashKey('files', root, scope)
  return {
    recall: (root, scope) => activeCache().get<Record<string, FileFact>>('files', key(root, scope)),
    keep: (root, scope, facts) => activeCache().set('files', key(root, scope), facts),
  }
}
