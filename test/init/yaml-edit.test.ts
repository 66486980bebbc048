import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { addToYaml } from '../../src/init/yaml-edit.js'

const run = { run: 'npx --no-install migrate-lint --staged' }

describe('addToYaml', () => {
  it('appends a new top-level key and leaves the rest byte for byte', () => {
    const text = 'pre-push:\n  commands:\n    test:\n      run: npm test # slow'
    const out = addToYaml(text, { path: ['pre-commit', 'commands', 'migrate-lint'], mode: 'set', value: run })
    expect(out).toBe(`${text}\n\npre-commit:\n  commands:\n    migrate-lint:\n      run: npx --no-install migrate-lint --staged\n`)
  })

  it('edits the document when the key exists already, keeping comments', () => {
    const text = '# hooks\npre-commit:\n  parallel: true # fast\n  commands:\n    eslint:\n      run: npx eslint {staged_files}\npre-push:\n  commands: {}\n'
    const out = addToYaml(text, { path: ['pre-commit', 'commands', 'migrate-lint'], mode: 'set', value: run })
    expect(parse(out)).toEqual({
      'pre-commit': { parallel: true, commands: { eslint: { run: 'npx eslint {staged_files}' }, 'migrate-lint': run } },
      'pre-push': { commands: {} },
    })
    expect(out).toContain('# hooks')
    expect(out).toContain('# fast')
  })

  it('pushes onto a sequence: appended at the file\'s own indentation when it is the last block…', () => {
    const text = 'repos:\n  - repo: local\n    hooks:\n      - id: a\n        name: a\n        entry: a\n        language: system\n'
    const out = addToYaml(text, { path: ['repos'], mode: 'push', value: { repo: 'local', hooks: [{ id: 'b' }] } })
    expect(out).toBe(`${text}  - repo: local\n    hooks:\n      - id: b\n`)
  })

  it('…and through the document when another key follows it', () => {
    const text = 'repos:\n- repo: local\n  hooks: []\nci:\n  autofix_prs: false\n'
    const out = addToYaml(text, { path: ['repos'], mode: 'push', value: { repo: 'local', hooks: [{ id: 'b' }] } })
    expect(parse(out)).toEqual({ repos: [{ repo: 'local', hooks: [] }, { repo: 'local', hooks: [{ id: 'b' }] }], ci: { autofix_prs: false } })
  })

  it('an empty file gets the block', () => {
    expect(parse(addToYaml('', { path: ['pre-commit', 'jobs'], mode: 'push', value: { name: 'x', ...run } }))).toEqual({
      'pre-commit': { jobs: [{ name: 'x', ...run }] },
    })
  })
})
