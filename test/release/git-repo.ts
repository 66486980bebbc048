// Real throw-away git repositories for tests. Identity and config come through the environment of
// each git call, never from the machine's global config.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
}

export class TestRepo {
  readonly dir: string

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-repo-'))
    this.git('init', '-q', '-b', 'main')
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } })
  }

  write(files: Record<string, string>): this {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true })
      fs.writeFileSync(path.join(this.dir, file), content)
    }
    return this
  }

  remove(...files: string[]): this {
    for (const file of files) fs.rmSync(path.join(this.dir, file))
    return this
  }

  commit(message: string, files: Record<string, string> = {}): this {
    this.write(files)
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
    return this
  }

  tag(name: string): this {
    this.git('tag', name)
    return this
  }
}
