import { narrowIntegerRule } from './prefer-bigint-over-int.js'

export default narrowIntegerRule({
  id: 'prefer-bigint-over-smallint',
  wider: { int2: 'bigint', smallserial: 'bigserial', serial2: 'bigserial' },
  summary: 'A column declared smallint / smallserial (16 bits): bigint / bigserial does not run out (squawk\'s rule, off by default).',
  why:
    'A 16-bit integer stops at 32,767: a lookup table, a counter or a sequence gets there sooner than expected, and ' +
    'then every insert that needs a larger value fails. Widening the column rewrites the table under an ACCESS ' +
    'EXCLUSIVE lock, and every table that references it changes type too.',
  bad: 'CREATE TABLE plans (id smallserial PRIMARY KEY, seats smallint);',
  good: 'CREATE TABLE plans (id bigserial PRIMARY KEY, seats bigint);',
  message: '{{table}}.{{column}} is {{type}}, a 16-bit integer: at 32,767 inserts fail, and widening it later rewrites the table.',
})
