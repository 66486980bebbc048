// What every data-layer reader is (STYLE "The shape of one data-layer reader"): a pure function from a
// parsed file, and for an ORM the schema of the same release, to usage and unresolved records.
import type { FileContext } from '../file-context.js'
import type { Node } from '../js-node.js'
import type { DrizzleSchema } from './drizzle-schema.js'
import type { OrmMapping } from './orm-mapping.js'
import type { PrismaSchema } from './prisma-schema.js'

/**
 * What the readers know besides the file: the release's ORM schemas (Prisma's, Drizzle's tables, what
 * TypeORM entities and Sequelize models map), each with a key of its content.
 */
export interface ReaderEnv {
  prisma: { schema: PrismaSchema; key: string } | null
  drizzle: { schema: DrizzleSchema; key: string } | null
  typeorm: { schema: OrmMapping; key: string } | null
  sequelize: { schema: OrmMapping; key: string } | null
}

export const NO_ENV: ReaderEnv = { prisma: null, drizzle: null, typeorm: null, sequelize: null }

export interface DataLayerReader {
  name: string
  /** A cheap test of the text: may it hold a query this reader reads? Files nobody wants are not parsed. */
  mentions(text: string, env: ReaderEnv): boolean
  /** What of `env` its records depend on (part of a file's cache key when the file mentions this layer), or null. */
  key(env: ReaderEnv): string | null
  /**
   * Called for each node of the file, in source order (a call before its callee and arguments); true when
   * the node was a query of this layer and is read (the other readers skip it).
   */
  read(node: Node, ctx: FileContext, env: ReaderEnv): boolean
}
