// Every test file starts with the SQL parser loaded. src/parse/pg-parser.ts requires libpg-query on
// first use (a CLI run answered from the cache loads none of it), so importing a parsing module no longer
// starts the load; the tests that parse without awaiting loadParser() themselves relied on that.
import { loadParser } from '../src/parse/sql.js'

await loadParser()
