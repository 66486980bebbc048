// Version prefixes for new migrations, in the style the folder already uses: a 14-digit UTC timestamp
// (dbmate, golang-migrate's default), diesel's 2024-01-31-120000, or a zero-padded sequence (001_…).
// New names must sort after every existing migration as the project's runner sorts them
// (orderMigrations, the lint's own order); a name a runner would put first is an error, not a guess.
import type { LayoutName } from '../model.js'
import { orderMigrations } from '../discover/layouts.js'
import { UsageError } from '../util/errors.js'

type Style =
  | { kind: 'timestamp' }
  | { kind: 'dated'; separator: string; suffix: string }
  | { kind: 'sequence'; width: number; last: bigint }

/**
 * `existing`: the names of the folder's migrations in their order (file names; diesel's folder names),
 * without extensions. Returns one prefix per new migration, increasing.
 */
export function versionPrefixes(existing: readonly string[], layout: LayoutName, now: Date, count: number): string[] {
  const last = existing.at(-1)
  const style = last === undefined ? { kind: 'timestamp' as const } : styleOf(last, existing)
  const prefixes: string[] = []
  if (style.kind === 'sequence') {
    for (let i = 1; i <= count; i++) prefixes.push(String(style.last + BigInt(i)).padStart(style.width, '0'))
    return prefixes
  }
  // The clock may be behind the newest migration (another machine, a hand-made name): start after it.
  const newest = last === undefined ? null : dateOf(last)
  const start = Math.max(Math.floor(now.getTime() / 1000), newest === null ? 0 : newest + 1)
  for (let i = 0; i < count; i++) {
    const d = new Date((start + i) * 1000).toISOString() // 2026-12-03T13:05:09.000Z
    const [y, m, day, time] = [d.slice(0, 4), d.slice(5, 7), d.slice(8, 10), d.slice(11, 19).replace(/:/g, '')]
    prefixes.push(style.kind === 'timestamp' ? `${y}${m}${day}${time}` : [y, m, day, time].join(style.separator) + style.suffix)
  }
  return prefixes
}

/** Whether names made with these prefixes run after every existing migration; throws with the fix if not. */
export function checkOrder(existing: readonly string[], added: readonly string[], layout: LayoutName): void {
  const id = (name: string) => (layout === 'kysely' ? `${name}.ts` : `${name}.sql`)
  const all = [...existing.map(n => ({ id: id(n), layout, existing: true })), ...added.map(n => ({ id: id(n), layout, existing: false }))]
  const ordered = orderMigrations(all)
  const firstNew = ordered.findIndex(m => !m.existing)
  if (ordered.slice(firstNew).some(m => m.existing)) {
    throw new UsageError(
      `The migrations' names (last: ${existing.at(-1)}) follow no version style the plan can continue (timestamp, yyyy-mm-dd-hhmmss or a number): a new file would not run last. Give them version prefixes (001_… or a timestamp) first.`,
    )
  }
}

function styleOf(last: string, existing: readonly string[]): Style {
  if (/^\d{14}(?!\d)/.test(last)) return { kind: 'timestamp' }
  const dated = /^\d{4}([-_])\d{2}\1\d{2}\1\d{6}((?:[-_]\d{4})?)(?!\d)/.exec(last)
  if (dated) return { kind: 'dated', separator: dated[1], suffix: dated[2].replace(/\d/g, '0') }
  const sequence = /^(\d+)(?!\d)/.exec(last)
  if (sequence) {
    const max = existing.reduce((m, n) => {
      const v = /^(\d+)/.exec(n)?.[1]
      return v !== undefined && BigInt(v) > m ? BigInt(v) : m
    }, 0n)
    return { kind: 'sequence', width: sequence[1].length, last: max }
  }
  return { kind: 'timestamp' }
}

/** Seconds since the epoch of a timestamped name, or null. */
function dateOf(name: string): number | null {
  const m = /^(\d{4})[-_]?(\d{2})[-_]?(\d{2})[-_]?(\d{2})(\d{2})(\d{2})/.exec(name)
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000)
}
