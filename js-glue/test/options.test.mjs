// Options become the config words of pith.h: a spy on extract_ptr reads what the module gets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { load, PithError } from '../pith.mjs'
import { wasmBytes } from '../testing/helpers.mjs'

/** A Pith whose instance's extract_ptr records [flags word, all 8 words, password] per call. */
async function spied () {
  const calls = []
  const real = WebAssembly.instantiate
  WebAssembly.instantiate = async (module) => {
    const instance = await real(module)
    const x = instance.exports
    const exports = {
      ...x,
      extract_ptr (d, dl, m, ml, c, cl) {
        const v = new DataView(x.memory.buffer)
        const words = cl ? Array.from({ length: 8 }, (_, k) => v.getUint32(c + 4 * k, true)) : null
        const password = cl > 32 ? new TextDecoder().decode(new Uint8Array(x.memory.buffer, c + 32, cl - 32)) : ''
        calls.push({ words, password })
        return x.extract_ptr(d, dl, m, ml, c, cl)
      }
    }
    return { exports }
  }
  try {
    return { pith: await load(await WebAssembly.compile(wasmBytes())), calls }
  } finally {
    WebAssembly.instantiate = real
  }
}

test('images, notes and comments set PITH_FLAG_IMAGES, _NOTES and _COMMENTS', async () => {
  const { pith, calls } = await spied()
  const flags = (o) => {
    assert.equal(pith.extract('flags', o).content, 'flags')
    return calls.at(-1).words?.[0] ?? 0
  }
  assert.equal(flags({}), 0)
  assert.equal(calls.at(-1).words, null, 'all defaults send no config')
  assert.equal(flags({ format: 'text' }), 1)
  assert.equal(flags({ images: true }), 2)
  assert.equal(flags({ notes: true }), 4)
  assert.equal(flags({ comments: true }), 8)
  assert.equal(flags({ images: true, notes: true, comments: true, format: 'text' }), 15)
  assert.equal(flags({ images: false, notes: 0, comments: undefined }), 0)
  assert.equal(flags({ images: 'yes' }), 2, 'truthy is on')
})

test('limits and the password reach the module in their words', async () => {
  const { pith, calls } = await spied()
  pith.extract('x', { password: 'sésame', limits: { maxInput: 1, maxOutput: 2, maxPages: 3, maxDecompressed: 4, maxDepth: 5, maxObjects: 6 } })
  assert.deepEqual(calls.at(-1), { words: [0, 1, 2, 3, 4, 5, 6, 0], password: 'sésame' })
})

test('an invalid format stays INVALID_ARGUMENT whatever the flags', async () => {
  const { pith } = await spied()
  assert.throws(() => pith.extract('x', { format: 'html', images: true }), (e) => e instanceof PithError && e.codeName === 'INVALID_ARGUMENT')
})
