// A progress line per migration on a terminal (statements done / total, elapsed); nothing in CI or
// when stderr is not a terminal. It goes to stderr: stdout holds the report (one JSON document).
export interface Progress {
  /** The shipped migrations, replayed as one step: `done` of `total` migrations. */
  shipped(done: number, total: number): void
  migration(file: string, done: number, total: number): void
  migrationDone(file: string, done: number, total: number, failed: boolean): void
  /** Another step starts (`round trip: down`): its migrations get lines of their own. */
  phase(title: string): void
  finish(): void
}

export const NO_PROGRESS: Progress = {
  shipped() {},
  migration() {},
  migrationDone() {},
  phase() {},
  finish() {},
}

export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
}

export function progressFor(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): Progress {
  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0'
  return stream.isTTY === true && !ci ? terminalProgress(stream) : NO_PROGRESS
}

// Redrawing more often than this only costs time: a migration of 1,000 statements is one line.
const REDRAW_MS = 80

function terminalProgress(stream: ProgressStream): Progress {
  let started = performance.now()
  let drawn = 0
  let open = false
  const seconds = () => {
    const ms = performance.now() - started
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
  }
  const draw = (line: string, final: boolean) => {
    const now = performance.now()
    if (!final && now - drawn < REDRAW_MS) return
    drawn = now
    stream.write(`\r\x1b[K${line}${final ? '\n' : ''}`)
    open = !final
  }
  return {
    shipped(done, total) {
      if (done === 0) started = performance.now()
      draw(`  shipped migrations  ${done}/${total}  ${seconds()}`, done === total)
    },
    migration(file, done, total) {
      if (done === 0) started = performance.now()
      draw(`  ${file}  ${done}/${total} statements  ${seconds()}`, false)
    },
    migrationDone(file, done, total, failed) {
      draw(`${failed ? '✖' : '✔'} ${file}  ${done}/${total} statements  ${seconds()}`, true)
    },
    phase(title) {
      if (open) stream.write('\n')
      open = false
      stream.write(`${title}\n`)
    },
    finish() {
      if (open) stream.write('\n')
      open = false
    },
  }
}
