// Issue 14: sizes an attacker (or a large monorepo) can reach must not crash or hang the run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hashKey } from '../../src/cache/store.js'
import type { Migration } from '../../src/model.js'
import { chainKey } from '../../src/cache/chain-key.js'
import { pushAll } from '../../src/util/push-all.js'
import { runCli } from '../cli/helpers.js'

describe('one argument per migration never reaches a call', () => {
  const many = Array.from({ length: 300_000 }, (_, i) => `m${i}`)

  it('hashKey takes lists as parts: the same key as the parts one by one', () => {
    expect(hashKey('a', ['b', 'c'], 'd')).toBe(hashKey('a', 'b', 'c', 'd'))
    expect(hashKey('markers', many)).toMatch(/^[0-9a-f]{40}$/)
  })

  it('chainKey and pushAll take 300,000', () => {
    const migrations = many.map(fingerprint => ({ fingerprint, inRelease: true }) as unknown as Migration)
    expect(chainKey('per-migration', migrations)).toMatch(/^[0-9a-f]{40}$/)
    expect(pushAll([0], many.map((_, i) => i + 1))).toHaveLength(300_001)
  })

  it('the CLI lints 100,000 migrations (it overflowed the stack)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-scale-'))
    fs.mkdirSync(path.join(dir, 'migrations'))
    for (let i = 0; i < 100_000; i++) fs.writeFileSync(path.join(dir, 'migrations', `${String(i).padStart(6, '0')}_m.sql`), `CREATE TABLE t${i} (id int);\n`)
    const run = runCli([], dir, { MIGRATE_LINT_NO_CACHE: '1' })
    expect({ code: run.code, stderr: run.stderr, last: run.stdout.trimEnd().split('\n').at(-1) }).toEqual({
      code: 0,
      stderr: '',
      last: '✔ 0 errors, 0 warnings (100000 statements in 100000 files)',
    })
  }, 180_000)

  it('the CLI lints 200,000 statements on one line (it hung: a column counted from the line start each time)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-scale-'))
    fs.mkdirSync(path.join(dir, 'migrations'))
    const line = Array.from({ length: 200_000 }, (_, i) => `CREATE TABLE t${i} ("é${i}" int);`).join('')
    fs.writeFileSync(path.join(dir, 'migrations', '001_one_line.sql'), `-- é\n${line}\n`)
    const run = runCli([], dir, { MIGRATE_LINT_NO_CACHE: '1' })
    expect({ code: run.code, stderr: run.stderr, last: run.stdout.trimEnd().split('\n').at(-1) }).toEqual({
      code: 0,
      stderr: '',
      last: '✔ 0 errors, 0 warnings (200000 statements in 1 file)',
    })
  }, 180_000)
})
