// Sequelize (issue 13): every model the release's code defines (`sequelize.define`, `Model.init`) is an
// implicit full-row read of its table (orm-mapping.ts says why), read from the whole tree by
// sequelize-models.ts; a module that maps columns (a definition, an association) gets the records
// located in it. Model calls (`User.findAll`) add nothing to the mapping, and their raw SQL
// (`sequelize.query('…')`) is read by the walk. Unlike TypeORM, Sequelize passes a `where` key no
// attribute maps through as a column name, so the text fallback still reads what the calls name.
import { mappingReader } from './orm-mapping.js'
import { mentionsSequelize } from './sequelize-models.js'

export const sequelizeReader = mappingReader('sequelize', mentionsSequelize)
