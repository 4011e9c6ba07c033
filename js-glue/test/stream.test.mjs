// stream(): records, chunking, and cleanup on early exit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PithError } from '../pith.mjs'
import { collect, corpusText, loadPith, settledHeap, strictUtf8, utf8 } from '../testing/helpers.mjs'

const textOf = (records) => records.filter((r) => r.type === 'text').map((r) => r.text).join('')

test('records: document first, text equal to extract().content, metadata as key/value', async () => {
  const pith = await loadPith()
  const bytes = corpusText('norwich_city.txt')
  const records = await collect(pith.stream(bytes))
  assert.deepEqual(records[0], { type: 'document', mime_type: 'text/plain' })
  assert.equal(records.filter((r) => r.type === 'document').length, 1)
  const r = pith.extract(bytes)
  assert.equal(textOf(records), r.content)
  const meta = Object.fromEntries(records.filter((x) => x.type === 'metadata').map((x) => [x.key, x.value]))
  assert.deepEqual(meta, r.metadata)
  assert.equal(meta.format_type, 'text')
  for (const rec of records) {
    assert.ok(['document', 'text', 'page', 'metadata', 'table', 'image', 'warning'].includes(rec.type), rec.type)
  }
})

test('chunkSize bounds every text record, in UTF-8 bytes, never splitting a character', async () => {
  const pith = await loadPith()
  const docs = [
    corpusText('french_text.txt'),
    corpusText('german_text.txt'),
    corpusText('norwich_city.txt'),
    utf8.encode('Emoji 😀 and ünïcödé, 中文文本, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 '.repeat(300))
  ]
  for (const doc of docs) {
    const whole = pith.extract(doc).content
    for (const chunkSize of [4, 5, 6, 7, 16, 100, 1000, 4096, undefined]) {
      const records = await collect(pith.stream(doc, { chunkSize }))
      const texts = records.filter((r) => r.type === 'text')
      assert.equal(texts.map((r) => r.text).join(''), whole, `chunkSize ${chunkSize}`)
      for (const { text } of texts) {
        const bytes = utf8.encode(text)
        assert.ok(bytes.length <= (chunkSize ?? 65536), `${bytes.length} > ${chunkSize}`)
        assert.ok(bytes.length > 0, 'no empty text record')
        assert.equal(strictUtf8.decode(bytes), text, 'valid UTF-8')
      }
      if (chunkSize && utf8.encode(whole).length > 2 * chunkSize) {
        assert.ok(texts.length > 1, `chunkSize ${chunkSize} split the text`)
      }
    }
  }
})

test('chunkSize 1 to 3 is INVALID_ARGUMENT, and the stream is still freed', async () => {
  const pith = await loadPith()
  const x = pith.exports
  pith.extract(corpusText('report.txt'))
  const base = settledHeap(x)
  for (const chunkSize of [1, 2, 3]) {
    await assert.rejects(collect(pith.stream(corpusText('report.txt'), { chunkSize })),
      (e) => e instanceof PithError && e.codeName === 'INVALID_ARGUMENT')
  }
  assert.equal(settledHeap(x), base)
})

test('errors surface on the first next() and free the document', async () => {
  const pith = await loadPith()
  const x = pith.exports
  // Warm up: the module's table of host blocks grows to the most ever live at once, and stays.
  await collect(pith.stream('warm', { mime: 'text/plain', password: 'p' }))
  const base = settledHeap(x)
  await assert.rejects(collect(pith.stream('hello', { mime: 'application/x-unknown' })),
    (e) => e instanceof PithError && e.codeName === 'UNSUPPORTED')
  await assert.rejects(collect(pith.stream(utf8.encode('%PDF-1.7\n'), { mime: 'text/plain' })),
    (e) => e instanceof PithError && e.codeName === 'MIME_MISMATCH')
  assert.equal(settledHeap(x), base)
  assert.ok(textOf(await collect(pith.stream(corpusText('french_text.txt')))).includes('Ceci est un texte français'))
})

test('early break and return() close the stream and free the document', async () => {
  const pith = await loadPith()
  const x = pith.exports
  const doc = corpusText('norwich_city.txt')
  await collect(pith.stream(doc, { chunkSize: 64 }))
  const base = settledHeap(x)

  let seen = 0
  for await (const rec of pith.stream(doc, { chunkSize: 64 })) {
    if (rec.type === 'text' && ++seen === 3) break
  }
  assert.equal(seen, 3)
  assert.equal(settledHeap(x), base)

  const it = pith.stream(doc, { chunkSize: 64 })
  assert.equal((await it.next()).value.type, 'document')
  assert.notEqual(x.arena_reset(), 0, 'the open stream blocks arena_reset (IN_USE)')
  assert.deepEqual(await it.return(), { value: undefined, done: true })
  assert.equal(settledHeap(x), base)

  // A consumer that throws inside the loop also closes the stream.
  await assert.rejects((async () => {
    for await (const rec of pith.stream(doc)) if (rec.type === 'text') throw new Error('consumer')
  })(), /consumer/)
  assert.equal(settledHeap(x), base)
})

test('several streams can be open at once', async () => {
  const pith = await loadPith()
  const a = pith.stream(corpusText('french_text.txt'), { chunkSize: 16 })
  const b = pith.stream(corpusText('german_text.txt'), { chunkSize: 16 })
  const ta = []
  const tb = []
  for (;;) {
    const [ra, rb] = [await a.next(), await b.next()]
    if (!ra.done && ra.value.type === 'text') ta.push(ra.value.text)
    if (!rb.done && rb.value.type === 'text') tb.push(rb.value.text)
    if (ra.done && rb.done) break
  }
  assert.equal(ta.join(''), pith.extract(corpusText('french_text.txt')).content)
  assert.equal(tb.join(''), pith.extract(corpusText('german_text.txt')).content)
})

test('warning and metadata records match the result (Windows-1252 and UTF-16 input)', async () => {
  const pith = await loadPith()
  const latin1 = new Uint8Array([...utf8.encode('na'), 0xef, ...utf8.encode('ve caf'), 0xe9, 0x0a])
  const r = pith.extract(latin1)
  assert.equal(r.content, 'naïve café\n')
  assert.equal(r.metadata.encoding, 'windows-1252')
  assert.equal(r.warnings.length, 1)
  const records = await collect(pith.stream(latin1))
  const warnings = records.filter((x) => x.type === 'warning')
  assert.deepEqual(warnings.map(({ type, ...w }) => w), r.warnings)
  assert.equal(typeof warnings[0].message, 'string')
  assert.ok(records.some((x) => x.type === 'metadata' && x.key === 'encoding' && x.value === 'windows-1252'))

  const text = 'ħello wörld 😀\r\nsecond line\n'
  const le = new Uint8Array(2 + text.length * 2)
  le.set([0xff, 0xfe])
  for (let i = 0; i < text.length; i++) new DataView(le.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true)
  const u16 = pith.extract(le)
  assert.equal(u16.content, 'ħello wörld 😀\nsecond line\n')
  assert.equal(u16.metadata.encoding, 'UTF-16LE')
  assert.equal(u16.metadata.word_count, 5)
  assert.equal(u16.metadata.line_count, 2)
})
