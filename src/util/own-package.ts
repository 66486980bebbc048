// migrate-lint's own package.json: the version (--version, reports) and the repository (rule pages).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let own: Record<string, unknown> | undefined

/** Found by walking up, because this module runs from src/ (tests), dist/src/ and dist/bundle/ (the bin). */
export function ownPackageJson(): Record<string, unknown> {
  if (own) return own
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
      if (json.name === 'migrate-lint') return (own = json)
    }
    if (path.dirname(dir) === dir) throw new Error('package.json of migrate-lint not found')
  }
}
