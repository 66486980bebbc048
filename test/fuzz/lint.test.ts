// Property-based tests against bad input (issue 7, Reliability): the whole lint over in-memory repositories.
import { fuzzSuite } from './fuzz-suite.js'

fuzzSuite('lint')
