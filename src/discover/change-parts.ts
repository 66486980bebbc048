// Files one change was split into. ory/kratos numbers the parts of one change <timestamp><part>_<name>
// (20191100000002000000_requests … 20191100000002000004_requests): a column one part adds, the next
// fills and a third sets NOT NULL; each part's down undoes another part's up. Rules that ask "did this
// exist before the change?" count the other parts as the same change.

/** A version of at least 14 digits (a timestamp to the second, and more), a name, and the file's ending. */
const VERSIONED = /^(\d{14})\d*[_-]?(.*?)(\.(up|down))?(\.sql)?$/

/** The same name under versions of the same second: migration ids (paths) `a` and `b` are parts of one change. */
export function partsOfOneChange(a: string, b: string): boolean {
  const x = VERSIONED.exec(a.slice(a.lastIndexOf('/') + 1))
  const y = VERSIONED.exec(b.slice(b.lastIndexOf('/') + 1))
  return Boolean(x && y && x[1] === y[1] && x[2] === y[2])
}
