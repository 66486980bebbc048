// Each intent planned, linted and applied in a golang-migrate project: see scenarios.ts.
import { planScenarios } from './scenarios.js'

planScenarios('golang-migrate')
