// extract() on real text documents of the shared corpus, and its errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PithError } from '../pith.mjs'
import { corpusText, corpusTextNames, loadPith, settledHeap, strictUtf8, utf8 } from '../testing/helpers.mjs'

/** What the text extractor returns for a UTF-8 document: line breaks normalised to \n, other
 * C0 controls but the tab dropped, a BOM stripped. */
export const cleanText = (s) => s.replace(/^\ufeff/, '').replace(/\r\n?|\f/g, '\n').replace(/[\x00-\x08\x0b-\x1f]/g, '')
/** Counts as the module defines them (Rust's str::lines and char::is_whitespace). */
export const lineCount = (s) => (s.match(/\n/g) || []).length + (s && !s.endsWith('\n') ? 1 : 0)
export const wordCount = (s) => s.split(/\p{White_Space}+/u).filter(Boolean).length

const isError = (codeName) => (e) => {
  assert.ok(e instanceof PithError, `expected a PithError, got ${e}`)
  assert.equal(e.codeName, codeName, e.message)
  assert.equal(typeof e.code, 'number')
  assert.ok(e.message.length > 0)
  return true
}

test('french_text.txt: content and metadata', async () => {
  const pith = await loadPith()
  const bytes = corpusText('french_text.txt')
  const text = strictUtf8.decode(bytes)
  const r = pith.extract(bytes, { mime: 'text/plain' })
  assert.ok(r.content.includes('Ceci est un texte français'), r.content)
  assert.equal(r.content, cleanText(text))
  assert.equal(r.mime_type, 'text/plain')
  assert.equal(r.metadata.format_type, 'text')
  assert.equal(r.metadata.line_count, lineCount(r.content))
  assert.equal(r.metadata.word_count, wordCount(r.content))
  assert.equal(r.metadata.line_count, 2)
  assert.equal(r.metadata.word_count, 23)
  assert.deepEqual(r.tables, [])
  assert.deepEqual(r.warnings, [])
  for (const field of ['content', 'mime_type', 'metadata', 'tables', 'pages', 'warnings']) {
    assert.ok(field in r, `result has ${field}`)
  }
})

test('every .txt document of the corpus: content and counts equal what the test computes', async () => {
  const pith = await loadPith()
  const names = corpusTextNames()
  assert.ok(names.length >= 10, 'the corpus has text documents')
  for (const name of names) {
    const bytes = corpusText(name)
    const text = cleanText(strictUtf8.decode(bytes))
    const sniffed = pith.extract(bytes)
    assert.equal(sniffed.mime_type, 'text/plain', name)
    assert.equal(sniffed.content, text, name)
    assert.equal(sniffed.metadata.format_type, 'text', name)
    assert.equal(sniffed.metadata.line_count, lineCount(text), name)
    assert.equal(sniffed.metadata.word_count, wordCount(text), name)
    // A string input is encoded into module memory and reads the same.
    assert.deepEqual(pith.extract(strictUtf8.decode(bytes), { mime: 'text/plain' }), sniffed, name)
  }
})

test('features() has the text bit; mimeTypes() lists text/plain', async () => {
  const pith = await loadPith()
  assert.equal(pith.features() & 1, 1)
  const mimes = pith.mimeTypes()
  assert.ok(Array.isArray(mimes) && mimes.includes('text/plain'), mimes.join())
  assert.ok(mimes.every((m) => m.length > 0 && m.includes('/')))
})

test('the caller\'s buffer is neither changed nor detached', async () => {
  const pith = await loadPith()
  const bytes = corpusText('german_text.txt')
  const copy = bytes.slice()
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  const abCopy = new Uint8Array(ab.slice(0))
  const padded = new Uint8Array(bytes.length + 10)
  padded.set(bytes, 5)
  const expected = pith.extract(bytes).content
  assert.equal(pith.extract(ab).content, expected)
  assert.equal(pith.extract(padded.subarray(5, 5 + bytes.length)).content, expected)
  assert.equal(pith.extract(new DataView(padded.buffer, 5, bytes.length)).content, expected)
  assert.deepEqual(bytes, copy)
  assert.equal(ab.byteLength, copy.length)
  assert.deepEqual(new Uint8Array(ab), abCopy)
  assert.deepEqual(padded.subarray(5, 5 + bytes.length), copy)
})

