// The one place a rule is registered: a sorted array (STYLE.md).
import type { Rule } from '../src/engine/rule.js'
import createIndexNonConcurrently from './create-index-non-concurrently.js'
import irreversibleMigration from './irreversible-migration.js'
import notNullWithoutDefault from './not-null-without-default.js'
import suppressionWithoutReason from './suppression-without-reason.js'
import unknownMigrationFile from './unknown-migration-file.js'
import unparsedStatement from './unparsed-statement.js'
import unusedSuppression from './unused-suppression.js'

export const allRules: readonly Rule[] = [
  createIndexNonConcurrently,
  irreversibleMigration,
  notNullWithoutDefault,
  suppressionWithoutReason,
  unknownMigrationFile,
  unparsedStatement,
  unusedSuppression,
]

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map(r => [r.id, r]))
