// worker.mjs: extraction in a Worker that an AbortSignal or a timeout terminates; the handle
// then starts a new Worker and the next document extracts normally. Under Node the Worker is a
// node:worker_threads Worker (its 'exit' event shows that it was really terminated).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { PithError } from '../pith.mjs'
import { loadWorker, PithError as ReExported } from '../worker.mjs'
import { compiledModule, corpusFile, corpusText, loadPith, wasmBytes } from '../testing/helpers.mjs'

// A real, slow document: a 2.6 MB book of 193 pages (seconds of work, far above the 1 ms
// timeout below; aborts come right after it reached the Worker, so no timing is assumed).
const SLOW = 'pdfs/a_course_in_machine_learning_ciml_v0_9_all.pdf'
// A guard, not a speed check: a Worker that is never terminated would leave `exit` pending.
const GUARD = { timeout: 120_000 }
const isError = (codeName) => (e) => e instanceof PithError && e.codeName === codeName
const isDom = (name) => (e) => e instanceof DOMException && e.name === name

/** A worker handle closed after the test, and an in-thread Pith for the expected results. */
async function setup (t, options) {
  const pw = await loadWorker(await compiledModule(), options)
  t.after(() => pw.close())
  return { pw, pith: await loadPith() }
}

/** A document of the corpus extracted in this thread: what the worker must return. */
const expected = (pith, name) => pith.extract(corpusFile(name))

test('extract in a Worker returns what the loader returns, from bytes or a string', async (t) => {
  const { pw, pith } = await setup(t)
  assert.equal(ReExported, PithError, 'worker.mjs re-exports PithError')
  for (const name of ['text/french_text.txt', 'pdfs/fake_memo.pdf', 'documents/lorem_ipsum.docx']) {
    assert.deepEqual(await pw.extract(corpusFile(name)), expected(pith, name), name)
  }
  const memo = await pw.extract(corpusFile('pdfs/fake_memo.pdf'))
  assert.ok(memo.content.includes('There were 20,000 bottles of water'), memo.content)
  const text = new TextDecoder().decode(corpusText('german_text.txt'))
  assert.equal((await pw.extract(text, { mime: 'text/plain' })).content, pith.extract(text).content)
  assert.ok((await pw.extract(text)).content.includes('Dies ist ein deutscher Text'))
})

test('loadWorker accepts the sources load() does: bytes too', async (t) => {
  const pw = await loadWorker(wasmBytes())
  t.after(() => pw.close())
  assert.ok((await pw.extract(corpusText('french_text.txt'))).content.includes('Ceci est un texte français'))
  await assert.rejects(loadWorker(new Uint8Array([1, 2, 3])), WebAssembly.CompileError)
})

test('PithErrors keep their code across the Worker; bad input is refused; the next call works', async (t) => {
  const { pw } = await setup(t)
  const first = pw.worker
  await assert.rejects(pw.extract('hello', { mime: 'application/x-unknown' }),
    (e) => isError('UNSUPPORTED')(e) && e.code === -4 && e.message.includes('not in this build'))
  await assert.rejects(pw.extract('hello', { format: 'html' }), isError('INVALID_ARGUMENT'))
  await assert.rejects(pw.extract(corpusFile('pdfs/fake_memo.pdf'), { mime: 'text/plain' }), isError('MIME_MISMATCH'))
  await assert.rejects(pw.extract(42), isError('BAD_POINTER'))
  await assert.rejects(pw.extract({ ptr: 8, length: 4 }), isError('BAD_POINTER'))
  await assert.rejects(pw.extract('x', { onProgress () {} }), (e) => e.name === 'DataCloneError')
  assert.equal(pw.worker, first, 'errors about a document never replace the Worker')
  assert.ok((await pw.extract(corpusText('spanish_text.txt'))).content.length > 100)
})

test('AbortSignal: the running extraction is terminated; the next document extracts normally', GUARD, async (t) => {
  const { pw, pith } = await setup(t)
  await pw.extract(corpusText('french_text.txt')) // the Worker is up: the next document goes straight in
  const old = pw.worker
  t.after(() => old.terminate()) // a no-op unless a failure left it running
  const exited = once(old, 'exit')
  const ac = new AbortController()
  const slow = corpusFile(SLOW)
  const running = pw.extract(slow, { signal: ac.signal })
  assert.equal(slow.byteLength, 0, 'the bytes were transferred: the document is in the Worker')
  ac.abort()
  await assert.rejects(running, isDom('AbortError'))
  await exited
  assert.notEqual(pw.worker, old, 'a new Worker took over')
  const next = await pw.extract(corpusFile('pdfs/sample_contract.pdf'))
  assert.deepEqual(next, expected(pith, 'pdfs/sample_contract.pdf'))
  assert.ok(next.content.includes('PROFESSIONAL SERVICES AGREEMENT'), next.content.slice(0, 200))
  console.log(`worker: aborted ${SLOW} in flight, then ${next.content.length} chars of sample_contract.pdf`)

  // The abort reason is what the promise rejects with.
  const again = new AbortController()
  const reason = new Error('the user closed the tab')
  const p = pw.extract(corpusFile(SLOW), { signal: again.signal })
  again.abort(reason)
  await assert.rejects(p, (e) => e === reason)
  assert.ok((await pw.extract(corpusText('german_text.txt'))).content.includes('Dies ist ein deutscher Text'))
})

