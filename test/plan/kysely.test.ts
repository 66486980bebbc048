// Each intent planned, linted and applied in a kysely project: see scenarios.ts.
import { planScenarios } from './scenarios.js'

planScenarios('kysely')
