// Shared by the tests: the built module and the shared corpus, both read in place.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { load } from '../pith.mjs'

export const WASM_URL = new URL('../../dist/pith-complete.wasm', import.meta.url)
export const CORPUS_DIR = new URL('../../../shared/corpus/documents/', import.meta.url)
export const TEXT_DIR = new URL('text/', CORPUS_DIR)

let bytes
/** The bytes of dist/pith-complete.wasm; a clear failure when it was not built. */
export function wasmBytes () {
  if (!bytes) {
    const path = fileURLToPath(WASM_URL)
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: build it first (cargo xtask dist)`)
    }
    bytes = readFileSync(path)
  }
  return bytes
}

let module
/** The compiled module, shared by the tests. */
export async function compiledModule () {
  module ??= await WebAssembly.compile(wasmBytes())
  return module
}

/** Each test gets its own instance of the shared module through load(source, options). */
export async function loadPith (options) {
  return load(await compiledModule(), options)
}

/** A document of the shared corpus by its path under documents/, as bytes (its own buffer). */
export function corpusFile (name) {
  const path = fileURLToPath(new URL(name, CORPUS_DIR))
  if (!existsSync(path)) throw new Error(`${path} is missing: the shared corpus is not next to the project`)
  return new Uint8Array(readFileSync(path))
}

/** A text document of the shared corpus, as bytes. */
export const corpusText = (name) => corpusFile('text/' + name)

/** The .txt documents of the shared text corpus, sorted by name. */
export function corpusTextNames () {
  return readdirSync(TEXT_DIR).filter((n) => n.endsWith('.txt')).sort()
}

export const utf8 = new TextEncoder()
export const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Collect every record of a stream. */
export async function collect (iterable) {
  const out = []
  for await (const r of iterable) out.push(r)
  return out
}

/** heap_live in a comparable state: scratch buffers released (arena_reset must succeed, so
 * no stream is open) and the last-error message set to a fixed one, since the module keeps
 * the message of the most recent failing call on its heap (pith.h: error_ptr). */
export function settledHeap (exports) {
  const r = exports.arena_reset()
  if (r !== 0) throw new Error(`arena_reset returned ${r}: a stream is still open`)
  exports.stream_close(0) // fails with a fixed BAD_HANDLE message
  return exports.heap_live()
}
