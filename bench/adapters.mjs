// One adapter per Node peer: how to load it (import + compile + instantiate + init) and how to
// extract one document with it, the way its users call it. Each runs in a fresh process
// (worker.mjs); nothing here is shared between peers.
//
// extract() returns { text, mime, tables, metadata } (the last three where the peer has them)
// or throws. An Error with `.unsupported = true` means the peer does not read that format.

import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { supportedAs } from './documents.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
export const ROOT = here('..')

export function unsupported (msg) {
  const e = new Error(msg)
  e.unsupported = true
  return e
}

const utf8 = new TextDecoder()

export const ADAPTERS = {
  // pith through the hand-written loader; the module file is chosen by --module.
  pith: {
    label: 'pith (js-glue)',
    formats: null, // decided by the module's mime_types()
    async load (opts) {
      const { load } = await import('../js-glue/pith.mjs')
      const pith = await load(await readFile(opts.module))
      return { pith, mimes: pith.mimeTypes(), format: opts.pithFormat || 'text' }
    },
    extract (ctx, bytes, mime) {
      const as = supportedAs(mime, ctx.mimes)
      if (!as) throw unsupported(`UNSUPPORTED: ${mime} is not in this build's mime_types()`)
      const r = ctx.pith.extract(bytes, { mime: as, format: ctx.format })
      return { text: r.content, mime: r.mime_type, tables: r.tables, metadata: r.metadata }
    },
    memory (ctx) {
      return ctx.pith.exports.memory.buffer.byteLength
    }
  },

  // @kreuzberg/wasm: its generated glue (dist/pkg/kreuzberg_wasm.js) compiles its .wasm with a
  // top-level `instantiateStreaming(fetch(new URL(..., import.meta.url)))`, and Node's fetch
  // cannot read file: URLs, so initWasm() fails under Node as shipped (its own Node fallback
  // looks for the .wasm one folder too high, in <pkg>/pkg/). The adapter serves file: URLs
  // from disk to that fetch (the bytes are read from disk and handed to WebAssembly
  // unchanged); PDFium (dist/pdfium.js + pdfium.esm.wasm) loads through Node's fs by itself.
  kreuzberg: {
    label: '@kreuzberg/wasm',
    formats: null, // everything; its errors are recorded per document
    async load () {
      const real = globalThis.fetch
      globalThis.fetch = async (input, init) => {
        const url = String(input && input.url ? input.url : input)
        if (url.startsWith('file:')) {
          return new Response(await readFile(fileURLToPath(url)), { headers: { 'content-type': 'application/wasm' } })
        }
        return real(input, init)
      }
      // Note every memory its modules export (Kreuzberg's and PDFium's), to report their size.
      const memories = []
      const note = (r) => {
        const inst = r && (r.instance || r)
        const mem = inst && inst.exports && Object.values(inst.exports).find((v) => v instanceof WebAssembly.Memory)
        if (mem && !memories.includes(mem)) memories.push(mem)
        return r
      }
      const { instantiate, instantiateStreaming } = WebAssembly
      WebAssembly.instantiate = (...a) => instantiate(...a).then(note)
      WebAssembly.instantiateStreaming = (...a) => instantiateStreaming(...a).then(note)
      const kz = await import('@kreuzberg/wasm')
      await kz.initWasm()
      Object.assign(WebAssembly, { instantiate, instantiateStreaming })
      return { kz, memories }
    },
    async extract (ctx, bytes, mime) {
      const r = await ctx.kz.extractBytes(new Uint8Array(bytes), mime)
      return { text: r.content, mime: r.mimeType, tables: r.tables, metadata: r.metadata }
    },
    memory (ctx) {
      return ctx.memories.length ? ctx.memories.reduce((s, m) => s + m.buffer.byteLength, 0) : null
    }
  },

  // pdf.js: the legacy build (the one pdf.js documents for Node), its worker code run on the
  // main thread (as pdf.js does under Node); text via getTextContent per page, joined.
  pdfjs: {
    label: 'pdfjs-dist',
    formats: ['pdf'],
    async load () {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
      globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs')
      return { pdfjs }
    },
    async extract (ctx, bytes) {
      // getDocument takes ownership of (detaches) the buffer it is given: pass a copy.
      const doc = await ctx.pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise
      const pages = []
      try {
        for (let i = 1; i <= doc.numPages; i++) {
          const page = await doc.getPage(i)
          const tc = await page.getTextContent()
          pages.push(tc.items.map((it) => (it.str || '') + (it.hasEOL ? '\n' : '')).join(''))
          page.cleanup()
        }
      } finally {
        await doc.destroy()
      }
      return { text: pages.join('\n\n'), mime: 'application/pdf' }
    }
  },

  mammoth: {
    label: 'mammoth',
    formats: ['docx'],
    async load () {
      const m = await import('mammoth')
      return { mammoth: m.default || m }
    },
    async extract (ctx, bytes) {
      const r = await ctx.mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
      return { text: r.value }
    }
  },

  'html-to-text': {
    label: 'html-to-text',
    formats: ['html'],
    async load () {
      const { convert } = await import('html-to-text')
      return { convert }
    },
    extract (ctx, bytes) {
      // Defaults, except no hard wrapping at 80 columns.
      return { text: ctx.convert(utf8.decode(bytes), { wordwrap: false }) }
    }
  },

  officeparser: {
    label: 'officeparser',
    formats: ['docx', 'xlsx', 'pptx', 'odt', 'odp', 'ods', 'pdf'],
    async load () {
      const op = await import('officeparser')
      return { op }
    },
    async extract (ctx, bytes) {
      const r = await ctx.op.parseOffice(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      return { text: typeof r === 'string' ? r : r.toText() }
    }
  }
}

/** Whether `peer` reads a document of format `fmt`, without asking it (null: ask it). */
export function accepts (peer, fmt) {
  const f = ADAPTERS[peer] && ADAPTERS[peer].formats
  return f ? f.includes(fmt) : null
}
