// pith.mjs: the hand-written loader for the pith WebAssembly module (ABI version 1, see
// ../abi/pith.h). No Node built-ins, no dependencies: it runs unchanged in browsers, Deno,
// Bun, Node and Workers. Budget: 2,048 bytes minified + gzip -9 (test/size.test.mjs).
//
// Invariants:
// - every call into the module runs inside run(): a trap (RuntimeError) or a fault in the
//   glue over module memory (RangeError) replaces the instance from the kept Module and
//   surfaces as PithError(INTERNAL); the next call runs on the fresh instance;
// - with `recycleAbove`, the instance is also replaced whenever nothing borrows it (no stream
//   open, no PithBuffer live) and its memory is above that many bytes: memory never shrinks;
// - every block the glue allocates is freed and every stream closed in a finally;
// - views of module memory are re-made whenever memory grew (old buffers detach).

const W = WebAssembly
const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: true })
const NAMES = 'OK INVALID_ARGUMENT BAD_POINTER OUT_OF_MEMORY UNSUPPORTED CORRUPT PASSWORD_REQUIRED LIMIT BAD_HANDLE INTERNAL MIME_MISMATCH IN_USE'.split(' ')
const KINDS = ',text,page,metadata,table,image,warning,document'.split(',')

export class PithError extends Error {
  constructor (code, message, cause) {
    super(message || NAMES[-code], { cause })
    this.name = 'PithError'
    this.code = code
    this.codeName = NAMES[-code] || 'UNKNOWN'
  }
}

