// The Kysely capture's boundary (parse/kysely/capture.ts): a migration's complete capture, kept by its
// path and text, so that a warm run starts no capture process for the migrations it has seen.
import type { Capture, CaptureMemo } from '../parse/kysely/capture.js'
import { activeCache, hashKey } from './store.js'

export function captureMemo(): CaptureMemo {
  const key = (source: { path: string; text: string }) => hashKey('kysely', source.path, source.text)
  return {
    recall: source => activeCache().get<Capture>('kysely', key(source)),
    keep: (source, capture) => activeCache().set('kysely', key(source), capture),
  }
}
