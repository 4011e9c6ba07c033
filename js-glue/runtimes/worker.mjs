// The Worker of the workerd suite. `@pith/wasm` resolves through the exports map's "workerd"
// condition (as wrangler's bundler does) to workerd.mjs, which imports pith.wasm as a
// WebAssembly.Module: Workers forbid compiling from bytes.
//   POST /extract[?mime=T]  a document in, the extraction JSON out (422 + {error} on PithError)
//   POST /stream[?mime=T]   the records as NDJSON, written as the module yields them
//   GET  /info              abiVersion, features, mimeTypes
//   GET  /suite?corpus=URL  the runtime suite, reading the corpus from URL; its report as JSON
import { load, PithError } from '@pith/wasm'
import { suite } from './suite.mjs'

let pith
const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } })
const failure = (e) => {
  if (e instanceof PithError) return json({ error: { code: e.code, codeName: e.codeName, message: e.message } }, 422)
  throw e
}

export default {
  async fetch (request) {
    const url = new URL(request.url)
    const p = await (pith ??= load())
    const options = { mime: url.searchParams.get('mime') || undefined }
    if (request.method === 'POST' && url.pathname === '/extract') {
      try {
        return json(p.extract(new Uint8Array(await request.arrayBuffer()), options))
      } catch (e) {
        return failure(e)
      }
    }
    if (request.method === 'POST' && url.pathname === '/stream') {
      const records = p.stream(new Uint8Array(await request.arrayBuffer()), { ...options, chunkSize: 4096 })
      let first
      try {
        first = await records.next() // open errors (UNSUPPORTED, ...) become a 422
      } catch (e) {
        return failure(e)
      }
      const enc = new TextEncoder()
      const body = new ReadableStream({
        async pull (controller) {
          const r = first || await records.next()
          first = undefined
          if (r.done) controller.close()
          else controller.enqueue(enc.encode(JSON.stringify(r.value) + '\n'))
        },
        cancel: () => records.return()
      })
      return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } })
    }
    if (url.pathname === '/info') {
      return json({ abiVersion: p.abiVersion, features: p.features(), mimeTypes: p.mimeTypes() })
    }
    if (url.pathname === '/suite') {
      const corpus = url.searchParams.get('corpus')
      const read = async (path) => {
        const res = await fetch(new URL(path, corpus))
        if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`)
        return new Uint8Array(await res.arrayBuffer())
      }
      const report = await suite({ open: () => load(), PithError, read }).run()
      return json(report)
    }
    return new Response('not found', { status: 404 })
  }
}
