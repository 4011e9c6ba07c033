// worker.mjs: pith in a Worker, so that an extraction can be cancelled. WebAssembly cannot be
// interrupted from the thread that runs it; terminating the Worker that runs it can. A web
// Worker where the runtime has one (browsers, Deno, Bun), node:worker_threads under Node; the
// Worker runs worker-thread.mjs, which loads pith.mjs. Not in the 2 KB loader budget.
//
// Invariants:
// - one document in the Worker at a time; the others wait here, in order, so cancelling a
//   waiting one costs nothing and cancelling the running one terminates only that Worker;
// - after a cancellation (or a crash) a new Worker starts on the kept Module: the handle stays
//   usable and the next document extracts normally;
// - events of a replaced Worker are ignored (each listener checks that its Worker is current).

import { PithError } from './pith.mjs'
export { PithError }

const W = WebAssembly
// A variable, so that bundlers for the web do not try to resolve it (only Node lacks Worker).
const NODE = 'node:worker_threads'

/** The document as [message value, transfer list]: whole ArrayBuffers move, parts are copied. */
const bytes = (i) => {
  if (typeof i === 'string') return [i, []]
  const v = i instanceof ArrayBuffer ? new Uint8Array(i) : new Uint8Array(i.buffer, i.byteOffset, i.byteLength)
  // Shared memory is posted as is (shared, not copied); it cannot be transferred.
  if (!(v.buffer instanceof ArrayBuffer)) return [v, []]
  const own = v.byteLength === v.buffer.byteLength ? v : v.slice()
  return [own, [own.buffer]]
}

export async function loadWorker (source, options = {}) {
  let s = await source
  if (typeof s === 'string' || s instanceof URL) s = await fetch(s)
  if (s.clone) {
    if (!s.ok) throw Error('HTTP ' + s.status)
    s = await s.arrayBuffer()
  }
  // Compiled once here; every Worker gets the Module (structured clone shares the code).
  const module = s instanceof W.Module ? s : await W.compile(s)
  const NodeWorker = globalThis.Worker ? null : (await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE)).Worker
  const queue = []
  let worker, ready, job, closed

  const settle = (j, error, value) => {
    clearTimeout(j.timer)
    j.signal?.removeEventListener('abort', j.abort)
    if (error) j.reject(error)
    else j.resolve(value)
  }
  const start = () => {
    const w = worker = NodeWorker
      ? new NodeWorker(new URL('./worker-thread.mjs', import.meta.url))
      : new Worker(new URL('./worker-thread.mjs', import.meta.url), { type: 'module' })
    ready = false
    const on = (type, f) => NodeWorker ? w.on(type, f) : w.addEventListener(type, f)
    on('message', (m) => w === worker && answer(NodeWorker ? m : m.data))
    on('error', (e) => {
      // Node: the Error; the web: an ErrorEvent (handled here, not reported as uncaught), whose
      // `error` is absent when the script itself failed to load.
      e.preventDefault?.()
      if (w === worker) fail(e.error || (e instanceof Error ? e : Error(e.message || 'the worker script failed')))
    })
    on('messageerror', (e) => w === worker && fail(e))
    if (NodeWorker) w.on('exit', (code) => w === worker && fail(Error('exit code ' + code)))
    w.postMessage({ module, options })
  }
  // The Worker died or could not load pith: the document it ran fails with INTERNAL (or, when it
  // died loading, every waiting one: no endless restarts); the others go to a new Worker.
  const fail = (e) => {
    const err = new PithError(-9, 'INTERNAL: the worker failed: ' + (e.message || e), e)
    worker.terminate()
    worker = null
    if (job) settle(job, err)
    else if (!ready) queue.splice(0).forEach((j) => settle(j, err))
    job = null
    pump()
  }
  const answer = ([code, value]) => {
    const j = job
    job = null
    if (!ready) {
      if (code) return fail(new PithError(code, value))
      ready = true
    } else if (j) {
      settle(j, code && new PithError(code, value), value)
    }
    pump()
  }
  // Start the next waiting document; keep a Node process alive only while work is pending.
  const pump = () => {
    if (!worker && queue.length && !closed) start()
    if (ready && !job && queue.length) {
      const j = job = queue.shift()
      try {
        const [input, transfer] = bytes(j.input)
        const m = [input, j.options]
        try {
          worker.postMessage(m, transfer)
        } catch {
          worker.postMessage(m) // not transferable (e.g. WebAssembly memory): copied
        }
      } catch (e) {
        job = null
        settle(j, e)
        return pump()
      }
      if (j.timeout < 2 ** 31) {
        j.timer = setTimeout(() => cancel(j, new DOMException(`extraction took longer than ${j.timeout} ms`, 'TimeoutError')), j.timeout)
      }
    }
    worker?.[job || queue.length ? 'ref' : 'unref']?.()
  }
  const cancel = (j, reason) => {
    if (j === job) {
      // Running: terminate its Worker; a new one starts right away for what comes next.
      worker.terminate()
      job = null
      start()
    } else if (queue.includes(j)) {
      queue.splice(queue.indexOf(j), 1)
    } else {
      return
    }
    settle(j, reason)
    pump()
  }

  start()
  pump()
  return {
    /** The current Worker: replaced after a cancellation or a crash, null after close(). */
    get worker () {
      return worker
    },
    extract: (input, { signal, timeout, ...opts } = {}) => new Promise((resolve, reject) => {
      if (closed) throw new PithError(-8, 'BAD_HANDLE: the worker was closed')
      signal?.throwIfAborted()
      if (typeof input !== 'string' && !(input instanceof ArrayBuffer) && !ArrayBuffer.isView(input)) {
        throw new PithError(-2, 'BAD_POINTER: not bytes or a string')
      }
      const j = { input, options: opts, timeout, signal, resolve, reject, abort: () => cancel(j, signal.reason) }
      signal?.addEventListener('abort', j.abort)
      queue.push(j)
      pump()
    }),
    close () {
      closed = true
      const pending = job ? [job, ...queue.splice(0)] : queue.splice(0)
      const w = worker
      worker = job = null
      for (const j of pending) settle(j, new PithError(-8, 'BAD_HANDLE: the worker was closed'))
      return Promise.resolve(w?.terminate()).then(() => {})
    }
  }
}
