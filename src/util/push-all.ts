// `target.push(...items)` passes each item as an argument, on the stack: about 100,000 of them (one per
// migration, per file of a large tree) overflow it. This appends them one by one.
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item)
  return target
}
