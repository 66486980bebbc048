// What `migrate-lint plan` is asked to do: one schema change a user (or an agent) intends to make,
// read from the command line into a value. The planner (plan-change.ts) never sees raw arguments.
import { UsageError } from '../util/errors.js'

export type Intent =
  | { kind: 'drop-column'; table: string; column: string }
  | { kind: 'rename-column'; table: string; column: string; to: string }
  | { kind: 'rename-table'; table: string; to: string }
  | { kind: 'change-type'; table: string; column: string; type: string; newColumn: string }
  | { kind: 'set-not-null'; table: string; column: string; fill: string | null }
  | { kind: 'add-foreign-key'; table: string; column: string; references: { table: string; column: string } }
  | { kind: 'add-unique'; table: string; column: string }

export type IntentKind = Intent['kind']

/** The intents and how each is written on the command line (also the CLI's help). */
export const INTENT_USAGE: Readonly<Record<IntentKind, string>> = {
  'drop-column': 'drop-column <table.column>',
  'rename-column': 'rename-column <table.column> <new_name>',
  'rename-table': 'rename-table <table> <new_name>',
  'change-type': 'change-type <table.column> <type> [--new-column <name>]',
  'set-not-null': 'set-not-null <table.column> [--fill <sql>]',
  'add-foreign-key': 'add-foreign-key <table.column> <table.column>',
  'add-unique': 'add-unique <table.column>',
}

export const INTENT_KINDS = Object.keys(INTENT_USAGE) as IntentKind[]

/** Other words people use for the same intents (strong_migrations' and squawk's names among them). */
const ALIASES: Readonly<Record<string, IntentKind>> = {
  'make-not-null': 'set-not-null',
  'change-column-type': 'change-type',
  'add-fk': 'add-foreign-key',
  'add-unique-constraint': 'add-unique',
}

export interface IntentOptions {
  newColumn?: string
  fill?: string
}

/** `plan <kind> <args…>` → an intent, or a UsageError that shows the expected form. */
export function parseIntent(word: string, args: readonly string[], options: IntentOptions = {}): Intent {
  const kind = (INTENT_USAGE as Record<string, string>)[word] ? (word as IntentKind) : ALIASES[word]
  if (!kind) throw new UsageError(`plan: unknown change "${word}"; one of: ${INTENT_KINDS.join(', ')}.`)
  const wanted = INTENT_USAGE[kind].split(' ').filter(w => /^<[^>]+>$/.test(w)).length
  if (args.length !== wanted) {
    throw new UsageError(`plan ${kind}: expected \`migrate-lint plan ${INTENT_USAGE[kind]}\`, got ${args.length ? args.join(' ') : 'no arguments'}.`)
  }
  if (options.newColumn !== undefined && kind !== 'change-type') throw new UsageError(`plan ${kind}: --new-column is for change-type only.`)
  if (options.fill !== undefined && kind !== 'set-not-null') throw new UsageError(`plan ${kind}: --fill is for set-not-null only.`)
  const usage = `migrate-lint plan ${INTENT_USAGE[kind]}`
  if (kind === 'rename-table') return { kind, table: name(args[0], usage), to: name(args[1], usage) }
  const { table, column } = tableColumn(args[0], usage)
  switch (kind) {
    case 'drop-column':
    case 'add-unique':
      return { kind, table, column }
    case 'rename-column':
      return { kind, table, column, to: name(args[1], usage) }
    case 'change-type':
      return { kind, table, column, type: args[1].trim(), newColumn: options.newColumn === undefined ? `${column}_new` : name(options.newColumn, usage) }
    case 'set-not-null':
      return { kind, table, column, fill: options.fill?.trim() || null }
    case 'add-foreign-key':
      return { kind, table, column, references: tableColumn(args[1], usage) }
  }
}

/** The intent as the command that asks for it: `rename-column users.name full_name`. */
export function describeIntent(intent: Intent): string {
  const target = 'column' in intent ? `${intent.table}.${intent.column}` : intent.table
  switch (intent.kind) {
    case 'drop-column':
    case 'add-unique':
      return `${intent.kind} ${target}`
    case 'rename-column':
    case 'rename-table':
      return `${intent.kind} ${target} ${intent.to}`
    case 'change-type':
      return `${intent.kind} ${target} ${intent.type}${intent.newColumn === `${intent.column}_new` ? '' : ` --new-column ${intent.newColumn}`}`
    case 'set-not-null':
      return `${intent.kind} ${target}${intent.fill === null ? '' : ` --fill "${intent.fill}"`}`
    case 'add-foreign-key':
      return `${intent.kind} ${target} ${intent.references.table}.${intent.references.column}`
  }
}

/** `users.email` or `billing.invoices.total`: the column is after the last dot. */
function tableColumn(arg: string, usage: string): { table: string; column: string } {
  const dot = arg.lastIndexOf('.')
  if (dot <= 0 || dot === arg.length - 1) throw new UsageError(`"${arg}" is not <table.column>: expected \`${usage}\`.`)
  return { table: name(arg.slice(0, dot), usage), column: name(arg.slice(dot + 1), usage) }
}

/**
 * Names as the schema model holds them (Postgres folds unquoted names to lower case). A name that
 * would need quotes in every query is refused rather than guessed at: the migrations would then
 * differ from what the code writes.
 */
function name(arg: string, usage: string): string {
  const parts = arg.split('.')
  if (parts.length > 2 || !parts.every(p => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p))) {
    throw new UsageError(`"${arg}" is not a plain name (letters, digits, _ ; schema.table at most): expected \`${usage}\`.`)
  }
  return arg.toLowerCase()
}
