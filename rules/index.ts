// The one place a rule is registered: a sorted array (STYLE.md).
import type { Rule } from '../src/engine/rule.js'
import createIndexNonConcurrently from './create-index-non-concurrently.js'
import irreversibleMigration from './irreversible-migration.js'
import notNullWithoutDefault from './not-null-without-default.js'
import unparsedStatement from './unparsed-statement.js'

export const allRules: readonly Rule[] = [
  createIndexNonConcurrently,
  irreversibleMigration,
  notNullWithoutDefault,
  unparsedStatement,
]

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map(r => [r.id, r]))
