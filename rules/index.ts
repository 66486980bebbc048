// The one place a rule is registered: a sorted array (STYLE.md).
import type { Rule } from '../src/engine/rule.js'
import addExclusionConstraint from './add-exclusion-constraint.js'
import addPrimaryKeyLock from './add-primary-key-lock.js'
import addStoredGeneratedColumn from './add-stored-generated-column.js'
import addUniqueConstraint from './add-unique-constraint.js'
import alterDomainConstraint from './alter-domain-constraint.js'
import backfillWithDdl from './backfill-with-ddl.js'
import banCharField from './ban-char-field.js'
import changeColumnType from './change-column-type.js'
import clusterWideStatement from './cluster-wide-statement.js'
import concurrentlyInTransaction from './concurrently-in-transaction.js'
import constraintWithoutNotValid from './constraint-without-not-valid.js'
import createIndexNonConcurrently from './create-index-non-concurrently.js'
import destructiveDown from './destructive-down.js'
import detachPartitionNonConcurrently from './detach-partition-non-concurrently.js'
import disableTriggerAll from './disable-trigger-all.js'
import dropColumnDataLoss from './drop-column-data-loss.js'
import dropColumnStillRead from './drop-column-still-read.js'
import dropDefaultStillUsed from './drop-default-still-used.js'
import dropIndexNonConcurrently from './drop-index-non-concurrently.js'
import dropNotNull from './drop-not-null.js'
import dropTableStillRead from './drop-table-still-read.js'
import duplicateColumnAssignment from './duplicate-column-assignment.js'
import editedReleasedMigration from './edited-released-migration.js'
import expandContractSameRelease from './expand-contract-same-release.js'
import foreignKeyWithoutIndex from './foreign-key-without-index.js'
import identifierTooLong from './identifier-too-long.js'
import irreversibleMigration from './irreversible-migration.js'
import migrationLoadFailed from './migration-load-failed.js'
import migrationPartiallyCaptured from './migration-partially-captured.js'
import missingLockTimeout from './missing-lock-timeout.js'
import missingStatementTimeout from './missing-statement-timeout.js'
import notNullWithoutDefault from './not-null-without-default.js'
import outOfOrderMigration from './out-of-order-migration.js'
import preferBigintOverInt from './prefer-bigint-over-int.js'
import preferBigintOverSmallint from './prefer-bigint-over-smallint.js'
import preferIdentity from './prefer-identity.js'
import preferJsonb from './prefer-jsonb.js'
import preferRobustStmts from './prefer-robust-stmts.js'
import preferTextField from './prefer-text-field.js'
import preferTimestamptz from './prefer-timestamptz.js'
import reindexNonConcurrently from './reindex-non-concurrently.js'
import renameColumn from './rename-column.js'
import renameEnumValue from './rename-enum-value.js'
import renameSchema from './rename-schema.js'
import renameTable from './rename-table.js'
import requireEnumValueOrdering from './require-enum-value-ordering.js'
import requireTableSchema from './require-table-schema.js'
import retypeScansTable from './retype-scans-table.js'
import setLoggedUnlogged from './set-logged-unlogged.js'
import setNotNull from './set-not-null.js'
import statementAfterAccessExclusive from './statement-after-access-exclusive.js'
import suppressionWithoutReason from './suppression-without-reason.js'
import systemCatalogWrite from './system-catalog-write.js'
import transactionControlInMigration from './transaction-control-in-migration.js'
import truncate from './truncate.js'
import unbalancedTransaction from './unbalanced-transaction.js'
import unknownMigrationFile from './unknown-migration-file.js'
import unparsedStatement from './unparsed-statement.js'
import unprovenChange from './unproven-change.js'
import unusedSuppression from './unused-suppression.js'
import vacuumFullOrCluster from './vacuum-full-or-cluster.js'
import verifyDangerousLock from './verify-dangerous-lock.js'
import verifyOldQueryFails from './verify-old-query-fails.js'
import verifyRoundTripMismatch from './verify-round-trip-mismatch.js'
import verifyStatementFailed from './verify-statement-failed.js'
import volatileDefault from './volatile-default.js'

export const allRules: readonly Rule[] = [
  addExclusionConstraint,
  addPrimaryKeyLock,
  addStoredGeneratedColumn,
  addUniqueConstraint,
  alterDomainConstraint,
  backfillWithDdl,
  banCharField,
  changeColumnType,
  clusterWideStatement,
  concurrentlyInTransaction,
  constraintWithoutNotValid,
  createIndexNonConcurrently,
  destructiveDown,
  detachPartitionNonConcurrently,
  disableTriggerAll,
  dropColumnDataLoss,
  dropColumnStillRead,
  dropDefaultStillUsed,
  dropIndexNonConcurrently,
  dropNotNull,
  dropTableStillRead,
  duplicateColumnAssignment,
  editedReleasedMigration,
  expandContractSameRelease,
  foreignKeyWithoutIndex,
  identifierTooLong,
  irreversibleMigration,
  migrationLoadFailed,
  migrationPartiallyCaptured,
  missingLockTimeout,
  missingStatementTimeout,
  notNullWithoutDefault,
  outOfOrderMigration,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferJsonb,
  preferRobustStmts,
  preferTextField,
  preferTimestamptz,
  reindexNonConcurrently,
  renameColumn,
  renameEnumValue,
  renameSchema,
  renameTable,
  requireEnumValueOrdering,
  requireTableSchema,
  retypeScansTable,
  setLoggedUnlogged,
  setNotNull,
  statementAfterAccessExclusive,
  suppressionWithoutReason,
  systemCatalogWrite,
  transactionControlInMigration,
  truncate,
  unbalancedTransaction,
  unknownMigrationFile,
  unparsedStatement,
  unprovenChange,
  unusedSuppression,
  vacuumFullOrCluster,
  verifyDangerousLock,
  verifyOldQueryFails,
  verifyRoundTripMismatch,
  verifyStatementFailed,
  volatileDefault,
]

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map(r => [r.id, r]))
