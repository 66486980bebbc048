// Starts the migrate-lint of each workspace folder that has one installed
// (<folder>/node_modules/.bin/migrate-lint lsp) as the language server of that folder's SQL,
// TypeScript and JavaScript files. A folder without it gets nothing: the extension never runs a
// migrate-lint of another version than the project's, nor one from the network.
const fs = require('node:fs')
const path = require('node:path')
const vscode = require('vscode')
const { LanguageClient, TransportKind } = require('vscode-languageclient/node')

/** @type {Map<string, LanguageClient>} */
const clients = new Map()

function binOf(folder) {
  const name = process.platform === 'win32' ? 'migrate-lint.cmd' : 'migrate-lint'
  const bin = path.join(folder.uri.fsPath, 'node_modules', '.bin', name)
  return fs.existsSync(bin) ? bin : null
}

async function start(folder, output) {
  if (folder.uri.scheme !== 'file' || clients.has(folder.uri.toString())) return
  const bin = binOf(folder)
  if (!bin) return
  const serverOptions = {
    command: bin,
    args: ['lsp'],
    transport: TransportKind.stdio,
    // .cmd shims run through the shell on Windows.
    options: { cwd: folder.uri.fsPath, shell: process.platform === 'win32' },
  }
  const pattern = `${folder.uri.fsPath.split(path.sep).join('/')}/**/*`
  const clientOptions = {
    documentSelector: ['sql', 'typescript', 'javascript'].map(language => ({ scheme: 'file', language, pattern })),
    workspaceFolder: folder,
    outputChannel: output,
  }
  const client = new LanguageClient(`migrate-lint-${folder.index}`, `migrate-lint (${folder.name})`, serverOptions, clientOptions)
  clients.set(folder.uri.toString(), client)
  await client.start()
}

async function stop(folder) {
  const client = clients.get(folder.uri.toString())
  clients.delete(folder.uri.toString())
  if (client) await client.stop()
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  const output = vscode.window.createOutputChannel('migrate-lint')
  context.subscriptions.push(output)
  for (const folder of vscode.workspace.workspaceFolders ?? []) await start(folder, output)
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(async event => {
      for (const folder of event.removed) await stop(folder)
      for (const folder of event.added) await start(folder, output)
    }),
  )
  if (!clients.size) output.appendLine('migrate-lint: no workspace folder has node_modules/.bin/migrate-lint (npm install --save-dev migrate-lint); nothing started.')
}

function deactivate() {
  return Promise.all([...clients.values()].map(client => client.stop()))
}

module.exports = { activate, deactivate }
