// load(): every kind of source, on the stand-in module (so these run without a build) and once
// on the real module.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { load, PithError } from '../pith.mjs'
import { fakeModuleBytes } from '../testing/fake-module.mjs'
import { loadPith, wasmBytes } from '../testing/helpers.mjs'

const bytes = fakeModuleBytes()
const works = async (source) => {
  const pith = await load(source)
  assert.equal(pith.abiVersion, 1)
  assert.equal(pith.extract('x').content, 'ok')
}

test('a compiled Module', async () => works(await WebAssembly.compile(bytes)))
test('an ArrayBuffer, a Uint8Array, a Buffer and a subarray with an offset', async () => {
  await works(bytes.buffer.slice(0))
  await works(bytes)
  await works(Buffer.from(bytes))
  const padded = new Uint8Array(bytes.length + 8)
  padded.set(bytes, 3)
  await works(padded.subarray(3, 3 + bytes.length))
})
test('a Response with application/wasm, and a promise of one', async () => {
  const res = () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } })
  await works(res())
  await works(Promise.resolve(res()))
})
test('a Response with the wrong content type falls back to arrayBuffer', async () => {
  await works(new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }))
  await works(new Response(bytes))
})
test('a Response that is not ok is refused', async () => {
  await assert.rejects(load(new Response('missing', { status: 404 })), /HTTP 404/)
})
test('garbage bytes are a CompileError', async () => {
  await assert.rejects(load(new Uint8Array([1, 2, 3])), WebAssembly.CompileError)
})

test('URLs and URL strings are fetched, with either content type', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/missing.wasm') {
      res.writeHead(404).end()
      return
    }
    const type = req.url === '/right.wasm' ? 'application/wasm' : 'text/plain'
    res.writeHead(200, { 'content-type': type }).end(bytes)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const base = `http://127.0.0.1:${server.address().port}/`
  await works(new URL('right.wasm', base))
  await works(base + 'wrong.wasm')
  await works(fetch(base + 'right.wasm'))
  await assert.rejects(load(base + 'missing.wasm'), /HTTP 404/)
})

test('the real module: from bytes and from a Module, ABI version 1', async () => {
  const a = await load(wasmBytes())
  const b = await loadPith()
  assert.equal(a.abiVersion, 1)
  assert.equal(b.abiVersion, 1)
  assert.equal(a.exports.abi_version(), 1)
})

test('PithError carries the code, its name and the message', () => {
  const e = new PithError(-5, 'corrupt: at byte 9')
  assert.ok(e instanceof Error)
  assert.equal(e.name, 'PithError')
  assert.equal(e.code, -5)
  assert.equal(e.codeName, 'CORRUPT')
  assert.equal(e.message, 'corrupt: at byte 9')
  assert.equal(new PithError(-11).message, 'IN_USE')
  assert.equal(new PithError(-99).codeName, 'UNKNOWN')
})