export async function load (source, { recycleAbove = Infinity } = {}) {
  let s = await source
  // lent: streams open and PithBuffers live on the current instance
  let r, x, u8, live, lent
  if (typeof s === 'string' || s instanceof URL) s = await fetch(s)
  if (s instanceof W.Module) {
    r = { module: s, instance: await W.instantiate(s) }
  } else if (s.clone) {
    // a Response: stream-compile it; a wrong content type (or no streaming API) falls back
    if (!s.ok) throw Error('HTTP ' + s.status)
    try {
      r = await W.instantiateStreaming(s.clone())
    } catch {
      s = await s.arrayBuffer()
    }
  }
  r = r || await W.instantiate(s)

  // (Re)start on an instance; a new `live` set also orphans every PithBuffer of the old one.
  const fresh = (i) => {
    x = (i || new W.Instance(r.module)).exports
    u8 = lent = 0
    live = new WeakSet()
  }
  // After a call: drop an instance nothing borrows once its memory grew above recycleAbove.
  const idle = () => lent || x.memory.buffer.byteLength <= recycleAbove || fresh()
  const run = (f) => {
    try {
      return f()
    } catch (e) {
      if (e instanceof PithError) throw e
      if (e instanceof W.RuntimeError || e instanceof RangeError) fresh()
      throw new PithError(-9, 'INTERNAL: ' + e.message, e)
    }
  }
  // The memory as bytes; a grown memory detached the old view (byteLength 0).
  const mem = () => (u8 && u8.byteLength ? u8 : (u8 = new Uint8Array(x.memory.buffer)))
  const str = (p, n) => dec.decode(mem().subarray(p, p + n))
  const ck = (c) => {
    if (c < 0) throw new PithError(c, str(x.error_ptr(), x.error_len()))
    return c
  }
  const alloc = (n) => {
    const p = n < 2 ** 31 && x.alloc(n || 1)
    if (!p) throw new PithError(-3)
    return p
  }
  // A string UTF-8-encoded after `pre` bytes into a 3 x length reservation: [ptr, len, cap].
  const put = (s, pre) => {
    const n = pre + 3 * s.length
    const p = alloc(n)
    return [p, pre + enc.encodeInto(s, mem().subarray(p + pre, p + n)).written, n || 1]
  }
  // The document as [ptr, len, cap]; cap 0: a borrowed PithBuffer the glue does not free.
  const doc = (i) => {
    if (live.has(i)) return [i.ptr, i.length, 0]
    if (typeof i === 'string') return put(i, 0)
    if (i instanceof ArrayBuffer) i = new Uint8Array(i)
    else if (ArrayBuffer.isView(i)) i = new Uint8Array(i.buffer, i.byteOffset, i.byteLength)
    else throw new PithError(-2, 'BAD_POINTER: not bytes, a string or a live PithBuffer')
    if (i.buffer === x.memory.buffer) i = i.slice()
    const n = i.length
    const p = alloc(n)
    mem().set(i, p)
    return [p, n, n || 1]
  }
  const open = (d, o = {}) => {
    const l = o.limits || {}
    const w = [({ text: 1, markdown: 0 }[o.format || 'markdown'] ?? -1) | !!o.images << 1 | !!o.notes << 2 | !!o.comments << 3, l.maxInput, l.maxOutput, l.maxPages, l.maxDecompressed, l.maxDepth, l.maxObjects, 0]
    const pw = o.password || ''
    let m = [0, 0]
    let c = m
    try {
      w.forEach((v, k) => {
        if ((w[k] = v || 0) !== w[k] >>> 0) throw new PithError(-1, 'INVALID_ARGUMENT: option ' + k)
      })
      if (o.mime) m = put(o.mime, 0)
      if (pw || w.some((v) => v)) {
        c = put(pw, 32)
        const v = new DataView(x.memory.buffer)
        w.forEach((n, k) => v.setUint32(c[0] + 4 * k, n, true))
      }
      return ck(x.extract_ptr(d[0], d[1], m[0], m[1], c[0], c[1]))
    } finally {
      x.free(m[0], m[2])
      x.free(c[0], c[2])
    }
  }
  const close = (d, h) => {
    if (h) x.stream_close(h)
    if (d && d[2]) x.free(d[0], d[2])
  }

  fresh(r.instance)
  return {
    abiVersion: x.abi_version(),
    /** The raw exports of the current instance (replaced after a trap): an escape hatch. */
    get exports () {
      return x
    },
    features: () => run(() => x.features()),
    mimeTypes: () => run(() => str(x.mime_types(), x.mime_types_len()).split('\n').filter((t) => t)),
    extract: (i, o) => run(() => {
      const d = doc(i)
      let h
      try {
        h = open(d, o)
        const n = ck(x.result_json(h))
        return JSON.parse(str(x.record_ptr(h), n))
      } finally {
        close(d, h)
        idle()
      }
    }),
    async * stream (i, o = {}) {
      const g = live
      let d, h
      lent++
      try {
        run(() => {
          d = doc(i)
          h = open(d, o)
        })
        for (;;) {
          const rec = run(() => {
            if (g !== live) throw new PithError(-8, 'BAD_HANDLE: the instance was replaced')
            const k = ck(x.stream_next(h, o.chunkSize || 0))
            const s = k && str(x.record_ptr(h), x.record_len(h))
            if (k === 1) return { type: 'text', text: s }
            const j = k && JSON.parse(s)
            if (k === 3) {
              const [[key, value]] = Object.entries(j)
              return { type: 'metadata', key, value }
            }
            return k && { ...j, type: KINDS[k] || k }
          })
          if (!rec) return
          yield rec
        }
      } finally {
        if (g === live) {
          run(() => {
            close(d, h)
            lent--
            idle()
          })
        }
      }
    },
    buffer: (n) => run(() => {
      if (n !== (n | 0) || n < 0) throw new PithError(-1)
      const p = alloc(n)
      lent++
      const b = {
        ptr: p,
        length: n,
        view () {
          if (!live.has(b)) throw new PithError(-2, 'BAD_POINTER: PithBuffer freed or from a replaced instance')
          return mem().subarray(p, p + n)
        },
        free: () => run(() => {
          if (live.has(b)) {
            ck(x.free(p, n || 1))
            live.delete(b)
            lent--
            idle()
          }
        })
      }
      live.add(b)
      return b
    })
  }
}
