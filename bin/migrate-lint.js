#!/usr/bin/env node
// The bundle (scripts/build.mjs), not dist/src/: a few files to load instead of a few hundred.
import { main } from '../dist/bundle/migrate-lint.js'

main(process.argv.slice(2)).then(code => { process.exitCode = code })
