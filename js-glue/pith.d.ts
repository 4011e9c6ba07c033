// Hand-written types for pith.mjs, the loader of the pith WebAssembly module (ABI version 1).

/** The symbolic names of the module's status codes (abi/pith.h, PITH_E_*). */
export type PithErrorName =
  | 'INVALID_ARGUMENT' // -1: an argument or option is out of its documented range
  | 'BAD_POINTER' //      -2: a pointer is not a live block; also a freed or stale PithBuffer
  | 'OUT_OF_MEMORY' //    -3
  | 'UNSUPPORTED' //      -4: format unknown, or its feature not compiled into this build
  | 'CORRUPT' //          -5
  | 'PASSWORD_REQUIRED' //-6: encrypted; no or wrong `password`
  | 'LIMIT' //            -7: a configured resource limit was crossed
  | 'BAD_HANDLE' //       -8: also a stream whose instance was replaced after a trap
  | 'INTERNAL' //         -9: a bug in pith, including a trap (the instance is then replaced)
  | 'MIME_MISMATCH' //   -10: the declared `mime` contradicts the content
  | 'IN_USE' //          -11: the PithBuffer is borrowed by an open stream
  | 'UNKNOWN' //              a code this loader does not know

/** Every failure of the module, and of the glue around it, is a PithError. */
export class PithError extends Error {
  constructor(code: number, message?: string, cause?: unknown)
  readonly name: 'PithError'
  /** The negative PITH_E_* status code, e.g. -5. */
  readonly code: number
  /** The code's name without the prefix, e.g. 'CORRUPT'. */
  readonly codeName: PithErrorName
  /** For INTERNAL: the original error (a WebAssembly.RuntimeError after a trap). */
  readonly cause?: unknown
}

/** What `load` accepts. URLs and URL strings are fetched with `fetch` (explicitly: the loader
 * never fetches on its own). Node's fetch cannot read `file:` URLs: under Node pass the bytes
 * or a compiled Module. Workers forbid compiling from bytes: import the .wasm as a Module. */
export type PithSource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | PromiseLike<Response | WebAssembly.Module | ArrayBuffer | ArrayBufferView>
  | URL
  | string

/** Resource limits: 0 or absent means the module's default. Each must be an integer in [0, 2^32). */
export interface PithLimits {
  /** Bytes of input accepted (default 256 MiB). */
  maxInput?: number
  /** Bytes of content text produced (default 128 MiB). */
  maxOutput?: number
  /** Pages, sheets or slides (default 100000). */
  maxPages?: number
  /** Bytes decompressed in total (default 512 MiB). */
  maxDecompressed?: number
  /** Nesting depth of any structure (default 256). */
  maxDepth?: number
  /** Objects, entries or elements (default 4000000). */
  maxObjects?: number
}

export interface PithOptions {
  /** The declared MIME type; absent: sniffed from the content. */
  mime?: string
  /** 'markdown' (default) or 'text' (plain text, PITH_FLAG_PLAIN). Anything else is INVALID_ARGUMENT. */
  format?: 'markdown' | 'text'
  /** Report embedded images as 'image' records and in `images` (PDF, Office): PITH_FLAG_IMAGES. */
  images?: boolean
  /** Include speaker notes (PPTX, ODP): PITH_FLAG_NOTES. */
  notes?: boolean
  /** Include comments (DOCX, ODT): PITH_FLAG_COMMENTS. */
  comments?: boolean
  /** The document password (UTF-8). */
  password?: string
  /** stream() only: the largest text record in UTF-8 bytes (0 or absent: 65536; 1 to 3 are
   * INVALID_ARGUMENT). A character is never split. */
  chunkSize?: number
  limits?: PithLimits
}

export interface PithTable {
  cells: string[][]
  markdown: string
  page_number?: number
  [field: string]: unknown
}

export interface PithWarning {
  source: string
  message: string
  [field: string]: unknown
}

/** The whole result of `extract`: JSON.parse of the module's result_json (schema: ABI.md). */
export interface PithResult {
  content: string
  mime_type: string
  /** Document metadata, e.g. `format_type`, `line_count`, `word_count` for text/plain. */
  metadata: Record<string, unknown>
  tables: PithTable[]
  /** Per-page text for paged formats; null for the others. */
  pages: Array<{ page_number: number; content: string; [field: string]: unknown }> | null
  images: Array<Record<string, unknown>>
  warnings: PithWarning[]
  [field: string]: unknown
}

/** Records of `stream`, in order; the first is always the 'document' record.
 * JSON payloads are spread into the record (`type` wins over a payload field of that name),
 * except metadata, which becomes `{ type: 'metadata', key, value }` (one field per record). */
