// A large report is written in pieces of about PIECE characters: a reporter gives its text part by
// part (a header, each finding, the summary) and this joins the parts into pieces, so that 22,000
// findings never exist as one 15 MB string and its Buffer at once (src/util/write-pieces.ts writes them).

const PIECE = 1 << 16

/** The parts, joined into pieces of at least PIECE characters (the last may be shorter). */
export function* inPieces(parts: Iterable<string>): Generator<string> {
  let piece = ''
  for (const part of parts) {
    piece += part
    if (piece.length < PIECE) continue
    yield piece
    piece = ''
  }
  if (piece) yield piece
}
