import type { Executor } from '../db/write.ts'
import { letOthersIn } from './import-batches.ts'

/**
 * Characters per stored piece of an uploaded file. The embedded database runs each statement on
 * the event loop and has one connection for everyone: a 12 MB file written (or read) as one
 * value held both for most of a second on a quiet machine and for over ten seconds on a busy
 * one (bench/README.md, "Import under way"). A piece of 256 K characters is a few milliseconds.
 */
export const UPLOAD_CHUNK = 256 * 1024

/**
 * The text cut into pieces of at most `size` characters (one more when the next would start with
 * U+FEFF, which the embedded driver would take for a byte-order mark and drop), each ending just after a line break
 * where the piece has one (so a line — one row, or part of a multi-line cell — is seldom split,
 * and the erasure scrub, which works line by line, sees whole lines), never inside a surrogate
 * pair. Joined again they are the text, character for character.
 */
export function splitForStorage(text: string, size = UPLOAD_CHUNK): string[] {
  const pieces: string[] = []
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length)
    if (end < text.length) {
      const newline = text.lastIndexOf('\n', end - 1)
      if (newline >= start) end = newline + 1
      else if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--
      // A value read back loses a leading U+FEFF (the embedded driver decodes it as a byte-order mark).
      if (text[end] === '\uFEFF') end++
    }
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/**
 * Stores the file of `uploadId` piece by piece, each in a statement of its own with a turn for
 * everyone else between them; only then does the upload say how many pieces it has. Not one
 * transaction (that would hold the embedded database's connection throughout): a store cut short
 * leaves an upload with `chunks` null, which is never read and goes with the 24-hour retention.
 */
export async function storeUploadContent(db: Executor, uploadId: string, text: string): Promise<number> {
  const pieces = splitForStorage(text)
  for (const [seq, content] of pieces.entries()) {
    if (seq) await letOthersIn()
    await db.insertInto('import_upload_chunks').values({ upload_id: uploadId, seq, content }).execute()
  }
  await db.updateTable('import_uploads').set({ chunks: pieces.length }).where('id', '=', uploadId).execute()
  return pieces.length
}

/** The whole file of an upload, read piece by piece (a turn for others between them); undefined when it is not all there. */
export async function readUploadContent(db: Executor, upload: { id: string; chunks: number | null }): Promise<string | undefined> {
  if (!upload.chunks) return undefined
  const pieces: string[] = []
  for (let seq = 0; seq < upload.chunks; seq++) {
    if (seq) await letOthersIn()
    const row = await db.selectFrom('import_upload_chunks').select('content').where('upload_id', '=', upload.id).where('seq', '=', seq).executeTakeFirst()
    if (!row) return undefined
    pieces.push(row.content)
  }
  return pieces.join('')
}

/** Empties an upload once imported: its pieces go, the row stays (to answer a second submit). */
export async function dropUploadContent(db: Executor, uploadId: string): Promise<void> {
  await db.updateTable('import_uploads').set({ chunks: null }).where('id', '=', uploadId).execute()
  await db.deleteFrom('import_upload_chunks').where('upload_id', '=', uploadId).execute()
}
