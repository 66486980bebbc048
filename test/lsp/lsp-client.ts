// A small Language Server Protocol client over a child's stdio: the JSON-RPC framing written out
// (Content-Length headers), so the tests and the benchmark speak to `migrate-lint lsp` as an editor
// does, with nothing of the server's own library on this side.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import path from 'node:path'

export interface Notification {
  method: string
  params: any
}

export interface PublishedDiagnostics {
  uri: string
  version?: number
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } }
    severity: number
    code: string
    codeDescription?: { href: string }
    source: string
    message: string
    data?: unknown
  }[]
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams
  private buffer = Buffer.alloc(0)
  private nextId = 1
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private readonly notifications: Notification[] = []
  private readonly waiters: { test(n: Notification): boolean; resolve(n: Notification): void }[] = []
  private stderrText = ''
  readonly exited: Promise<number | null>

  constructor(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, [...args], { cwd, env, stdio: 'pipe' })
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk))
    this.child.stderr.on('data', chunk => (this.stderrText += String(chunk)))
    this.exited = new Promise(resolve => this.child.on('exit', code => resolve(code)))
  }

  stderr(): string {
    return this.stderrText
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++
    this.send({ jsonrpc: '2.0', id, method, params })
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }))
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params })
  }

  /** The first notification (already received or still to come) that passes `test`; taken off the list. */
  nextNotification(test: (n: Notification) => boolean, timeoutMs = 60_000): Promise<Notification> {
    const index = this.notifications.findIndex(test)
    if (index >= 0) return Promise.resolve(this.notifications.splice(index, 1)[0])
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notification in ${timeoutMs} ms; stderr: ${this.stderrText}`)), timeoutMs)
      this.waiters.push({ test, resolve: n => (clearTimeout(timer), resolve(n)) })
    })
  }

  /** The diagnostics published for `uri` at document version `version` (or any, without it). */
  async diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishedDiagnostics> {
    const n = await this.nextNotification(
      n => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && (version === undefined || n.params.version === version),
      timeoutMs,
    )
    return n.params as PublishedDiagnostics
  }

  /** shutdown, then exit, as a client ends a session; the server's exit code. */
  async close(): Promise<number | null> {
    await this.request('shutdown', null)
    this.notify('exit', null)
    return this.exited
  }

  kill(): void {
    this.child.kill()
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8')
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]))
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n')
      if (headerEnd < 0) return
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1])
      if (!Number.isFinite(length)) throw new Error(`a message without Content-Length: ${this.buffer.subarray(0, headerEnd).toString()}`)
      if (this.buffer.length < headerEnd + 4 + length) return
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'))
      this.buffer = this.buffer.subarray(headerEnd + 4 + length)
      this.dispatch(message)
    }
  }

  private dispatch(message: any): void {
    if (message.id !== undefined && message.method === undefined) {
      const waiting = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.error) waiting?.reject(new Error(`${message.error.code}: ${message.error.message}`))
      else waiting?.resolve(message.result)
      return
    }
    // A request from the server (client/registerCapability, window/showMessageRequest): answered with null.
    if (message.id !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: null })
    const notification = { method: message.method, params: message.params }
    const waiter = this.waiters.findIndex(w => w.test(notification))
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0].resolve(notification)
    else this.notifications.push(notification)
  }
}

export const fileUri = (dir: string, file: string): string => pathToFileURL(path.join(dir, file)).href

/** initialize + initialized, with the repository as the workspace folder. */
export async function initialize(client: LspClient, dir: string, initializationOptions: Record<string, unknown> = {}): Promise<any> {
  const result = await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: path.basename(dir) }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true } } },
    initializationOptions,
  })
  client.notify('initialized', {})
  return result
}
