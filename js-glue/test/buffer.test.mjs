// PithBuffer (zero-copy input) and memory growth.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PithError } from '../pith.mjs'
import { collect, corpusText, loadPith, settledHeap, utf8 } from '../testing/helpers.mjs'

const isError = (codeName) => (e) => e instanceof PithError && e.codeName === codeName

test('a PithBuffer filled in place reads like the same bytes, with no copy', async () => {
  const pith = await loadPith()
  const bytes = corpusText('spanish_text.txt')
  const buf = pith.buffer(bytes.length)
  assert.equal(buf.length, bytes.length)
  assert.ok(buf.ptr > 0)
  const view = buf.view()
  assert.equal(view.buffer, pith.exports.memory.buffer, 'a view of module memory')
  assert.equal(view.byteOffset, buf.ptr)
  view.set(bytes)
  const x = pith.exports
  const expected = pith.extract(bytes)
  const live = settledHeap(x)
  assert.deepEqual(pith.extract(buf), expected)
  assert.deepEqual(pith.extract(buf, { mime: 'text/plain' }), expected, 'reusable')
  assert.equal(settledHeap(x), live, 'the buffer is neither freed nor copied by extract')
  assert.deepEqual(buf.view(), bytes, 'extract did not change the buffer')
  buf.free()
  assert.ok(x.heap_live() <= live - bytes.length, 'free() returned the block')
})

test('freeing a buffer a stream borrows is IN_USE; after the stream it frees', async () => {
  const pith = await loadPith()
  const bytes = corpusText('norwich_city.txt')
  const buf = pith.buffer(bytes.length)
  buf.view().set(bytes)
  const it = pith.stream(buf, { chunkSize: 256 })
  assert.equal((await it.next()).value.type, 'document')
  assert.throws(() => buf.free(), isError('IN_USE'))
  // Still intact and usable: the stream goes on to the same text.
  const rest = []
  for await (const r of it) if (r.type === 'text') rest.push(r.text)
  assert.equal(rest.join(''), pith.extract(bytes).content)
  buf.free()
  buf.free() // a second free does nothing
  assert.throws(() => buf.view(), isError('BAD_POINTER'))
  assert.throws(() => pith.extract(buf), isError('BAD_POINTER'))
  await assert.rejects(collect(pith.stream(buf)), isError('BAD_POINTER'))
})

test('a PithBuffer of another Pith is refused', async () => {
  const a = await loadPith()
  const b = await loadPith()
  const buf = a.buffer(5)
  buf.view().set(utf8.encode('hello'))
  assert.throws(() => b.extract(buf), isError('BAD_POINTER'))
  assert.equal(a.extract(buf).content, 'hello')
  buf.free()
})

test('buffer(length) checks its argument; an empty buffer works', async () => {
  const pith = await loadPith()
  for (const bad of [-1, 1.5, NaN, 2 ** 31, '4']) assert.throws(() => pith.buffer(bad), isError('INVALID_ARGUMENT'))
  const empty = pith.buffer(0)
  assert.equal(empty.view().length, 0)
  assert.equal(pith.extract(empty, { mime: 'text/plain' }).content, '')
  empty.free()
})

test('memory growth: old views detach, view() and results stay right', async () => {
  const pith = await loadPith()
  const x = pith.exports
  const small = pith.buffer(11)
  small.view().set(utf8.encode('hello world'))
  const old = small.view()
  const before = x.memory.buffer.byteLength
  // A generated multi-MB document: the module must grow its memory to hold it.
  const line = 'Ünïcödé text line with a few words, 😀 included.\n'
  const big = line.repeat(Math.ceil(6_000_000 / line.length))
  const r = pith.extract(big)
  assert.equal(r.content, big)
  assert.equal(r.metadata.line_count, Math.ceil(6_000_000 / line.length))
  assert.ok(x.memory.buffer.byteLength > before, 'memory grew')
  assert.equal(old.byteLength, 0, 'the old view detached')
  assert.equal(new TextDecoder().decode(small.view()), 'hello world', 'a fresh view sees the data')
  assert.equal(pith.extract(small).content, 'hello world')
  // Bytes, a stream, and a big PithBuffer across further growth.
  const bigBytes = utf8.encode(big + big)
  const records = await collect(pith.stream(bigBytes, { chunkSize: 1 << 16 }))
  assert.equal(records.filter((t) => t.type === 'text').map((t) => t.text).join(''), big + big)
  const buf = pith.buffer(bigBytes.length)
  buf.view().set(bigBytes)
  assert.equal(pith.extract(buf).content.length, 2 * big.length)
  buf.free()
  small.free()
})

test('a view into module memory passed as input is copied first, not read detached', async () => {
  const pith = await loadPith()
  const buf = pith.buffer(5)
  buf.view().set(utf8.encode('hello'))
  assert.equal(pith.extract(buf.view()).content, 'hello')
  buf.free()
})
