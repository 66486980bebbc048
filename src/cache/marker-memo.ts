// Reading migrations at a git ref: the layout markers of a tree's files, kept by their blob ids, so
// that a commit attempt reads none of the texts the base and the index share (discover/at-ref.ts).
import type { MarkerMemo, MarkerPack } from '../discover/at-ref.js'
import { activeCache, hashKey } from './store.js'

export function markerMemo(): MarkerMemo {
  const key = (blobIds: readonly string[]) => hashKey('markers', blobIds)
  return {
    recall: blobIds => activeCache().get<MarkerPack>('markers', key(blobIds)),
    keep: (blobIds, pack) => activeCache().set('markers', key(blobIds), pack),
  }
}
