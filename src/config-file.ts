// Which config file a run uses, and where its paths start (issue 17: monorepos). Light on purpose
// (fs and path only): the CLI asks it before the lint loads, to start git on the right folders.
import fs from 'node:fs'
import path from 'node:path'

export const CONFIG_FILE = 'migrate-lint.config.json'
export const PACKAGE_KEY = 'migrate-lint'

export interface ConfigFile {
  /** Absolute path of the file. */
  file: string
  /** Set when the config is the "migrate-lint" key of a package.json. */
  packageKey: boolean
  /**
   * Repository-relative, `/`-separated folder its globs and folders resolve against: the file's own
   * folder, or `.` (the root) for a file outside the repository (one config shared by many).
   */
  dir: string
}

/**
 * `--config` when given; else the nearest `migrate-lint.config.json`, or package.json with a
 * "migrate-lint" key, from `cwd` up to the repository root (ESLint's and squawk's nearest file): run
 * from `packages/api`, the package's own config applies. Null: none, the defaults apply.
 */
export function findConfigFile(root: string, cwd: string, explicit: string | undefined): ConfigFile | null {
  if (explicit) {
    const file = path.resolve(cwd, explicit)
    return { file, packageKey: path.basename(file) === 'package.json', dir: folderIn(root, path.dirname(file)) }
  }
  const inside = path.relative(root, cwd)
  // Outside the repository (or no repository: root is cwd), only cwd itself is looked at.
  const start = inside.startsWith('..') || path.isAbsolute(inside) ? root : cwd
  for (let dir = start; ; dir = path.dirname(dir)) {
    const own = path.join(dir, CONFIG_FILE)
    if (fs.existsSync(own)) return { file: own, packageKey: false, dir: folderIn(root, dir) }
    const pkg = path.join(dir, 'package.json')
    // An unreadable package.json stops the search too: reading it as the config reports why.
    if (packageKeyIn(pkg) !== false) return { file: pkg, packageKey: true, dir: folderIn(root, dir) }
    if (dir === root || path.dirname(dir) === dir) return null
  }
}

/** Whether a package.json holds the "migrate-lint" key ('unreadable': not JSON, reported when it is read as the config). */
export function packageKeyIn(file: string): boolean | 'unreadable' {
  if (!fs.existsSync(file)) return false
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
    return Boolean(json) && typeof json === 'object' && PACKAGE_KEY in (json as object)
  } catch {
    return 'unreadable'
  }
}

function folderIn(root: string, dir: string): string {
  const rel = path.relative(root, dir)
  if (rel.startsWith('..') || path.isAbsolute(rel)) return '.'
  return rel.split(path.sep).join('/') || '.'
}
