// TypeORM (issue 13): every entity the release's code declares is an implicit full-row read of its table
// (orm-mapping.ts says why), read from the whole tree by typeorm-entities.ts; a module that maps columns
// gets the records located in it. The queries (`repository.find`, `manager.save`) add nothing the mapping
// does not say, and their raw SQL (`dataSource.query('…')`) is read by the walk. QueryBuilder strings
// (`.where('user.email = :e')`) are left to the text fallback: TypeORM refuses properties an entity does
// not map in find options and values, so only such literals can name another column.
import { mappingReader } from './orm-mapping.js'
import { mentionsTypeorm } from './typeorm-entities.js'

export const typeormReader = mappingReader('typeorm', mentionsTypeorm)
