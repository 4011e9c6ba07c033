// Trap recovery, on a hand-assembled stand-in module (fake-module.mjs) whose result_json and
// stream_next trap on documents starting with 'T': the real module is not supposed to trap.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { load, PithError } from '../pith.mjs'
import { fakeModuleBytes, FAKE_RESULT } from '../testing/fake-module.mjs'
import { collect } from '../testing/helpers.mjs'

const isInternal = (e) => e instanceof PithError && e.code === -9 && e.codeName === 'INTERNAL' &&
  e.cause instanceof WebAssembly.RuntimeError
const ONE_RECORD = [{ type: 'text', text: FAKE_RESULT }]

test('a trap in extract replaces the instance and the next call works', async () => {
  const pith = await load(fakeModuleBytes())
  assert.equal(pith.extract('hello').content, 'ok')
  const before = pith.exports
  assert.throws(() => pith.extract('Trap'), isInternal)
  assert.notEqual(pith.exports, before, 'the instance was replaced')
  assert.equal(pith.extract('hello').content, 'ok')
  assert.equal(pith.features(), 1)
})

test('a trap in a stream surfaces as INTERNAL and the next stream works', async () => {
  const pith = await load(fakeModuleBytes())
  assert.deepEqual(await collect(pith.stream('fine')), ONE_RECORD)
  await assert.rejects(collect(pith.stream(new TextEncoder().encode('Trap'))), isInternal)
  assert.deepEqual(await collect(pith.stream('fine')), ONE_RECORD)
  assert.equal(pith.extract('hello').content, 'ok')
})

test('a PithBuffer of the replaced instance is refused, not read', async () => {
  const pith = await load(fakeModuleBytes())
  const buf = pith.buffer(5)
  buf.view().set(new TextEncoder().encode('hello'))
  assert.equal(pith.extract(buf).content, 'ok')
  assert.throws(() => pith.extract('Trap'), isInternal)
  const stale = (e) => e instanceof PithError && e.codeName === 'BAD_POINTER'
  assert.throws(() => pith.extract(buf), stale)
  assert.throws(() => buf.view(), stale)
  await assert.rejects(collect(pith.stream(buf)), stale)
  buf.free() // nothing of it lives in the new instance: a no-op
  const fresh = pith.buffer(5)
  fresh.view().set(new TextEncoder().encode('hello'))
  assert.equal(pith.extract(fresh).content, 'ok')
  fresh.free()
})

test('a stream suspended across a trap elsewhere fails with BAD_HANDLE, then ends', async () => {
  const pith = await load(fakeModuleBytes())
  const it = pith.stream('open')
  assert.deepEqual(await it.next(), { value: ONE_RECORD[0], done: false })
  assert.throws(() => pith.extract('Trap'), isInternal)
  await assert.rejects(it.next(), (e) => e instanceof PithError && e.codeName === 'BAD_HANDLE')
  assert.deepEqual(await it.next(), { value: undefined, done: true })
  assert.deepEqual(await collect(pith.stream('fine')), ONE_RECORD)
})
