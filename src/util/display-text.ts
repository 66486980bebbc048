// What a migration's author controls (file names, identifiers, SQL quoted in messages) and what the user
// typed (a --database-url) reaches terminals, CI logs that parse workflow commands, Markdown summaries
// and stderr. Every report and error line passes its text through here: a control character cannot
// start a new line (a `::stop-commands::` of its own in GitHub Actions), move the cursor, or reorder
// what the reader sees (bidi overrides), and no password is printed.

/**
 * C0 controls but tab, DEL, C1 controls, the Unicode line and paragraph separators, and the bidi
 * embeddings, overrides, isolates and marks: written as `\n`, `\r`, `\u202e`, … so they stay visible.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

export function escapeControls(text: string): string {
  return text.replace(CONTROL, c => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Options that carry a secret, in a URL's query or a libpq `key=value` connection string. */
const SECRET_PARAM = /\b(password|sslpassword|sslkey)=(?:'(?:[^'\\]|\\.)*'|[^&\s'"]*)/gi
/** `scheme://user:password@`: the password goes, the user stays (it says which role was used). */
const USERINFO_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi

/** Passwords in URLs and connection strings anywhere in `text`, replaced by `redacted`. */
export function redactSecrets(text: string): string {
  return text.replace(USERINFO_PASSWORD, '$1@').replace(SECRET_PARAM, '$1=redacted')
}

/** The one function a report or an error line applies to any text it did not write itself. */
export function displayText(text: string): string {
  return escapeControls(redactSecrets(text))
}
