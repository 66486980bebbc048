// The Kysely reader's part in the reader list (STYLE "The shape of one data-layer reader"). Query chains
// are read by the file walk (src/usage/scan-file.ts → kysely-chain.ts), which also serves the SQL they
// embed; this reader says which files hold Kysely code beyond the query roots — helpers typed with a
// builder (`SelectQueryBuilder<DB, 'users', O>`) in files that start no query, `db.dynamic` names — and
// reads `db.dynamic.ref(…)` where it stands outside a query.
import { readDynamicRefAlone } from '../dynamic-names.js'
import type { DataLayerReader } from './reader.js'

// A query root (`selectFrom`, …) gets a file parsed already (mentions-query.ts): these are the other signs.
const KYSELY_WORDS = [
  'QueryBuilder<',
  'ExpressionBuilder<',
  'WhereInterface<',
  'HavingInterface<',
  '.dynamic',
  '$call(',
  '$if(',
]

export const kyselyReader: DataLayerReader = {
  name: 'kysely',
  key: () => null,
  mentions: text => KYSELY_WORDS.some(word => text.includes(word)),
  read: (node, ctx) => node.type === 'CallExpression' && readDynamicRefAlone(node, ctx),
}
