// Adds one entry to a YAML file the user owns (lefthook.yml, .pre-commit-config.yaml). Appending a
// block keeps the user's file byte for byte and the diff to one hunk; when appending cannot express
// the change (the key exists already), the document is edited instead: comments stay, layout may be
// normalized. Either result is checked against the same change made on the parsed data.
import { isDeepStrictEqual } from 'node:util'
import { isSeq, parse, parseDocument, stringify } from 'yaml'

export interface YamlAddition {
  /** Where the value goes, e.g. ['pre-commit', 'commands', 'migrate-lint'] or ['repos']. */
  path: string[]
  /** `set`: the value at the path; `push`: one more item of the sequence at the path. */
  mode: 'set' | 'push'
  value: unknown
}

/** A shell line stays one line (the hook command is longer than the default 80 columns). */
const OPTIONS = { lineWidth: 0 }

export function addToYaml(text: string, addition: YamlAddition): string {
  const expected = applyToData(parse(text) ?? {}, addition)
  const appended = appendBlock(text, addition)
  if (appended !== null && parsesTo(appended, expected)) return appended
  const doc = parseDocument(text)
  if (addition.mode === 'set') doc.setIn(addition.path, doc.createNode(addition.value))
  else if (doc.hasIn(addition.path)) doc.addIn(addition.path, doc.createNode(addition.value))
  else doc.setIn(addition.path, doc.createNode([addition.value]))
  const edited = doc.toString(OPTIONS)
  if (!parsesTo(edited, expected)) throw new Error(`could not add ${addition.path.join('.')} to the YAML document`)
  return edited
}

/** A top-level block for a new key, or sequence items at the indentation the file already uses. */
function appendBlock(text: string, { path, mode, value }: YamlAddition): string | null {
  const base = text.length && !text.endsWith('\n') ? `${text}\n` : text
  if (mode === 'push' && path.length === 1) {
    const indent = new RegExp(`^${path[0]}:\\s*\\n(?:\\s*#.*\\n|\\s*\\n)*( *)- `, 'm').exec(base)?.[1]
    if (indent === undefined) return null
    return base + indentLines(stringify([value], OPTIONS), indent)
  }
  const nested = path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), mode === 'push' ? [value] : value)
  return `${base}${base.trim() ? '\n' : ''}${stringify(nested, OPTIONS)}`
}

function applyToData(data: unknown, { path, mode, value }: YamlAddition): unknown {
  const copy = structuredClone(data) as Record<string, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  const last = path[path.length - 1]
  if (mode === 'set') node[last] = value
  else node[last] = [...(Array.isArray(node[last]) ? node[last] : []), value]
  return copy
}

function parsesTo(text: string, expected: unknown): boolean {
  try {
    return isDeepStrictEqual(parse(text), expected)
  } catch {
    return false
  }
}

const indentLines = (block: string, indent: string) =>
  block
    .split('\n')
    .map(line => (line ? indent + line : line))
    .join('\n')

/** The sequence of hook jobs at a path, if the document has one (lefthook `jobs:`). */
export function hasSequence(text: string, path: string[]): boolean {
  return isSeq(parseDocument(text).getIn(path))
}
