// SARIF against the official OASIS schema. test/report/fixtures/sarif-schema-2.1.0.json is the
// SARIF 2.1.0 Errata 01 schema as OASIS publishes it (oasis-tcs/sarif-spec, sarif-2.1/schema/, "exactly
// matches OASIS' official version"; sha256 c3b4bb2d…2682e). It is JSON Schema draft-04, hence ajv-draft-04.
import fs from 'node:fs'
import path from 'node:path'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import type { Log } from 'sarif'
import { describe, expect, it } from 'vitest'
import { allRules } from '../../rules/index.js'
import { fingerprintsOf, normalizeMessage, toSarifLog } from '../../src/report/sarif.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { finding, outcome, release } from './outcome.js'

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/sarif-schema-2.1.0.json'), 'utf8'))
// Both are CommonJS with `exports.default`: the form that type-checks under NodeNext and runs.
const ajv = new Ajv.default({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(schema)

function expectValid(log: unknown): void {
  const valid = validate(log)
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
  expect(valid).toBe(true)
}

const threeFindings = {
  'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
  'migrations/002_email.sql': [
    "SET lock_timeout = '5s'; SET statement_timeout = '60s';",
    'ALTER TABLE users ADD COLUMN email text NOT NULL;',
    'CREATE INDEX users_email ON users (email);',
    '-- migrate-lint-disable-next-line truncate -- the fixture table is empty',
    'TRUNCATE users;',
    '',
  ].join('\n'),
}

const tool = { version: '9.9.9', informationUri: 'https://example.com/migrate-lint' }

describe('--format sarif', () => {
  it('the schema rejects what it should (the validator is really checking)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
    const log = toSarifLog(outcome([finding()]), tool)
    expect(validate(log)).toBe(true)
    log.runs[0].results![0].level = 'info' as 'note'
    expect(validate(log)).toBe(false)
  })

  it('SARIF of a fixture with 3 findings validates against the official SARIF 2.1.0 schema', () => {
    const run = runCli(['--format', 'sarif'], tempTree(threeFindings))
    expect(run.code).toBe(1)
    const log = JSON.parse(run.stdout) as Log
    expectValid(log)
    const results = log.runs[0].results!
    expect(results.map(r => [r.ruleId, r.level, r.locations![0].physicalLocation!.region!.startLine])).toEqual([
      ['not-null-without-default', 'error', 2],
      ['create-index-non-concurrently', 'warning', 3],
      ['truncate', 'error', 5],
    ])
    expect(results[0].locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: 'migrations/002_email.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 49 },
    })
    expect(results[2].suppressions).toEqual([{ kind: 'inSource', justification: 'the fixture table is empty' }])
    expect(results[0].suppressions).toBeUndefined()
  })

  it('describes every rule from its docs; ruleIndex points at the result\'s rule', () => {
    const log = JSON.parse(runCli(['--format', 'sarif'], tempTree(threeFindings)).stdout) as Log
    const driver = log.runs[0].tool.driver
    expect(driver.name).toBe('migrate-lint')
    expect(driver.version).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version)
    expect(driver.informationUri).toMatch(/^https:\/\//)
    expect(driver.rules!.map(r => r.id)).toEqual(allRules.map(r => r.id))
    for (const result of log.runs[0].results!) expect(driver.rules![result.ruleIndex!].id).toBe(result.ruleId)
    const rule = driver.rules!.find(r => r.id === 'not-null-without-default')!
    const docs = allRules.find(r => r.id === 'not-null-without-default')!
    expect(rule).toMatchObject({
      name: 'NotNullWithoutDefault',
      shortDescription: { text: docs.summary },
      fullDescription: { text: docs.docs.why },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['revert-safety'] },
      // The rule's page in the repository (docs/rules, generated from the rule: test/report/rule-doc-pages.test.ts).
      helpUri: 'https://github.com/migrate-lint/migrate-lint/blob/main/docs/rules/not-null-without-default.md',
    })
    expect(driver.informationUri).toBe('https://github.com/migrate-lint/migrate-lint')
    expect(rule.help!.markdown).toContain(`\`\`\`sql\n${docs.docs.bad}\n\`\`\``)
    expect(rule.help!.markdown).toContain(`\`\`\`sql\n${docs.docs.good}\n\`\`\``)
    expect(rule.help!.text).toContain(docs.docs.fix)
  })

  it('maps severities to levels, keeps the help in the message and validates in release mode too', () => {
    const findings = [
      finding(),
      finding({ ruleId: 'drop-column-data-loss', severity: 'info', category: 'data-loss', line: 7, endLine: undefined, endColumn: undefined }),
      finding({ ruleId: 'verify-old-query-fails', file: 'db/migrations/with space#1.sql', message: 'Not a registered rule.' }),
    ]
    const log = toSarifLog(outcome(findings, release(findings), ['No tag matching v* is reachable.']), tool)
    expectValid(log)
    const [run] = log.runs
    expect(run.results!.map(r => r.level)).toEqual(['error', 'note', 'error'])
    expect(run.results![0].message.text).toBe('ADD COLUMN users.email is NOT NULL without a DEFAULT.\nSafe plan: Add the column nullable first.')
    expect(run.results![1].locations![0].physicalLocation!.region).toEqual({ startLine: 7, startColumn: 1 })
    expect(run.results![2].locations![0].physicalLocation!.artifactLocation!.uri).toBe('db/migrations/with%20space%231.sql')
    // A rule id the registry does not know (e.g. from `verify`) still gets a descriptor.
    expect(run.tool.driver.rules![run.results![2].ruleIndex!]).toMatchObject({ id: 'verify-old-query-fails' })
    expect(run.properties).toEqual({ verdict: 'not-revert-safe', revertSafe: false, base: 'v1.4', head: 'HEAD' })
    expect(run.invocations![0].toolExecutionNotifications).toEqual([
      { level: 'error', message: { text: 'Release v1.4..HEAD: NOT revert-safe (2 blocking)' } },
      { level: 'note', message: { text: 'No tag matching v* is reachable.' } },
    ])
  })

  it('fingerprints survive moved lines and tell equal findings apart', () => {
    const a = finding({ message: 'DROP COLUMN users.email: v1.4 still reads it (src/users/repo.ts:42 selects users.email).' })
    const moved = { ...a, line: 9, endLine: 9, message: a.message.replace(':42', ':57') }
    expect(fingerprintsOf([a])).toEqual(fingerprintsOf([moved]))
    expect(fingerprintsOf([a, a])).toEqual([expect.stringMatching(/:1$/), expect.stringMatching(/:2$/)])
    expect(fingerprintsOf([a])).not.toEqual(fingerprintsOf([{ ...a, ruleId: 'drop-table-still-read' }]))
    expect(normalizeMessage('changed since (line 12):  x')).toBe('changed since (line): x')
  })

  it('in a git repository the release verdict rides along as run properties', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
      .tag('v1.4')
      .commit('email', { 'migrations/002_email.sql': threeFindings['migrations/002_email.sql'] })
    const log = JSON.parse(runCli(['--format', 'sarif'], repo.dir).stdout) as Log
    expectValid(log)
    expect(log.runs[0].properties).toEqual({ verdict: 'not-revert-safe', revertSafe: false, base: 'v1.4', head: 'HEAD' })
    expect(log.runs[0].results!.find(r => r.ruleId === 'not-null-without-default')!.partialFingerprints).toEqual({
      'migrateLint/v1': expect.stringMatching(/^[0-9a-f]{32}:1$/),
    })
  })
})

