// Hand-written types for worker.mjs (`@pith/wasm/worker`): pith in a Worker, cancellable.
import type { PithLoadOptions, PithOptions, PithResult, PithSource } from './pith.js'

export { PithError } from './pith.js'
export type { PithErrorName, PithLoadOptions, PithOptions, PithResult, PithSource } from './pith.js'

/** Documents a Worker accepts (a PithBuffer belongs to one loader's instance: not here).
 * Bytes whose view spans a whole ArrayBuffer are *transferred* to the Worker when their turn
 * comes (the caller's buffer is detached then: pass a copy to keep it); a view of part of a
 * buffer is copied; shared memory is shared; memory that cannot be detached (WebAssembly
 * memory) is copied. */
export type PithWorkerInput = Uint8Array | ArrayBuffer | ArrayBufferView | string

export interface PithWorkerOptions extends Omit<PithOptions, 'chunkSize'> {
  /** Cancels this document. If it is running, its Worker is terminated (a new one starts for
   * the next document); if it is waiting, it just leaves the queue. The promise rejects with
   * `signal.reason`: by default a DOMException named 'AbortError'. An already aborted signal
   * rejects at once. */
  signal?: AbortSignal
  /** Milliseconds the document may run in the Worker, counted from when it is handed to the
   * Worker (waiting behind other documents does not count). Past it, the Worker is terminated
   * and the promise rejects with a DOMException named 'TimeoutError'. Absent, or 2^31 or
   * more: no timeout. To bound the wait as well, pass `signal: AbortSignal.timeout(ms)`. */
  timeout?: number
}

export interface PithWorker {
  /** Extract a whole document in the Worker. Documents run one at a time, in call order.
   * Rejects with PithError (the same codes as `Pith.extract`; INTERNAL with "the worker
   * failed" when the Worker died under this document, or while starting: then every waiting
   * one, and a new Worker starts for the next call; BAD_HANDLE after `close()`), with
   * the signal's reason or a 'TimeoutError' DOMException when cancelled, or with the
   * platform's DataCloneError when the options cannot be posted (functions). */
  extract(input: PithWorkerInput, options?: PithWorkerOptions): Promise<PithResult>
  /** Terminate the Worker; running and waiting documents reject with PithError BAD_HANDLE,
   * and so does every later call. Under Node an idle handle does not keep the process alive;
   * elsewhere close it when done. */
  close(): Promise<void>
  /** Escape hatch: the current Worker (a web Worker, or a node:worker_threads Worker under
   * Node); a new one after a cancellation or a crash, null after `close()`. For tests and
   * tools: post nothing to it. */
  readonly worker: object | null
}

/** Compile the module here (`source` as for `load`, required), then run pith in a Worker on
 * it: a web Worker where the runtime has one (browsers, Deno, Bun), a node:worker_threads
 * Worker under Node. `options` are `load`'s, applied in the Worker (e.g. `recycleAbove`).
 * Resolves once the Module is compiled; the Worker starts right away. */
export function loadWorker(source: PithSource, options?: PithLoadOptions): Promise<PithWorker>
