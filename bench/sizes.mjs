// The bytes each peer ships to a user: raw, gzip -9 and brotli (quality 11) of the files a
// browser or edge user downloads. WebAssembly is counted as shipped; JavaScript as the
// package's own minified browser bundle where it ships one, else an esbuild bundle
// (--bundle --minify --platform=browser --format=esm) of its entry point with Node built-ins
// left external. `how` says which for each file.

import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { createHash } from 'node:crypto'
import { join } from 'node:path'

// brotli -11 of Kreuzberg's 20 MB .wasm takes a minute on a busy machine: results are kept
// by content hash (in node_modules/.cache, so `npm ci` starts afresh).
let cache = null
let cachePath = null
function measure (buf) {
  const key = createHash('sha256').update(buf).digest('hex')
  if (cache && cache[key]) return cache[key]
  const m = measure1(buf)
  if (cache) cache[key] = m
  return m
}

function measure1 (buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length }
    }).length
  }
}

const NODE_BUILTINS = ['node:*', 'fs', 'fs/promises', 'path', 'url', 'module', 'os', 'crypto', 'stream', 'util', 'zlib', 'buffer', 'events', 'child_process', 'worker_threads', 'http', 'https', 'net', 'tls', 'assert', 'process', 'string_decoder']

async function bundle (esbuild, benchDir, source, name) {
  const r = await esbuild.build({
    stdin: { contents: source, resolveDir: benchDir, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    external: NODE_BUILTINS,
    loader: { '.wasm': 'empty' }
  })
  return { file: `${name} (esbuild bundle, minified)`, buf: Buffer.from(r.outputFiles[0].contents) }
}

/** { peer: { files: [{ file, kind, raw, gzip, brotli }], total: { raw, gzip, brotli } } } */
export async function shippedSizes ({ benchDir, root, module, peers }) {
  const nm = (p) => join(benchDir, 'node_modules', p)
  cachePath = nm('.cache/pith-bench-sizes.json')
  try {
    cache = JSON.parse(readFileSync(cachePath, 'utf8'))
  } catch {
    cache = {}
  }
  const file = (p, label) => (existsSync(p) ? { file: label || p, buf: readFileSync(p) } : null)
  let esbuild = null
  try {
    esbuild = await import('esbuild')
  } catch {}
  const js = async (source, name, fallback) => {
    if (esbuild) {
      try {
        return await bundle(esbuild, benchDir, source, name)
      } catch (e) {
        if (!fallback) return { file: `${name}: esbuild failed (${String(e.message).split('\n')[0]})`, buf: null }
      }
    }
    return fallback ? fallback() : null
  }
  const plan = {
    pith: async () => [
      { kind: 'wasm', ...file(module, module.replace(root + '/', '')) },
      { kind: 'js', ...(await js(`export * from ${JSON.stringify(join(root, 'js-glue/pith.mjs'))}`, 'js-glue/pith.mjs')) }
    ],
    kreuzberg: async () => [
      { kind: 'wasm', ...file(nm('@kreuzberg/wasm/dist/pkg/kreuzberg_wasm_bg.wasm'), '@kreuzberg/wasm/dist/pkg/kreuzberg_wasm_bg.wasm') },
      { kind: 'wasm', ...file(nm('@kreuzberg/wasm/dist/pdfium.esm.wasm'), '@kreuzberg/wasm/dist/pdfium.esm.wasm') },
      { kind: 'js', ...(await js("export * from '@kreuzberg/wasm'; export * as glue from '@kreuzberg/wasm/dist/pkg/kreuzberg_wasm.js'", '@kreuzberg/wasm (index.js + pkg/kreuzberg_wasm.js + pdfium.js)')) }
    ],
    pdfjs: async () => [
      { kind: 'js', ...file(nm('pdfjs-dist/build/pdf.min.mjs'), 'pdfjs-dist/build/pdf.min.mjs') },
      { kind: 'js', ...file(nm('pdfjs-dist/build/pdf.worker.min.mjs'), 'pdfjs-dist/build/pdf.worker.min.mjs') }
    ],
    mammoth: async () => [{ kind: 'js', ...file(nm('mammoth/mammoth.browser.min.js'), 'mammoth/mammoth.browser.min.js') }],
    'html-to-text': async () => [{ kind: 'js', ...(await js("export { convert } from 'html-to-text'", 'html-to-text')) }],
    officeparser: async () => [{ kind: 'js', ...file(nm('officeparser/dist/officeparser.browser.mjs'), 'officeparser/dist/officeparser.browser.mjs') }]
  }
  const out = {}
  for (const peer of peers) {
    if (!plan[peer]) continue
    const files = (await plan[peer]()).map((f) => (f.buf ? { file: f.file, kind: f.kind, ...measure(f.buf) } : { file: f.file || '(missing)', kind: f.kind, missing: true }))
    const total = { raw: 0, gzip: 0, brotli: 0 }
    for (const f of files) for (const k of Object.keys(total)) total[k] += f[k] || 0
    out[peer] = { files, total }
  }
  if (esbuild && esbuild.stop) esbuild.stop()
  try {
    const { mkdirSync } = await import('node:fs')
    mkdirSync(nm('.cache'), { recursive: true })
    writeFileSync(cachePath, JSON.stringify(cache))
  } catch {}
  return out
}