describe('--format sarif when the run stops with an error (exit code 2)', () => {
  // The upload step reads stdout: an empty file there fails it with an error of its own.
  it.each([
    ['an unknown option', ['--format', 'sarif', '--bogus'], "unknown option '--bogus'"],
    ['a config file that is not there', ['--format=sarif', '--config', 'nope.json'], '--config nope.json: no such file.'],
    ['a git ref outside git', ['--format', 'sarif', '--since', 'v1'], '--since needs a git repository'],
    ['verify with a config file that is not there', ['verify', '--format', 'sarif', '--config', 'nope.json'], '--config nope.json: no such file.'],
  ])('%s: a valid SARIF log, executionSuccessful false, the error as a notification; one line on stderr', (_, args, text) => {
    const run = runCli(args, tempTree(threeFindings))
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(text)
    const log = JSON.parse(run.stdout) as Log
    expectValid(log)
    const [only] = log.runs
    expect(only.tool.driver.name).toBe('migrate-lint')
    expect(only.results).toEqual([])
    expect(only.invocations).toEqual([
      { executionSuccessful: false, exitCode: 2, toolExecutionNotifications: [{ level: 'error', message: { text: expect.stringContaining(text) } }] },
    ])
  })

  it('a git error in a repository (an unknown ref) is reported the same way', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    const run = runCli(['--format', 'sarif', '--since', 'v9.9'], repo.dir)
    expect(run.code).toBe(2)
    const log = JSON.parse(run.stdout) as Log
    expectValid(log)
    expect(log.runs[0].invocations![0].toolExecutionNotifications![0].message.text).toMatch(/^unknown git ref "v9\.9"/)
  })
})
