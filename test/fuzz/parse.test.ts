// Property-based tests against bad input (issue 7, Reliability): parsing grammar texts and mutated fixtures.
import { fuzzSuite } from './fuzz-suite.js'

fuzzSuite('parse')