test('format: markdown by default, text on request; empty input', async () => {
  const pith = await loadPith()
  const t = 'line one\r\nline two\n'
  assert.equal(pith.extract(t, { format: 'text' }).content, 'line one\nline two\n')
  assert.equal(pith.extract(t, { format: 'markdown' }).content, 'line one\nline two\n')
  const empty = pith.extract('', { mime: 'text/plain' })
  assert.equal(empty.content, '')
  assert.equal(empty.metadata.word_count, 0)
  assert.equal(pith.extract(new Uint8Array(0), { mime: 'text/plain' }).content, '')
})

test('errors are typed PithErrors and the next call works', async () => {
  const pith = await loadPith()
  const ok = () => assert.ok(pith.extract(corpusText('french_text.txt')).content.includes('Ceci est un texte français'))
  assert.throws(() => pith.extract('hello', { mime: 'application/x-unknown' }),
    (e) => isError('UNSUPPORTED')(e) && e.code === -4 && e.message.includes('not in this build'))
  ok()
  const pdf = utf8.encode('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n')
  assert.throws(() => pith.extract(pdf, { mime: 'text/plain' }), (e) => isError('MIME_MISMATCH')(e) && e.code === -10)
  ok()
  assert.throws(() => pith.extract('hello', { mime: 'not a mime type' }), isError('INVALID_ARGUMENT'))
  ok()
  assert.throws(() => pith.extract('hello', { format: 'html' }), isError('INVALID_ARGUMENT'))
  assert.throws(() => pith.extract('hello', { limits: { maxPages: -1 } }), isError('INVALID_ARGUMENT'))
  assert.throws(() => pith.extract('hello', { limits: { maxDepth: 1.5 } }), isError('INVALID_ARGUMENT'))
  assert.throws(() => pith.extract('hello', { limits: { maxObjects: 2 ** 32 } }), isError('INVALID_ARGUMENT'))
  assert.throws(() => pith.extract(42), isError('BAD_POINTER'))
  assert.throws(() => pith.extract({ ptr: 8, length: 4 }), isError('BAD_POINTER'))
  ok()
})

test('limits reach the module: maxInput and maxOutput', async () => {
  const pith = await loadPith()
  const doc = 'word '.repeat(1000)
  assert.throws(() => pith.extract(doc, { limits: { maxInput: 100 } }), isError('LIMIT'))
  assert.throws(() => pith.extract(doc, { limits: { maxOutput: 100 } }), isError('LIMIT'))
  assert.equal(pith.extract(doc, { limits: { maxInput: 5000, maxOutput: 5000 } }).content, doc)
  assert.equal(pith.extract(doc, { limits: { maxInput: 0 } }).content, doc, '0 is the default')
})

test('a password makes a config longer than the words and is accepted for plain text', async () => {
  const pith = await loadPith()
  assert.equal(pith.extract('plain', { password: 'sésame' }).content, 'plain')
  assert.equal(pith.extract('plain', { password: 'sésame', format: 'text', limits: { maxPages: 3 } }).content, 'plain')
})

test('memory returns to its baseline after extract, success or failure', async () => {
  const pith = await loadPith()
  const x = pith.exports
  pith.extract(corpusText('norwich_city.txt'))
  const base = settledHeap(x)
  pith.extract(corpusText('norwich_city.txt'), { password: 'p', limits: { maxPages: 9 } })
  assert.throws(() => pith.extract('x', { mime: 'application/x-unknown', password: 'p' }))
  assert.throws(() => pith.extract('x', { format: 'bogus' }))
  assert.equal(settledHeap(x), base)
})
