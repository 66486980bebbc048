// The code scan's answers about the previous release's code (release/code-scan.ts): where it may use
// what a change takes away, kept by the question and the base tree's files (by blob id).
import type { UnestablishedUse } from '../engine/rule.js'
import type { RecallUses } from '../release/code-scan.js'
import { activeCache, hashKey } from './store.js'

export const recallUses: RecallUses = (key, find) => {
  const entry = hashKey('unestablished', ...key)
  const cached = activeCache().get<UnestablishedUse[]>('unestablished', entry)
  if (cached) return cached
  const found = find()
  activeCache().set('unestablished', entry, found)
  return found
}
