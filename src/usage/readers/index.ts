// The data-layer readers, in one list: the next ORM is one more file here. The Kysely builder and the
// SQL of `sql\`…\``, `.query('…')` and `.raw('…')` are read by the walk itself (src/usage/scan-file.ts),
// other SQL strings by sql-text.ts;
// the text fallback (text-fallback.ts) is not a reader of files but of what no reader understood.
import { drizzleReader } from './drizzle.js'
import { knexReader } from './knex.js'
import { kyselyReader } from './kysely.js'
import { prismaReader } from './prisma.js'
import type { DataLayerReader } from './reader.js'
import { sequelizeReader } from './sequelize.js'
import { sqlTextReader } from './sql-text.js'
import { typeormReader } from './typeorm.js'

/** In this order: a string the ORM readers take as theirs is not read again as SQL text. */
export const READERS: readonly DataLayerReader[] = [prismaReader, drizzleReader, typeormReader, sequelizeReader, kyselyReader, knexReader, sqlTextReader]
