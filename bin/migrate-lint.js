#!/usr/bin/env node
import v8 from 'node:v8'

// The parser is WebAssembly: V8 compiles it fast (Liftoff), then again optimised on background
// threads, and Node waits for that second compile before it exits (≈ 50–70 ms of every run). A lint
// is over before the optimised code would pay off: measured the same at 10,000 migrations, 15 % faster
// on a pre-commit run.
v8.setFlagsFromString('--liftoff-only')

// The bundle (scripts/build.mjs), not dist/src/: a few files to load instead of a few hundred.
const { main } = await import('../dist/bundle/migrate-lint.js')

// A reader that goes away before the end (`migrate-lint | head`) closes the pipe: nothing more can be
// written, and that is no error of the lint's. It ends with its own exit code, as other tools do.
process.stdout.on('error', error => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
})

main(process.argv.slice(2)).then(code => { process.exitCode = code })