export type PithRecord =
  | { type: 'document'; mime_type: string; [field: string]: unknown }
  | { type: 'text'; text: string }
  | { type: 'page'; page_number: number; [field: string]: unknown }
  | { type: 'metadata'; key: string; value: unknown }
  | ({ type: 'table' } & PithTable)
  | { type: 'image'; [field: string]: unknown }
  | ({ type: 'warning' } & PithWarning)

/** A block of module memory the caller fills and hands to extract/stream without any copy.
 * It stays valid until `free()` or until the instance is replaced after a trap; after that,
 * `view()`, extract and stream refuse it with PithError BAD_POINTER. Recycling (`recycleAbove`)
 * never replaces an instance while a PithBuffer of it is live. */
export interface PithBuffer {
  /** Offset of the block in module memory. */
  readonly ptr: number
  /** Its length in bytes (the document length passed to the module). */
  readonly length: number
  /** A writable view of the block. Take a fresh one after any call into pith: memory growth
   * detaches older views (their byteLength becomes 0). */
  view(): Uint8Array
  /** Return the block to the module. Throws PithError IN_USE while an open stream borrows it
   * (the buffer stays valid then); a second free, or a free after the instance was replaced,
   * does nothing. */
  free(): void
}

/** The raw exports of abi/pith.h, for tests and tools. Unstable: prefer the methods. */
export interface PithExports {
  readonly memory: WebAssembly.Memory
  alloc(len: number): number
  free(ptr: number, len: number): number
  abi_version(): number
  features(): number
  mime_types(): number
  mime_types_len(): number
  extract_ptr(doc: number, docLen: number, mime: number, mimeLen: number, cfg: number, cfgLen: number): number
  stream_next(handle: number, maxChunk: number): number
  record_ptr(handle: number): number
  record_len(handle: number): number
  result_json(handle: number): number
  stream_close(handle: number): number
  error_ptr(): number
  error_len(): number
  heap_live(): number
  arena_reset(): number
}

/** Input documents: bytes (copied into module memory with one `set`; never detached or
 * changed), a string (encoded as UTF-8 straight into module memory) or a live PithBuffer
 * (read in place). */
export type PithInput = Uint8Array | ArrayBuffer | ArrayBufferView | string | PithBuffer

export interface Pith {
  /** PITH_ABI_VERSION of the module. */
  readonly abiVersion: number
  /** Escape hatch: the raw exports of the current instance (a new object after a trap or a
   * recycle, so do not keep it). Used by tests for heap_live(), arena_reset() and
   * `memory.buffer.byteLength` (the instance's footprint); calls made through it get none of
   * the glue's checks, cleanup or trap recovery. */
  readonly exports: PithExports
  /** PITH_FEATURE_* bits (bit 0: text/plain). */
  features(): number
  /** The MIME types this build reads. */
  mimeTypes(): string[]
  /** Extract a whole document. Throws PithError. */
  extract(input: PithInput, options?: PithOptions): PithResult
  /** Extract a document record by record. Nothing happens until the first `next()`, which
   * opens the stream (and throws open errors such as UNSUPPORTED). Finishing, `break`, `return`
   * or an error closes the stream and frees the document; an iterator abandoned half-way
   * holds its document until it is returned. */
  stream(input: PithInput, options?: PithOptions): AsyncGenerator<PithRecord, void, undefined>
  /** Allocate `length` bytes of module memory for a zero-copy document. */
  buffer(length: number): PithBuffer
}

export interface PithLoadOptions {
  /** Return to a small footprint after huge documents: WebAssembly memory never shrinks, so
   * when the instance's memory is above this many bytes and nothing borrows the instance (no
   * stream open, no PithBuffer live), it is dropped and the kept Module instantiated again,
   * with the module's initial memory. Checked after each `extract`, when a stream closes and
   * when a PithBuffer is freed; a live PithBuffer (never orphaned by recycling) or an open
   * stream defers it until released. A fresh instance costs well under a millisecond.
   * Absent: never (memory stays at its high-water mark). 0: a fresh instance after every call. */
  recycleAbove?: number
}

/** Compile (or take) the module and instantiate it. The compiled Module is kept: after a trap
 * the instance is replaced and the call that trapped throws PithError INTERNAL.
 * `source` may be left out only through the package's "browser" entry (it then fetches the
 * pith.wasm shipped with the package) and its "workerd" entry (it then instantiates the
 * pith.wasm the Worker imports); the default entry (Node, Deno, Bun) needs one. */
export function load(source?: PithSource, options?: PithLoadOptions): Promise<Pith>
