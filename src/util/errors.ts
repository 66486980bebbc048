// Errors a user can hit: one line that says what to do, and exit code 2 (DESIGN §8). Anything else
// that escapes is a bug in migrate-lint and is reported as such.
export class UsageError extends Error {
  readonly exitCode = 2
}
