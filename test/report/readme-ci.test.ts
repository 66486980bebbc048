// The README's CI snippets for the report formats are checked against what the CLI does: the
// pull-request comment workflow posts the file its lint step writes, and GitLab keeps the code-quality
// report the job writes. (test/init/where-it-runs.test.ts checks every command line's flags.)
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
/** The YAML block of the README that contains `text`. */
const yamlWith = (text: string) => {
  const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(m => m[1]).filter(code => code.includes(text))
  expect(blocks, text).toHaveLength(1)
  return parse(blocks[0])
}

describe('README CI snippets for the reports', () => {
  it('GitHub Actions comment: pull_request, pull-requests: write, the report the lint wrote posted even after a failed lint, the token to that step only', () => {
    const workflow = yamlWith('migrate-lint comment')
    expect(Object.keys(workflow.on)).toEqual(['pull_request'])
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    const steps = workflow.jobs['migrate-lint'].steps as Record<string, any>[]
    expect(steps[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false })
    const report = /^npx migrate-lint --format markdown > (\S+)$/.exec(steps.at(-2)!.run)![1]
    expect(steps.at(-1)).toEqual({ if: '${{ !cancelled() }}', run: `npx migrate-lint comment ${report}`, env: { GITHUB_TOKEN: '${{ github.token }}' } })
    expect(steps.slice(0, -1).some(s => JSON.stringify(s).includes('token'))).toBe(false)
  })

  it('GitLab: the code-quality report the job writes is its codequality artifact, kept when the job fails', () => {
    const job = yamlWith('codequality')['migrate-lint']
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }])
    expect(job.variables.GIT_DEPTH).toBe('0')
    const report = /^npx migrate-lint --format gitlab > (\S+)$/.exec(job.script.at(-1))![1]
    expect(job.artifacts).toEqual({ when: 'always', reports: { codequality: report } })
  })

  it('the JSON error document shown is the one a run prints', () => {
    const shown = /stderr:\n\n```json\n([\s\S]*?)```/.exec(readme)![1]
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'))
    expect(JSON.parse(shown)).toEqual({ version: 1, tool: { name: 'migrate-lint', version: pkg.version }, error: { message: '--config nope.json: no such file.', exitCode: 2 } })
  })
})
