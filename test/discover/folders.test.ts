import { describe, expect, it } from 'vitest'
import { candidateMigrationFolders } from '../../src/discover/folders.js'

describe('candidate migration folders of a tree listing', () => {
  it('the usual folders first, in auto-detection order, then any folder named migrations or migration, shallowest first', () => {
    const files = [
      'packages/api/db/migration/V1__init.sql',
      'db/postgresql/migrations/001_users.sql',
      'prisma/migrations/20250101000000_init/migration.sql',
      'migrations/README.md',
      'node_modules/some-orm/migrations/001.sql',
      'src/app.ts',
    ]
    expect(candidateMigrationFolders(files)).toEqual(['migrations', 'prisma/migrations', 'db/postgresql/migrations', 'packages/api/db/migration'])
  })
})
