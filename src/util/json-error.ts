// A JSON file that does not parse, said as `file:line:column: message` (as compilers and linters do):
// JSON.parse gives a UTF-16 offset ("at position 45"), which no editor goes to.
import { LineIndex } from './line-index.js'

export function jsonSyntaxError(file: string, text: string, error: Error): string {
  const at = /at position (\d+)/.exec(error.message)
  // "Unexpected end of JSON input" has no position: it is the end.
  const { line, column } = new LineIndex(text).position(at ? Number(at[1]) : text.length)
  const what = error.message.replace(/ (?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/\.$/, '')
  return `${file}:${line}:${column}: not valid JSON: ${what}.`
}
