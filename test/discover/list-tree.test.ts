// A migration folder is listed without fast-glob (listTree): exactly what fast-glob's `**/*` with
// node_modules ignored lists (listFiles, still used for globs), the same files in the same order and the
// same links noted as not followed, in the same order.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listFiles, listTree, type LinkCheck } from '../../src/discover/discover.js'
import { tempTree } from '../cli/helpers.js'

function edgeTree(): string {
  const root = tempTree({
    'm/001_a.sql': '',
    'm/B.sql': '',
    'm/.dot.sql': '',
    'm/.hidden/h.sql': '',
    'm/a/002.sql': '',
    'm/a/b/c.sql': '',
    'm/node_modules/x/n.sql': '',
    'm/sub/node_modules/y.sql': '',
    'm/sub/node_modules2': '',
    'm/sub/s.sql': '',
    'm/nm/node_modules': '',
    'm/we ird[1]/q*.sql': '',
    'm/z/zz.sql': '',
    'outside.sql': '',
  })
  const m = path.join(root, 'm')
  fs.symlinkSync('../001_a.sql', path.join(m, 'a/link.sql'))
  fs.symlinkSync('a', path.join(m, 'dirlink'))
  fs.symlinkSync('/etc/hostname', path.join(m, 'out'))
  fs.symlinkSync('../../m/z', path.join(m, 'sub/zlink'))
  fs.symlinkSync('001_a.sql', path.join(m, 'node_modules_link'))
  fs.symlinkSync('../001_a.sql', path.join(m, 'sub/node_modules3'))
  return root
}

describe('listTree', () => {
  it('lists what fast-glob lists: no dot names, nothing named node_modules, links to files inside kept, others noted in walk order', () => {
    const root = edgeTree()
    const dir = path.join(root, 'm')
    const byGlob: LinkCheck = { root, skipped: [] }
    const byTree: LinkCheck = { root, skipped: [] }
    const expected = listFiles('**/*', dir, ['**/node_modules/**'], byGlob)
    expect(listTree(dir, byTree)).toEqual(expected)
    expect(byTree.skipped).toEqual(byGlob.skipped)
    expect(expected).toEqual([
      '001_a.sql',
      'B.sql',
      'a/002.sql',
      'a/b/c.sql',
      'a/link.sql',
      'node_modules_link',
      'sub/node_modules2',
      'sub/node_modules3',
      'sub/s.sql',
      'we ird[1]/q*.sql',
      'z/zz.sql',
    ])
    expect([...byTree.skipped].sort()).toEqual(['m/dirlink', 'm/out', 'm/sub/zlink'])
  })

  it('an unreadable folder is an error, as with fast-glob', () => {
    const links: LinkCheck = { root: '/', skipped: [] }
    expect(() => listTree('/no/such/folder', links)).toThrow(/ENOENT/)
  })
})
