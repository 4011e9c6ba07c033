// The loader's runtime suite: the same cases, unchanged, in Node, Deno, Bun, headless Chromium
// and workerd. It imports only the harness; the runtime's entry hands it
//   open()     -> a Pith, loaded the way that runtime loads it (bytes, URL, imported Module),
//   PithError  -> the class from the same loader,
//   read(path) -> the bytes of a shared corpus document (path under corpus/documents/).
// Cases assert real extracted text from real corpus documents. A case for a format this build
// lacks (features() has no bit for it) ends as "not in this build": listed, never silent.
import { assert, harness } from './harness.mjs'

/** PITH_FEATURE_* bits of abi/pith.h and each family's canonical MIME type. */
export const FAMILIES = [
  ['text', 1 << 0, 'text/plain'],
  ['html', 1 << 1, 'text/html'],
  ['markdown', 1 << 2, 'text/markdown'],
  ['json', 1 << 3, 'application/json'],
  ['yaml', 1 << 4, 'application/yaml'],
  ['toml', 1 << 5, 'application/toml'],
  ['xml', 1 << 6, 'application/xml'],
  ['csv', 1 << 7, 'text/csv'],
  ['docx', 1 << 10, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xlsx', 1 << 11, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['pptx', 1 << 12, 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['odt', 1 << 13, 'application/vnd.oasis.opendocument.text'],
  ['ods', 1 << 14, 'application/vnd.oasis.opendocument.spreadsheet'],
  ['odp', 1 << 15, 'application/vnd.oasis.opendocument.presentation'],
  ['pdf', 1 << 16, 'application/pdf']
]
/** Bits that are capabilities, not formats (encodings, CJK, the wee_alloc comparison build). */
const OTHER_BITS = (1 << 8) | (1 << 9) | (1 << 30)
const bit = (name) => FAMILIES.find((f) => f[0] === name)[1]

/** Plain-text documents of the corpus with a phrase each must yield. */
export const TEXT_DOCS = [
  ['text/french_text.txt', 'Ceci est un texte français pour tester la détection de langue.'],
  ['text/german_text.txt', 'Dies ist ein deutscher Text für Tests der Spracherkennung.'],
  ['text/spanish_text.txt', 'Este es un texto en español para probar la detección de idioma.'],
  ['text/book_war_and_peace_1p.txt', '"Well, Prince, so Genoa and Lucca are now just family estates of the'],
  ['text/norwich_city.txt', 'Iwan Roberts'],
  ['text/report.txt', 'Annual Report 2024'],
  ['text/invoice_test.txt', 'Invoice Number: 12345'],
  ['text/fake_text.txt', 'Hamburgers are delicious'],
  ['text/contract_test.txt', 'This agreement is between Party A and Party B.']
]

/** One case per format family beyond plain text: [family, document, declared MIME or
 * undefined (sniffed), phrases the content must hold, extra check of the result]. */
export const FORMAT_DOCS = [
  ['html', 'web/html.html', undefined, ['Build a future where people live in harmony with nature.']],
  ['html', 'web/simple_table.html', 'text/html', ['Sample Data Table', 'Summary Statistics'], (r) => {
    assert.ok(r.tables.length >= 1, 'a table')
    assert.ok(r.tables[0].cells.flat().includes('Laptop'), 'a cell holds Laptop')
    assert.includes(r.tables[0].markdown, 'Laptop')
  }],
  ['markdown', 'text/readme.md', 'text/markdown', ['Example Docs', 'A 10-K SEC filing in HTML format']],
  ['json', 'data_formats/simple.json', undefined, ['These are a few of my favorite things:']],
  ['yaml', 'data_formats/simple.yaml', 'application/yaml', ['a drop of golden sun', 'a pear tree']],
  ['xml', 'xml/simple_note.xml', undefined, ["Don't forget me this weekend!", 'Tove']],
  ['csv', 'spreadsheets/stanley_cups.csv', 'text/csv', ['Maple Leafs'], (r) => {
    assert.ok(r.tables.length >= 1, 'a table')
    assert.ok(r.tables[0].cells.flat().includes('Maple Leafs'), 'a cell holds Maple Leafs')
  }],
  ['docx', 'extraction_test.docx', undefined, ['Comprehensive Extraction Test Document', 'This is a regular text paragraph in the first section.']],
  ['xlsx', 'spreadsheets/stanley_cups.xlsx', undefined, ['Maple Leafs']],
  ['pptx', 'presentations/simple.pptx', undefined, ['Things to think about', 'Where have all the flowers gone?']],
  ['odt', 'odt/paragraph.odt', undefined, ['This is a paragraph.', 'This is a third one.']],
  ['pdf', 'pdf/simple.pdf', undefined, ['Langmuir', 'stainless'], (r) => {
    assert.ok(Array.isArray(r.pages) && r.pages.length >= 1, 'pages')
    assert.equal(r.pages[0].page_number, 1)
  }]
]

/** What the text extractor makes of a UTF-8 document: BOM gone, LF line endings, no C0
 * controls but tab and LF. Counts as the module defines them (Rust's lines, split_whitespace). */
const cleanText = (s) => s.replace(/^\ufeff/, '').replace(/\r\n?|\f/g, '\n').replace(/[\x00-\x08\x0b-\x1f]/g, '')
const lineCount = (s) => (s.match(/\n/g) || []).length + (s && !s.endsWith('\n') ? 1 : 0)
const wordCount = (s) => s.split(/\p{White_Space}+/u).filter(Boolean).length
const utf8 = new TextEncoder()
const strict = new TextDecoder('utf-8', { fatal: true })

const collect = async (it) => {
  const out = []
  for await (const r of it) out.push(r)
  return out
}

export function suite ({ open, PithError, read }) {
  const { test, run } = harness()
  const isPith = (codeName) => (e) => e instanceof PithError && e.codeName === codeName &&
    typeof e.code === 'number' && e.message.length > 0
  let shared
  const pith = async () => (shared ??= await open())
  const french = async (p) => {
    const r = p.extract(await read('text/french_text.txt'))
    assert.includes(r.content, 'Ceci est un texte français', 'the next call works')
  }

  test('load: ABI version 1; features() and mimeTypes() agree', async () => {
    const p = await pith()
    assert.equal(p.abiVersion, 1)
    const f = p.features()
    const mimes = p.mimeTypes()
    assert.equal(f & 1, 1, 'PITH_FEATURE_TEXT')
    assert.ok(mimes.length > 0 && mimes.every((m) => /^[a-z]+\/[a-z0-9.+-]+$/.test(m)), mimes.join())
    assert.equal(new Set(mimes).size, mimes.length, 'no duplicate MIME type')
    let known = OTHER_BITS
    for (const [name, b, mime] of FAMILIES) {
      known |= b
      assert.equal(mimes.includes(mime), (f & b) !== 0, `${name}: ${mime} listed iff the feature bit is set`)
    }
    assert.equal(f & ~known, 0, 'no unknown feature bit')
  })

  test('plain text: french_text.txt, content and metadata', async () => {
    const p = await pith()
    const bytes = await read('text/french_text.txt')
    const r = p.extract(bytes, { mime: 'text/plain' })
    assert.includes(r.content, 'Ceci est un texte français pour tester la détection de langue.')
    assert.equal(r.content, cleanText(strict.decode(bytes)))
    assert.equal(r.mime_type, 'text/plain')
    assert.equal(r.metadata.format_type, 'text')
    assert.equal(r.metadata.line_count, 2)
    assert.equal(r.metadata.word_count, 23)
    assert.deepEqual(r.tables, [])
    assert.deepEqual(r.warnings, [])
  })

  test(`plain text: ${TEXT_DOCS.length} corpus documents, sniffed, content and counts`, async () => {
    const p = await pith()
    for (const [path, phrase] of TEXT_DOCS) {
      const bytes = await read(path)
      const text = cleanText(strict.decode(bytes))
      const r = p.extract(bytes)
      assert.equal(r.mime_type, 'text/plain', path)
      assert.includes(r.content, phrase, path)
      assert.equal(r.content, text, path)
      assert.equal(r.metadata.line_count, lineCount(text), path)
      assert.equal(r.metadata.word_count, wordCount(text), path)
    }
  })

  test('a Markdown document read as plain text (text/plain)', async () => {
    const p = await pith()
    const bytes = await read('text/readme.md')
    const r = p.extract(bytes, { mime: 'text/plain', format: 'text' })
    assert.equal(r.mime_type, 'text/plain')
    assert.includes(r.content, '## Example Docs')
    assert.includes(r.content, '- `example-10k.html` - A 10-K SEC filing in HTML format')
    assert.equal(r.content, cleanText(strict.decode(bytes)))
  })

  test('stream: document first, text equal to extract(), metadata, chunks within chunkSize', async () => {
    const p = await pith()
    const bytes = await read('text/norwich_city.txt')
    const whole = p.extract(bytes)
    const recs = await collect(p.stream(bytes, { chunkSize: 1024 }))
    assert.deepEqual(recs[0], { type: 'document', mime_type: 'text/plain' })
    const texts = recs.filter((r) => r.type === 'text')
    assert.ok(texts.length > 10, `${texts.length} text records`)
    assert.ok(texts.every((t) => utf8.encode(t.text).length <= 1024), 'chunkSize bounds every text record')
    assert.equal(texts.map((t) => t.text).join(''), whole.content)
    const meta = Object.fromEntries(recs.filter((r) => r.type === 'metadata').map((r) => [r.key, r.value]))
    assert.deepEqual(meta, whole.metadata)
    let seen = 0
    for await (const r of p.stream(bytes, { chunkSize: 64 })) if (r.type === 'text' && ++seen === 2) break
    assert.equal(p.exports.arena_reset(), 0, 'break closed the stream (arena_reset is not IN_USE)')
  })

  test('options: format text, images/notes/comments flags, limits, password', async () => {
    const p = await pith()
    const bytes = await read('text/german_text.txt')
    const base = p.extract(bytes).content
    assert.includes(base, 'Dies ist ein deutscher Text')
    for (const o of [{ format: 'text' }, { images: true }, { notes: true }, { comments: true },
      { images: true, notes: true, comments: true, format: 'text', password: 'x', limits: { maxPages: 5 } }]) {
      assert.equal(p.extract(bytes, o).content, base, JSON.stringify(o))
    }
    await assert.throws(() => p.extract(bytes, { limits: { maxInput: 10 } }), isPith('LIMIT'))
    await assert.throws(() => p.extract(bytes, { format: 'html' }), isPith('INVALID_ARGUMENT'))
    await french(p)
  })

  test('errors: typed PithError on unsupported, corrupt and mislabelled files; the next call works', async () => {
    const p = await pith()
    await assert.throws(() => p.extract(utf8.encode('hello'), { mime: 'application/x-unknown' }),
      (e) => isPith('UNSUPPORTED')(e) && e.code === -4, 'unknown MIME type')
    await french(p)
    // A real PDF's header line, then 4 KB of bytes >= 0x80 (so no object, xref or trailer
    // anywhere): CORRUPT where PDF is compiled in, UNSUPPORTED (naming the type) where not.
    const pdf = await read('pdf/simple.pdf')
    const header = pdf.indexOf(0x0a) + 1
    const broken = new Uint8Array(header + 4096)
    broken.set(pdf.subarray(0, header))
    for (let i = header; i < broken.length; i++) broken[i] = 0x80 | ((i * 7919) & 0x7f)
    const hasPdf = (p.features() & bit('pdf')) !== 0
    const e = await assert.throws(() => p.extract(broken), isPith(hasPdf ? 'CORRUPT' : 'UNSUPPORTED'), 'corrupt PDF')
    if (!hasPdf) assert.includes(e.message, 'application/pdf')
    await french(p)
    await assert.throws(() => p.extract(pdf, { mime: 'text/plain' }),
      (e) => isPith('MIME_MISMATCH')(e) && e.code === -10, 'a PDF declared as text/plain')
    await french(p)
    await assert.throws(() => collect(p.stream(broken)), isPith(hasPdf ? 'CORRUPT' : 'UNSUPPORTED'), 'stream')
    await assert.throws(() => p.extract(42), isPith('BAD_POINTER'))
    await french(p)
    assert.equal(p.exports.arena_reset(), 0, 'no stream left open by the errors')
  })

  test('zero copy: a PithBuffer filled in place', async () => {
    const p = await pith()
    const bytes = await read('text/spanish_text.txt')
    const buf = p.buffer(bytes.length)
    buf.view().set(bytes)
    const r = p.extract(buf)
    assert.includes(r.content, 'Este es un texto en español')
    assert.deepEqual(r, p.extract(bytes))
    buf.free()
    await assert.throws(() => buf.view(), isPith('BAD_POINTER'))
  })

  test('a second instance from the same source works alongside the first', async () => {
    const a = await pith()
    const b = await open()
    assert.equal(b.extract('second instance').content, 'second instance')
    await french(a)
  })

  for (const [family, path, mime, phrases, check] of FORMAT_DOCS) {
    test(`${family}: ${path}`, async (t) => {
      const p = await pith()
      if (!(p.features() & bit(family))) t.notInBuild(`features() has no ${family.toUpperCase()} bit`)
      const bytes = await read(path)
      const r = p.extract(bytes, mime ? { mime } : undefined)
      const canonical = FAMILIES.find((f) => f[0] === family)[2]
      assert.equal(r.mime_type, mime || canonical, path)
      for (const phrase of phrases) assert.includes(r.content, phrase, path)
      if (check) check(r)
      const streamed = (await collect(p.stream(bytes, mime ? { mime, chunkSize: 4096 } : { chunkSize: 4096 })))
        .filter((x) => x.type === 'text').map((x) => x.text).join('')
      assert.equal(streamed, r.content, 'stream and extract agree')
    })
  }

  return { run }
}
