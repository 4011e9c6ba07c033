// load(source, { recycleAbove }): WebAssembly memory never shrinks, so after a huge document
// the loader replaces an instance nothing borrows (no open stream, no live PithBuffer) once its
// memory is above the threshold. The instance is observed through the `exports` escape hatch:
// a recycled instance has new exports and the module's initial memory.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PithError } from '../pith.mjs'
import { collect, corpusText, loadPith, strictUtf8 } from '../testing/helpers.mjs'

const MiB = 1 << 20
const THRESHOLD = 8 * MiB
const mib = (n) => (n / MiB).toFixed(1) + ' MiB'

// A real corpus document repeated to about 8 MB: it ends with a line break and is plain UTF-8
// without a BOM or carriage returns, so its extracted text is exactly the text repeated.
const unit = strictUtf8.decode(corpusText('norwich_city.txt'))
assert.ok(unit.endsWith('\n') && !/[\r\ufeff]/.test(unit))
const REPEAT = Math.ceil(8e6 / unit.length)
const huge = new TextEncoder().encode(unit.repeat(REPEAT))
const hugeText = unit.repeat(REPEAT)

/** A Pith with the threshold, its initial instance and memory size, checked to be small. */
async function recycling () {
  const pith = await loadPith({ recycleAbove: THRESHOLD })
  const first = pith.exports
  const initial = first.memory.buffer.byteLength
  assert.ok(initial < THRESHOLD / 4, `initial memory ${mib(initial)}`)
  return { pith, first, initial }
}

test('after a huge document the next call runs on a fresh instance with the initial memory', async () => {
  const { pith, first, initial } = await recycling()
  const french = pith.extract(corpusText('french_text.txt'))
  assert.ok(french.content.includes('Ceci est un texte français'), french.content)
  assert.equal(pith.exports, first, 'a small document leaves the instance alone')

  const r = pith.extract(huge)
  assert.equal(r.content, hugeText)
  assert.equal(r.metadata.line_count, REPEAT * (unit.split('\n').length - 1))
  const grown = first.memory.buffer.byteLength
  assert.ok(grown > THRESHOLD, `the huge document grew memory to ${mib(grown)}`)
  assert.notEqual(pith.exports, first, 'the instance was replaced')
  assert.equal(pith.exports.memory.buffer.byteLength, initial, 'back to the initial memory')
  console.log(`recycle: memory ${mib(initial)} -> ${mib(grown)} after a ${mib(huge.length)} document -> ${mib(pith.exports.memory.buffer.byteLength)} on the fresh instance`)

  const fresh = pith.exports
  assert.deepEqual(pith.extract(corpusText('french_text.txt')), french, 'the fresh instance extracts the same')
  assert.ok(pith.extract(corpusText('german_text.txt')).content.includes('Dies ist ein deutscher Text'))
  assert.equal(pith.exports, fresh, 'small documents stay on it')
  assert.ok(pith.exports.memory.buffer.byteLength < THRESHOLD / 4, 'and its memory stays small')
})

test('without recycleAbove the grown memory stays (the default never recycles)', async () => {
  const pith = await loadPith()
  const first = pith.exports
  assert.equal(pith.extract(huge).content.length, hugeText.length)
  assert.equal(pith.exports, first)
  assert.ok(first.memory.buffer.byteLength > THRESHOLD, 'memory never shrinks')
})

test('a huge document that fails (LIMIT) recycles too, and the next one works', async () => {
  const { pith, first, initial } = await recycling()
  assert.throws(() => pith.extract(huge, { limits: { maxOutput: 1000 } }),
    (e) => e instanceof PithError && e.codeName === 'LIMIT')
  assert.ok(first.memory.buffer.byteLength > THRESHOLD, 'the copied input alone grew memory')
  assert.notEqual(pith.exports, first)
  assert.equal(pith.exports.memory.buffer.byteLength, initial)
  assert.equal(pith.extract(corpusText('norwich_city.txt')).content, unit)
})

test('a huge document streamed: recycled when the stream closes', async () => {
  const { pith, first, initial } = await recycling()
  const records = await collect(pith.stream(huge, { chunkSize: 1 << 20 }))
  assert.equal(records.filter((r) => r.type === 'text').map((r) => r.text).join(''), hugeText)
  assert.ok(first.memory.buffer.byteLength > THRESHOLD)
  assert.notEqual(pith.exports, first)
  assert.equal(pith.exports.memory.buffer.byteLength, initial)
})

test('an open stream defers recycling until it closes, and reads on undisturbed', async () => {
  const { pith, first, initial } = await recycling()
  const french = corpusText('french_text.txt')
  const expected = pith.extract(french).content
  const it = pith.stream(french, { chunkSize: 16 })
  assert.equal((await it.next()).value.type, 'document')
  assert.equal(pith.extract(huge).content.length, hugeText.length)
  assert.equal(pith.exports, first, 'not recycled under an open stream')
  assert.ok(first.memory.buffer.byteLength > THRESHOLD)
  let text = ''
  for await (const rec of it) if (rec.type === 'text') text += rec.text
  assert.equal(text, expected, 'the stream read on in the same instance')
  assert.notEqual(pith.exports, first, 'recycled once the stream closed')
  assert.equal(pith.exports.memory.buffer.byteLength, initial)
})

test('a live PithBuffer defers recycling until free(); it is never orphaned by it', async () => {
  const { pith, first, initial } = await recycling()
  const bytes = corpusText('spanish_text.txt')
  const buf = pith.buffer(bytes.length)
  buf.view().set(bytes)
  const expected = pith.extract(bytes).content
  assert.equal(pith.extract(huge).content.length, hugeText.length)
  assert.equal(pith.exports, first, 'not recycled while a PithBuffer is live')
  assert.equal(pith.extract(buf).content, expected, 'the buffer still reads')
  assert.deepEqual(buf.view(), bytes)
  buf.free()
  assert.notEqual(pith.exports, first, 'recycled by free()')
  assert.equal(pith.exports.memory.buffer.byteLength, initial)
  buf.free() // a second free stays a no-op
  assert.equal(pith.extract(bytes).content, expected)
})

test('recycleAbove: 0 gives every call a fresh instance once nothing is borrowed', async () => {
  const pith = await loadPith({ recycleAbove: 0 })
  const reference = await loadPith()
  const seen = new Set([pith.exports])
  for (const name of ['french_text.txt', 'german_text.txt', 'spanish_text.txt']) {
    const r = pith.extract(corpusText(name))
    assert.deepEqual(r, reference.extract(corpusText(name)), name)
    assert.ok(r.content.length > 100, name)
    assert.ok(!seen.has(pith.exports), 'a new instance after each extract')
    seen.add(pith.exports)
  }
})
