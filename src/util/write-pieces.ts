// Writes a report piece by piece, each only once the stream has taken the one before. To a pipe (a
// CI step, `| jq`) stdout is asynchronous: written all at once, the pieces of a 15 MB report were all
// queued in memory again (a cold run of 10,000 migrations peaked at 280 MB instead of 197 MB).

/** `seen` is told of each piece as it is written. A stream that closed or failed takes no more. */
export async function writePieces(stream: NodeJS.WritableStream, pieces: Iterable<string>, seen: (piece: string) => void = () => {}): Promise<void> {
  for (const piece of pieces) {
    if ((stream as { destroyed?: boolean }).destroyed) return
    seen(piece)
    if (!stream.write(piece)) await drained(stream)
  }
}

/** Resolves on 'drain', or when the stream closes or fails (a reader gone: `| head`), never hangs on either. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}
