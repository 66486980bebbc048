// What the app code reads and writes: the public face of src/usage/.
export { scanUsage, type CodeFile } from './scan.js'
export { usagesOf, insertsInto, omits, isWrite, describeUsage } from './usage-query.js'
export {
  EVERY_COLUMN,
  TABLE_ONLY,
  type CodeLocation,
  type InsertStatement,
  type Unresolved,
  type Usage,
  type UsageKind,
  type UsageScan,
} from './usage.js'
