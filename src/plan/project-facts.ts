// What the planner needs from the project: the migrations folder and its layout (found as `init`
// finds them, or as the config names them), the names already used, and the schema those migrations
// build (replayed as the lint replays them). Reads files; writes nothing.
import path from 'node:path'
import type { Config } from '../config.js'
import { discoverMigrations } from '../discover/discover.js'
import { detectProject } from '../init/detect.js'
import type { Migration } from '../model.js'
import { loadParser } from '../parse/sql.js'
import { replayedSchema } from '../release/base-schema.js'
import { UsageError } from '../util/errors.js'
import type { PlanFacts } from './plan-change.js'

export interface FactsRequest {
  root: string
  config: Config
  /** --dir: the migrations folder, relative to the root (default: the config's, else the one init finds). */
  dir?: string
  now: Date
  /**
   * The plan being written (its title, describeIntent's) and the release it writes now: files an
   * earlier run of it wrote for that release are left out of the schema, which is the one they start from.
   */
  writing?: { title: string; release: 'N' | 'N+1' }
}

export async function projectFacts(request: FactsRequest): Promise<PlanFacts> {
  const { root, config } = request
  const named = request.dir ?? (config.migrations ? null : (await detectProject(root)).migrations?.folder)
  if (named === undefined) throw new UsageError('No migrations folder found: pass it with --dir <folder> (the plan needs the tables its migrations create).')
  const parser = loadParser()
  const { migrations } = await discoverMigrations({
    root,
    cwd: root,
    paths: named === null ? [] : [named],
    globs: named === null ? (config.migrations ?? undefined) : undefined,
    exclude: config.exclude,
    layout: config.layout ?? undefined,
    kysely: config.kysely,
  })
  if (!migrations.length) throw new UsageError(`No migrations in ${named ?? (config.migrations ?? []).join(', ')}: the plan needs the tables its migrations create.`)
  await parser
  const last = migrations.at(-1)!
  const folder = named ?? path.posix.dirname(last.layout === 'diesel' ? last.id : last.path)
  return {
    folder: path.posix.normalize(folder.split(path.sep).join('/')),
    layout: last.layout,
    existing: migrations.map(nameOf),
    schema: replayedSchema(request.writing ? migrations.filter(m => !writtenBy(m, request.writing!)) : migrations),
    kysely: { extension: last.layout === 'kysely' ? path.posix.extname(last.path).slice(1) : 'ts', transactions: config.kysely.transactions },
    now: request.now,
  }
}

/** Whether the migration is one `plan` wrote for this release of this change (its first two comment lines say so). */
function writtenBy(m: Migration, writing: { title: string; release: string }): boolean {
  const [first, second] = (m.sources[0]?.text ?? '').split('\n', 2)
  return /^(--|\/\/) migrate-lint plan: /.test(first) && first.slice(first.indexOf(':') + 2) === writing.title && (second ?? '').includes(`Release ${writing.release} (`)
}

/** The name a runner versions a migration by: file name without its extensions, diesel's folder. */
function nameOf(m: Migration): string {
  const base = path.posix.basename(m.layout === 'diesel' ? m.id : m.path)
  return base.replace(/(\.(up|down))?\.(sql|m?[jt]s)$/, '')
}
