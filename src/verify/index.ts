// `migrate-lint verify`: the public face of src/verify/ (the CLI imports it only for that command).
export { runVerify, type VerifyOutcome, type VerifyRequest } from './verify.js'
export { formatVerifyJson, formatVerifyText } from './report.js'
export { progressFor } from './progress.js'
export { databaseUrlFromEnv } from './database-url.js'
