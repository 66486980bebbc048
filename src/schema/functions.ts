// The functions migrations create, with their declared volatility: a column default that calls one
// declared IMMUTABLE or STABLE is stored in the catalogue by ADD COLUMN (Postgres 11+), whatever the
// function's body does, since Postgres trusts the declaration (pg_proc.provolatile).
import type { AlterFunctionStmt, CreateFunctionStmt, Node, ObjectWithArgs, TypeName } from '@pgsql/types'
import { nodeAs, strings, typeInfo, typeNameOf } from '../sql/ast.js'
import type { Origin, Schema, Volatility } from './schema.js'

/** Parameter modes that are part of the signature (OUT and TABLE columns are not). */
const INPUT_MODES = new Set(['FUNC_PARAM_DEFAULT', 'FUNC_PARAM_IN', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC'])

export function createFunction(schema: Schema, stmt: CreateFunctionStmt, origin: Origin): void {
  // A procedure cannot be called from an expression, so it is never a default.
  if (stmt.is_procedure) return
  const name = functionName(stmt.funcname)
  const params = (stmt.parameters ?? []).map(p => nodeAs(p, 'FunctionParameter')).filter(p => p && INPUT_MODES.has(p.mode ?? ''))
  const args = argsKey(params.map(p => p!.argType))
  // Postgres creates a function VOLATILE unless it says otherwise.
  const volatility = declaredVolatility(stmt.options) ?? 'volatile'
  schema.functions.set(`${name}(${args})`, { name, args, volatility, origin })
}

export function alterFunction(schema: Schema, stmt: AlterFunctionStmt): void {
  const volatility = declaredVolatility(stmt.actions)
  if (!volatility || !stmt.func) return
  for (const fn of matching(schema, stmt.func)) fn.volatility = volatility
}

/** DROP FUNCTION f(int) drops that overload; DROP FUNCTION f (no argument list) the only one there is. */
export function dropFunction(schema: Schema, object: Node): void {
  const target = nodeAs(object, 'ObjectWithArgs')
  if (!target) return
  for (const fn of matching(schema, target)) schema.functions.delete(`${fn.name}(${fn.args})`)
}

function matching(schema: Schema, target: ObjectWithArgs) {
  const name = functionName(target.objname)
  const args = target.args_unspecified ? null : argsKey((target.objargs ?? []).map(a => nodeAs(a, 'TypeName')))
  return [...schema.functions.values()].filter(fn => fn.name === name && (args === null || fn.args === args))
}

function functionName(names: Node[] | undefined): string {
  return (strings(names).pop() ?? '?').toLowerCase()
}

/** Type modifiers are no part of a signature: f(varchar(10)) is f(varchar). */
function argsKey(types: (TypeName | undefined)[]): string {
  return types
    .map(type => {
      const info = typeInfo(type)
      return `${typeNameOf(info)}${info.array ? '[]' : ''}`
    })
    .join(',')
}

function declaredVolatility(options: Node[] | undefined): Volatility | undefined {
  for (const option of options ?? []) {
    const def = nodeAs(option, 'DefElem')
    if (def?.defname !== 'volatility') continue
    const value = nodeAs(def.arg, 'String')?.sval
    if (value === 'immutable' || value === 'stable' || value === 'volatile') return value
  }
  return undefined
}
