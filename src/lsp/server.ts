// `migrate-lint lsp`: a language server on stdin/stdout. Open migrations are checked in release context
// (the newest tag's code, as the lint's default) with the editor's unsaved text in place of the file;
// open code files get the lines that use a column a migration of the release takes away. One
// long-lived ReleaseWorld keeps the base release and the code scans, so a check costs the release's
// own migrations, not a process start.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node'
import { TextDocument } from 'vscode-languageserver-textdocument'
import { openCache } from '../cache/open-cache.js'
import { ownPackageJson } from '../util/own-package.js'
import { UsageError } from '../util/errors.js'
import { suppressionActions } from './code-actions.js'
import { codeDiagnostics, findingDiagnostics, takenColumns, type TakenColumn } from './diagnostics.js'
import { ReleaseWorld } from './world.js'

export interface LspOptions {
  /** The repository root to use when the client names no workspace folder. */
  root: string
  cwd: string
  configFile?: string
  /** Finds the repository root of a workspace folder (cli.ts's findRoot). */
  findRoot(start: string): string
}

/** Typing fires didChange per key: one check for a burst (clients may set `debounceMs` in initializationOptions). */
const DEFAULT_DEBOUNCE_MS = 150

export function serveStdio(options: LspOptions): Promise<void> {
  // stdout is the protocol's: anything printed there by a library would corrupt a message.
  console.log = console.info = (...args: unknown[]) => console.error(...args)
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout))
  const done = new Promise<void>(resolve => {
    connection.onExit(() => resolve())
    process.stdin.once('end', () => resolve())
  })
  serve(connection, options)
  connection.listen()
  return done
}

function serve(connection: Connection, options: LspOptions): void {
  const documents = new TextDocuments(TextDocument)
  let world: ReleaseWorld | null = null
  let debounceMs = DEFAULT_DEBOUNCE_MS
  let watchFiles = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  let again = false
  let lastError: string | null = null
  let migrationFiles: ReadonlySet<string> = new Set()

  connection.onInitialize((params: InitializeParams) => {
    // rootUri: the folder this server was started for (VS Code's client for one folder, lspconfig's root_dir).
    const folder = params.rootUri ?? params.workspaceFolders?.[0]?.uri
    const start = folder ? fileURLToPath(folder) : options.cwd
    const root = realpath(folder ? options.findRoot(start) : options.root)
    world = new ReleaseWorld({ root, cwd: realpath(start), configFile: options.configFile, cache: openCache(process.env) })
    const init = params.initializationOptions as { debounceMs?: unknown } | undefined
    if (typeof init?.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'migrate-lint', version: String(ownPackageJson().version) },
    }
  })
  connection.onInitialized(() => {
    // Migrations and code changed outside the editor (a pull, a generator) are read again.
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
  })

  const relative = (uri: string): string | null => {
    if (!world || !uri.startsWith('file:')) return null
    const file = path.relative(world.root, realpath(fileURLToPath(uri)))
    return file.startsWith('..') || path.isAbsolute(file) ? null : file.split(path.sep).join('/')
  }

  const check = async (): Promise<void> => {
    if (!world) return
    const open = documents.all().map(document => ({ document, file: relative(document.uri), version: document.version }))
    let outcome
    try {
      outcome = await world.check()
      lastError = null
    } catch (error) {
      // A config or a repository the lint cannot read: said once, not on each key.
      const message = error instanceof UsageError ? error.message : `internal error (please report it): ${String((error as Error).stack ?? error)}`
      // A notification, not showErrorMessage's request: there is nothing to answer.
      if (message !== lastError) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `migrate-lint: ${message}` })
      lastError = message
      return
    }
    migrationFiles = new Set([...(outcome.replay?.shipped ?? []), ...(outcome.replay?.added ?? outcome.migrations)].flatMap(m => m.sources.map(s => s.path)))
    // Parsing the release's migrations again is for open code files only.
    let taken: TakenColumn[] | undefined
    const takenNow = () => (taken ??= takenColumns(outcome.replay?.added ?? outcome.migrations))
    for (const { document, file, version } of open) {
      if (file === null) continue
      const diagnostics = migrationFiles.has(file)
        ? findingDiagnostics(outcome.findings, file, document)
        : codeDiagnostics(world.code(), takenNow(), file, document)
      void connection.sendDiagnostics({ uri: document.uri, version, diagnostics })
    }
  }

  /** One check at a time; edits that arrive during one are checked by the next. */
  const schedule = (delay: number): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (running) {
        again = true
        return
      }
      running = check().finally(() => {
        running = null
        if (again) {
          again = false
          schedule(0)
        }
      })
    }, delay)
  }

  documents.onDidOpen(event => {
    const file = relative(event.document.uri)
    if (file !== null) world?.setBuffer(file, event.document.getText())
    schedule(0)
  })
  documents.onDidChangeContent(event => {
    const file = relative(event.document.uri)
    if (file !== null) world?.setBuffer(file, event.document.getText())
    schedule(debounceMs)
  })
  documents.onDidSave(event => {
    // Saved code moves the lines the code scan knows; a saved migration is what the buffer already said.
    const file = relative(event.document.uri)
    world?.filesChanged({ codeToo: file === null || !migrationFiles.has(file) })
    if (file !== null) schedule(0)
  })
  documents.onDidClose(event => {
    const file = relative(event.document.uri)
    if (file !== null) world?.dropBuffer(file)
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] })
    schedule(0)
  })
  connection.onDidChangeWatchedFiles(({ changes }) => {
    // Migrations alone: the code scans stay (a scan of thousands of files is the costly part).
    world?.filesChanged({ codeToo: changes.some(change => !migrationFiles.has(relative(change.uri) ?? '')) })
    schedule(debounceMs)
  })
  connection.onCodeAction(params => {
    const document = documents.get(params.textDocument.uri)
    return document ? suppressionActions(document, params.context.diagnostics) : []
  })
  documents.listen(connection)
}

function realpath(file: string): string {
  try {
    return fs.realpathSync(file)
  } catch {
    return path.resolve(file)
  }
}
