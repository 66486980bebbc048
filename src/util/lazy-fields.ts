// Values with fields computed on first use (a migration's statements, a file's text), built so that
// 10,000 of them stay small. An object literal with getters gives each value its own closures and
// leaves it in V8's dictionary mode (≈ 1 KB each: 20 MB of a 10,000-migration run); here every value
// gets the same getter functions, which find their state under a symbol, so all share one hidden class.
// The getters stay own, enumerable properties, as a literal's are: a spread still reads them (a class's
// getters would live on its prototype, and a spread would silently leave them out).

/** Own accessors and methods shared by every value: `this` is the value, its state at `stateOf(this, key)`. */
export function lazyFields<T extends object, S>(value: T, key: symbol, state: S, fields: PropertyDescriptorMap): T {
  // Enumerable: a spread copy keeps the state its copied methods (forgetStatements) work on.
  Object.defineProperty(value, key, { value: state, enumerable: true })
  return Object.defineProperties(value, fields)
}

/** The state lazyFields gave `value` under `key`. */
export function stateOf<S>(value: object, key: symbol): S {
  return (value as Record<symbol, S>)[key]
}

/** A getter as an object literal's is: enumerable and configurable (a copy may replace it). */
export function getter<T>(get: (this: T) => unknown): PropertyDescriptor {
  return { get, enumerable: true, configurable: true }
}

/** A method as an object literal's is: writable, enumerable and configurable. */
export function method<T>(value: (this: T, ...args: never[]) => unknown): PropertyDescriptor {
  return { value, writable: true, enumerable: true, configurable: true }
}
