// Compiled by types.test.mjs with `tsc --noEmit --strict`: the .d.ts must describe real usage.
import { load, PithError, type Pith, type PithLoadOptions, type PithRecord, type PithResult } from '@pith/wasm'
import { loadWorker, PithError as WorkerPithError, type PithWorker, type PithWorkerOptions } from '@pith/wasm/worker'

export async function demo (bytes: Uint8Array, module: WebAssembly.Module): Promise<string> {
  const pith: Pith = await load(bytes)
  await load(module)
  await load(new URL('https://example.invalid/pith.wasm'))
  await load(Promise.resolve(new Response('not wasm')))
  await load() // the browser and workerd entries' default pith.wasm
  const recycling: PithLoadOptions = { recycleAbove: 64 << 20 }
  await load(module, recycling)
  await load(undefined, { recycleAbove: 0 })
  pith.extract(bytes, { images: true, notes: true, comments: false, format: 'markdown' })
  const v: number = pith.abiVersion + pith.features()
  const mimes: string[] = pith.mimeTypes()
  const r: PithResult = pith.extract('hello', { mime: 'text/plain', format: 'text', limits: { maxOutput: 10 } })
  const wc = r.metadata.word_count
  let out = r.content + r.mime_type + String(wc) + v + mimes.join()
  for await (const rec of pith.stream(bytes, { chunkSize: 64, password: 'x' })) {
    const x: PithRecord = rec
    if (x.type === 'text') out += x.text
    else if (x.type === 'page') out += x.page_number
    else if (x.type === 'metadata') out += x.key + String(x.value)
    else if (x.type === 'table') out += x.markdown + x.cells.length
    else if (x.type === 'warning') out += x.message
  }
  const buf = pith.buffer(4)
  buf.view().set([1, 2, 3, 4])
  pith.extract(buf)
  buf.free()
  const live: number = pith.exports.heap_live() + pith.exports.arena_reset()
  try {
    pith.extract(new ArrayBuffer(1))
  } catch (e) {
    if (e instanceof PithError) out += e.code + e.codeName + e.message
  }
  return out + live
}

export async function cancellable (bytes: Uint8Array, module: WebAssembly.Module): Promise<string> {
  const pw: PithWorker = await loadWorker(module, { recycleAbove: 256 << 20 })
  const ac = new AbortController()
  const o: PithWorkerOptions = { signal: ac.signal, timeout: 5000, mime: 'application/pdf', format: 'text', limits: { maxPages: 10 } }
  let out = ''
  try {
    const r: PithResult = await pw.extract(bytes, o)
    out += r.content + (await pw.extract('text', { signal: AbortSignal.timeout(100) })).mime_type
  } catch (e) {
    if (e instanceof WorkerPithError) out += e.codeName
    else if (e instanceof DOMException && (e.name === 'AbortError' || e.name === 'TimeoutError')) out += e.name
  }
  const w: object | null = pw.worker
  await pw.close()
  return out + String(w)
}