test('timeout: a TimeoutError terminates the running extraction; the next document extracts normally', GUARD, async (t) => {
  const { pw, pith } = await setup(t)
  await pw.extract(corpusText('french_text.txt'))
  const old = pw.worker
  t.after(() => old.terminate()) // a no-op unless a failure left it running
  const exited = once(old, 'exit')
  await assert.rejects(pw.extract(corpusFile(SLOW), { timeout: 1 }),
    (e) => isDom('TimeoutError')(e) && /longer than 1 ms/.test(e.message))
  await exited
  assert.notEqual(pw.worker, old)
  const next = await pw.extract(corpusFile('documents/lorem_ipsum.docx'))
  assert.deepEqual(next, expected(pith, 'documents/lorem_ipsum.docx'))
  assert.ok(next.content.startsWith('Lorem ipsum dolor sit amet'), next.content.slice(0, 100))
  // A timeout that is not reached changes nothing.
  const memo = await pw.extract(corpusFile('pdfs/fake_memo.pdf'), { timeout: 600_000 })
  assert.ok(memo.content.includes('200 laptops'), memo.content)
  console.log(`worker: timed out ${SLOW}, then ${next.content.length} chars of lorem_ipsum.docx`)
})

test('documents wait their turn; cancelling a waiting one leaves the running one alone', async (t) => {
  const { pw, pith } = await setup(t)
  await pw.extract(corpusText('french_text.txt'))
  const worker = pw.worker
  const html = 'web/taylor_swift.html'
  const running = pw.extract(corpusFile(html))
  const ac = new AbortController()
  const bytes = corpusText('german_text.txt')
  const waiting = pw.extract(bytes, { signal: ac.signal })
  const third = pw.extract(corpusText('spanish_text.txt'), { timeout: 600_000 })
  assert.equal(bytes.byteLength, corpusText('german_text.txt').length, 'a waiting document is not sent yet')
  ac.abort()
  await assert.rejects(waiting, isDom('AbortError'))
  const r = await running
  assert.deepEqual(r, expected(pith, html))
  assert.ok(r.content.includes('Taylor Swift'), r.content.slice(0, 200))
  assert.deepEqual(await third, expected(pith, 'text/spanish_text.txt'))
  assert.equal(pw.worker, worker, 'the Worker was not replaced')
})

test('an already aborted signal rejects at once and keeps the bytes with the caller', async (t) => {
  const { pw } = await setup(t)
  const bytes = corpusText('french_text.txt')
  await assert.rejects(pw.extract(bytes, { signal: AbortSignal.abort() }), isDom('AbortError'))
  assert.ok(bytes.byteLength > 0, 'not transferred')
  assert.ok((await pw.extract(bytes)).content.includes('Ceci est un texte français'))
})

test('bytes: a whole buffer is transferred, a part of one copied, shared memory shared', async (t) => {
  const { pw, pith } = await setup(t)
  const bytes = corpusText('norwich_city.txt')
  const want = pith.extract(bytes).content

  const whole = bytes.slice()
  assert.equal((await pw.extract(whole)).content, want)
  assert.equal(whole.byteLength, 0, 'transferred (detached in the caller)')
  const ab = bytes.slice().buffer
  assert.equal((await pw.extract(ab)).content, want)
  assert.equal(ab.byteLength, 0)

  const padded = new Uint8Array(bytes.length + 10)
  padded.set(bytes, 5)
  assert.equal((await pw.extract(padded.subarray(5, 5 + bytes.length))).content, want)
  assert.equal((await pw.extract(new DataView(padded.buffer, 5, bytes.length))).content, want)
  assert.deepEqual(padded.subarray(5, 5 + bytes.length), bytes, 'a part of a buffer is copied, never detached')

  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length))
  shared.set(bytes)
  assert.equal((await pw.extract(shared)).content, want)
  assert.deepEqual(shared, bytes)

  // WebAssembly memory cannot be detached: it is copied instead. 64 KiB of text exactly.
  const memory = new WebAssembly.Memory({ initial: 1 })
  const page = new TextEncoder().encode('a line of text\n'.repeat(4096).padEnd(65536, '.'))
  new Uint8Array(memory.buffer).set(page)
  assert.equal((await pw.extract(memory.buffer)).content, pith.extract(page).content)
  assert.equal(memory.buffer.byteLength, 65536)
})

test('a Worker that dies mid-document fails it with INTERNAL; the next document works', GUARD, async (t) => {
  const { pw } = await setup(t)
  await pw.extract(corpusText('french_text.txt'))
  const old = pw.worker
  t.after(() => old.terminate()) // a no-op unless a failure left it running
  const p = pw.extract(corpusFile(SLOW))
  await old.terminate() // from outside: as if it crashed
  await assert.rejects(p, (e) => isError('INTERNAL')(e) && /worker failed/.test(e.message))
  assert.ok((await pw.extract(corpusText('german_text.txt'))).content.includes('Dies ist ein deutscher Text'))
  assert.notEqual(pw.worker, old)
})

test('close() rejects the running and waiting documents and later calls with BAD_HANDLE', GUARD, async (t) => {
  const { pw } = await setup(t)
  await pw.extract(corpusText('french_text.txt'))
  const old = pw.worker
  t.after(() => old.terminate()) // a no-op unless a failure left it running
  const exited = once(old, 'exit')
  const running = assert.rejects(pw.extract(corpusFile(SLOW)), isError('BAD_HANDLE'))
  const waiting = assert.rejects(pw.extract(corpusText('german_text.txt')), isError('BAD_HANDLE'))
  await pw.close()
  await exited
  await running
  await waiting
  await assert.rejects(pw.extract('x'), isError('BAD_HANDLE'))
  assert.equal(pw.worker, null)
  await pw.close() // twice is fine
})
