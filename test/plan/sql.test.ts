// Each intent planned, linted and applied in a sql project: see scenarios.ts.
import { planScenarios } from './scenarios.js'

planScenarios('sql')
