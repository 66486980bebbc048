// What a round trip changed: objects there before the release and not after the down migrations,
// the other way round, or with another definition. A missing or extra table says it for its columns,
// indexes and constraints too, so they are not listed again.
import { keyOf, type SchemaObject, type SchemaSnapshot } from './snapshot.js'

export interface SchemaDifference {
  object: SchemaObject
  /** Null: not there before the release. */
  before: string | null
  /** Null: gone after the down migrations. */
  after: string | null
}

export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDifference[] {
  const out: SchemaDifference[] = []
  for (const [key, object] of before.objects) {
    const now = after.objects.get(key)
    if (!now) out.push({ object, before: object.definition, after: null })
    else if (now.definition !== object.definition) out.push({ object, before: object.definition, after: now.definition })
  }
  for (const [key, object] of after.objects) {
    if (!before.objects.has(key)) out.push({ object, before: null, after: object.definition })
  }
  const wholeTables = new Set(out.filter(d => d.object.kind === 'table' && (d.before === null || d.after === null)).map(d => d.object.name))
  return out
    .filter(d => d.object.table === null || !wholeTables.has(d.object.table))
    .sort((a, b) => (keyOf(a.object) < keyOf(b.object) ? -1 : 1))
}

/** Follows "After the down migrations, ": `index users_email_idx is still there (CREATE INDEX …), though …` */
export function describeDifference(d: SchemaDifference): string {
  const what = `${d.object.kind} ${d.object.name}`
  if (d.before === null) return `${what} is still there${shown(d.after)}, though it was not there before the release`
  if (d.after === null) return `${what} is missing${shown(d.before)}, though it was there before the release`
  return `${what} differs: ${quote(d.before)} before the release, ${quote(d.after)} now`
}

function shown(definition: string | null): string {
  return definition && !['table', 'sequence', ''].includes(definition) ? ` (${clip(definition)})` : ''
}

function quote(definition: string): string {
  return `"${clip(definition)}"`
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text
}
