// The demo page's script: no framework, no bundler; the loader is imported as it ships.
// Serve the repository root (e.g. `node js-glue/runtimes/run.mjs --serve`) and open /demo/.
import { load, PithError } from '../js-glue/pith.mjs'

const $ = (id) => document.getElementById(id)
const kb = (n) => (n / 1024).toFixed(1) + ' KB'
const ms = (t) => (t < 10 ? t.toFixed(2) : t.toFixed(0)) + ' ms'
const paint = () => new Promise((resolve) => requestAnimationFrame(() => resolve()))
let pith
let busy = Promise.resolve()

/** The module: dist/pith-<preset>.wasm as `cargo xtask dist` builds it, else the package's copy. */
async function loadModule (preset) {
  $('module').textContent = 'loading the module…'
  const started = performance.now()
  let url = new URL(`../dist/pith-${preset}.wasm`, import.meta.url)
  let res = await fetch(url)
  if (!res.ok) res = await fetch((url = new URL('../js-glue/pith.wasm', import.meta.url)))
  if (!res.ok) throw new Error(`no module at ${url.pathname} (build it with cargo xtask dist)`)
  const bytes = await res.arrayBuffer()
  pith = await load(bytes)
  const took = performance.now() - started
  const gz = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
  $('module').textContent = `${url.pathname.split('/').pop()}: ${kb(bytes.byteLength)} (${kb(gz.byteLength)} gzip), ` +
    `compiled and instantiated in ${ms(took)}; reads ${pith.mimeTypes().join(', ')}`
}

function clear () {
  for (const id of ['markdown', 'text', 'warnings']) $(id).textContent = ''
  $('pages').replaceChildren()
  $('metadata').replaceChildren()
  $('tables').replaceChildren()
}

function renderTable (t) {
  const table = document.createElement('table')
  for (const row of t.cells) {
    const tr = table.insertRow()
    for (const cell of row) tr.insertCell().textContent = cell
  }
  const caption = table.createCaption()
  caption.className = 'muted'
  caption.textContent = t.page_number ? `page ${t.page_number}` : `table ${$('tables').children.length + 1}`
  return table
}

function addMetadata (key, value) {
  const tr = $('metadata').insertRow()
  tr.appendChild(document.createElement('th')).textContent = key
  tr.insertCell().textContent = typeof value === 'string' ? value : JSON.stringify(value)
}

/** Extract one file: the stream (Markdown) fills the pages, metadata, tables and warnings as
 * records arrive; extract() with format 'text' gives the text view. */
async function extract (file) {
  clear()
  $('status').className = ''
  $('status').textContent = `${file.name}: reading…`
  const bytes = new Uint8Array(await file.arrayBuffer())
  let records = 0
  let markdown = ''
  let page = null
  const section = (title) => {
    page = document.createElement('section')
    page.appendChild(document.createElement('h3')).textContent = title
    page.appendChild(document.createElement('pre'))
    $('pages').appendChild(page)
    return page
  }
  const started = performance.now()
  let mime = ''
  let painted = performance.now()
  try {
    for await (const rec of pith.stream(bytes, { chunkSize: 16384 })) {
      records++
      if (rec.type === 'document') mime = rec.mime_type
      else if (rec.type === 'page') section(`page ${rec.page_number}`)
      else if (rec.type === 'text') {
        markdown += rec.text
        ;(page || section('content')).lastChild.textContent += rec.text
      } else if (rec.type === 'metadata') addMetadata(rec.key, rec.value)
      else if (rec.type === 'table') $('tables').appendChild(renderTable(rec))
      else if (rec.type === 'warning') $('warnings').textContent += `${rec.source}: ${rec.message}\n`
      if (performance.now() - painted > 30) {
        $('status').textContent = `${file.name}: ${records} records so far…`
        await paint() // let the pages appear one by one
        painted = performance.now()
      }
    }
    const streamed = performance.now() - started
    const t0 = performance.now()
    const plain = pith.extract(bytes, { format: 'text' })
    const whole = performance.now() - t0
    $('markdown').textContent = markdown || '(no text)'
    $('text').textContent = plain.content || '(no text)'
    if (!$('tables').children.length) $('tables').textContent = 'none'
    if (!$('warnings').textContent) $('warnings').textContent = 'none'
    $('status').textContent = `${file.name}: ${kb(bytes.length)}, ${mime}, ${records} records streamed in ${ms(streamed)}; ` +
      `extract() as text in ${ms(whole)}`
  } catch (e) {
    $('status').className = 'error'
    $('status').textContent = e instanceof PithError
      ? `${file.name}: PithError ${e.codeName} (${e.code}): ${e.message}`
      : `${file.name}: ${e}`
  }
}

const run = (f) => (busy = busy.then(f, f))
$('file').addEventListener('change', () => $('file').files[0] && run(() => extract($('file').files[0])))
$('preset').addEventListener('change', () => run(() => loadModule($('preset').value).catch((e) => {
  $('module').textContent = String(e)
})))
const drop = $('drop')
drop.addEventListener('dragover', (e) => {
  e.preventDefault()
  drop.classList.add('over')
})
drop.addEventListener('dragleave', () => drop.classList.remove('over'))
drop.addEventListener('drop', (e) => {
  e.preventDefault()
  drop.classList.remove('over')
  const file = e.dataTransfer.files[0]
  if (file) run(() => extract(file))
})
run(() => loadModule('complete').catch((e) => {
  $('module').textContent = String(e)
}))
