// One command for the loader's runtime tests: `node js-glue/runtimes/run.mjs`.
//
// Installs what it needs (this folder's pinned packages with `npm ci`: deno, bun, workerd,
// playwright-core, esbuild; Debian's chromium with apt-get when it is missing and we are root),
// then runs suite.mjs unchanged in Node, Deno, Bun, headless Chromium (a page served on
// localhost) and workerd (a Worker answering local requests), and the demo page's browser test.
// Prints each runtime's version and counts, and closes with one "N passed, N failed" line.
//
//   --setup   install only     --only=node,deno,bun,chromium,workerd,demo   a subset
//   --serve   serve the repository (and so demo/) on localhost until stopped
// Environment: PITH_CHROMIUM (a Chromium binary), PITH_CORPUS (the corpus documents folder).
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const glue = resolve(here, '..')
const root = resolve(glue, '..')
const corpus = resolve(process.env.PITH_CORPUS || join(root, '../shared/corpus/documents'))
const out = join(root, 'target/runtimes')
const demoOut = join(root, 'target/demo-test')
const WASM = join(root, 'dist/pith-complete.wasm')
const bin = (name) => join(here, 'node_modules/.bin', name)
const log = (line) => console.log(`[runtimes] ${line}`)

const args = process.argv.slice(2)
const only = (args.find((a) => a.startsWith('--only=')) || '').slice(7).split(',').filter(Boolean)
const wanted = (name) => !only.length || only.includes(name)

// ---- setup ----------------------------------------------------------------------------------

function sh (cmd, argv, opts = {}) {
  log(`$ ${cmd} ${argv.join(' ')}`)
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.error || 'exit ' + r.status})`)
}

/** `npm ci` here unless every pinned package is installed at its pinned version. */
function ensurePackages () {
  const pins = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).devDependencies
  const installed = (name) => {
    try {
      return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version
    } catch {
      return null
    }
  }
  const stale = Object.entries(pins).filter(([name, v]) => installed(name) !== v)
  const linked = existsSync(join(here, 'node_modules/@pith/wasm/package.json'))
  if (stale.length || !linked || !['deno', 'bun', 'workerd'].every((b) => existsSync(bin(b)))) {
    sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here })
  }
}

function findChromium () {
  const candidates = [process.env.PITH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  return candidates.find((p) => p && existsSync(p))
}

/** Debian's chromium, installed with apt-get when missing (as root; otherwise say how). */
function ensureChromium () {
  let path = findChromium()
  if (path) return path
  if (process.getuid && process.getuid() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    sh('apt-get', ['update'], { env })
    sh('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env })
    path = findChromium()
  }
  if (!path) throw new Error('Chromium is missing: apt-get install chromium (as root), or set PITH_CHROMIUM')
  return path
}

/** The package ships pith.wasm (npm's prepack copies it): the tests use the same copy. */
function stageWasm () {
  if (!existsSync(WASM)) throw new Error(`${WASM} is missing: build it first (cargo xtask dist)`)
  const dest = join(glue, 'pith.wasm')
  if (!existsSync(dest) || !readFileSync(dest).equals(readFileSync(WASM))) copyFileSync(WASM, dest)
  if (!existsSync(join(corpus, 'text/french_text.txt'))) throw new Error(`the shared corpus is not at ${corpus}`)
}

// ---- a static server on localhost: the repository at /, the corpus at /corpus/ ---------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png'
}

async function serve () {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    const [base, rel] = path.startsWith('/corpus/') ? [corpus, path.slice(8)] : [root, path.slice(1)]
    const file = normalize(join(base, rel))
    if (!(file + sep).startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store'
    })
    createReadStream(file).pipe(res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${server.address().port}/` }
}

// ---- runtimes -------------------------------------------------------------------------------

/** Run a child, echo its output with a prefix, and take its `RESULT {json}` line. */
function child (name, cmd, argv, { timeout = 120_000, cwd = here } = {}) {
  return new Promise((resolve) => {
    // No update checks or telemetry: the tests reach nothing but localhost.
    const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' }
    const p = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let result
    let buf = ''
    const onData = (d) => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7))
        else console.log(`[${name}] ${line}`)
      }
    }
    p.stdout.on('data', onData)
    p.stderr.on('data', onData)
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout)
    p.on('error', (e) => console.log(`[${name}] ${e.message}`))
    p.on('close', (code) => {
      clearTimeout(timer)
      if (buf) console.log(`[${name}] ${buf}`)
      resolve(result && code === 0 ? result : { ...(result || { passed: 0, notInBuild: 0 }), failed: (result?.failed || 0) || 1, exit: code })
    })
  })
}

const version = (cmd, argv) => spawnSync(cmd, argv, { encoding: 'utf8' }).stdout.trim().split('\n')[0]

async function chromiumSuite (browser, base) {
  const page = await browser.newPage()
  page.on('console', (m) => console.log(`[chromium] ${m.text()}`))
  page.on('pageerror', (e) => console.log(`[chromium] page error: ${e.message}`))
  await page.goto(base + 'js-glue/runtimes/browser.html')
  await page.waitForFunction(() => window.pithReport, null, { timeout: 60_000 })
  const report = await page.evaluate(() => window.pithReport)
  if (report.error) console.log(`[chromium] ${report.error}`)
  await page.close()
  return report
}

/** The demo page, driven as a person would: pick a file, read what it shows, screenshot. */
async function demoTest (browser, base) {
  const lines = []
  let passed = 0
  let failed = 0
  const check = async (name, f) => {
    try {
      await f()
      passed++
      lines.push(`ok - ${name}`)
    } catch (e) {
      failed++
      lines.push(`FAIL - ${name}: ${e.message}`)
    }
    console.log(`[demo] ${lines.at(-1)}`)
  }
  const expect = (cond, message) => {
    if (!cond) throw new Error(message)
  }
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  page.on('pageerror', (e) => console.log(`[demo] page error: ${e.message}`))
  await page.goto(base + 'demo/index.html')
  await check('the demo loads the module and shows its size and formats', async () => {
    await page.waitForFunction(() => document.querySelector('#module').textContent.includes('KB'), null, { timeout: 30_000 })
    const info = await page.textContent('#module')
    expect(/pith-complete\.wasm/.test(info), `module line: ${info}`)
    expect(info.includes('text/plain'), `formats: ${info}`)
  })
  await check('extracting french_text.txt through the file input shows its text', async () => {
    await page.setInputFiles('#file', join(corpus, 'text/french_text.txt'))
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('ms'), null, { timeout: 30_000 })
    const md = await page.textContent('#markdown')
    const text = await page.textContent('#text')
    expect(md.includes('Ceci est un texte français pour tester la détection de langue.'), `Markdown view: ${md.slice(0, 200)}`)
    expect(text.includes('Ceci est un texte français pour tester la détection de langue.'), `text view: ${text.slice(0, 200)}`)
    const meta = await page.textContent('#metadata')
    expect(meta.includes('word_count') && meta.includes('23'), `metadata: ${meta}`)
    const status = await page.textContent('#status')
    expect(/french_text\.txt.*text\/plain.*\d+(\.\d+)? ms/s.test(status), `status: ${status}`)
  })
  await check('a larger document streams in pieces; a corrupt one shows a typed error', async () => {
    await page.setInputFiles('#file', join(corpus, 'text/norwich_city.txt'))
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('norwich_city.txt') &&
      document.querySelector('#status').textContent.includes('ms'), null, { timeout: 30_000 })
    const text = await page.textContent('#text')
    expect(text.includes('Iwan Roberts'), `text view: ${text.slice(0, 200)}`)
    const pieces = await page.$$eval('#pages > section', (s) => s.length)
    expect(pieces >= 1, 'the pages view has content')
    const status = await page.textContent('#status')
    expect(/\d+ records/.test(status), `status: ${status}`)
    await page.setInputFiles('#file', { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n\x00\x01garbage') })
    await page.waitForFunction(() => /broken\.pdf.*(PithError|ms)/.test(document.querySelector('#status').textContent), null, { timeout: 30_000 })
    const err = await page.textContent('#status')
    expect(/PithError (UNSUPPORTED|CORRUPT)/.test(err), `status after a corrupt file: ${err}`)
    await page.setInputFiles('#file', join(corpus, 'text/german_text.txt'))
    await page.waitForFunction(() => document.querySelector('#text').textContent.includes('Dies ist ein deutscher Text'), null, { timeout: 30_000 })
  })
  let notInBuild = 0
  if ((await page.textContent('#module')).includes('text/html')) {
    await check('simple_table.html: Markdown, text, metadata and the tables view', async () => {
      await page.setInputFiles('#file', join(corpus, 'web/simple_table.html'))
      await page.waitForFunction(() => /simple_table\.html.*ms/.test(document.querySelector('#status').textContent), null, { timeout: 30_000 })
      const md = await page.textContent('#markdown')
      expect(md.includes('# Sample Data Table') && md.includes('| Laptop | Electronics | $999.99 | 25 |'), `Markdown view: ${md.slice(0, 300)}`)
      const text = await page.textContent('#text')
      expect(text.includes('Laptop\tElectronics\t$999.99\t25'), `text view: ${text.slice(0, 300)}`)
      const cells = await page.$$eval('#tables td', (tds) => tds.map((td) => td.textContent))
      expect(cells.includes('Laptop') && cells.includes('258 units'), `table cells: ${cells.join('|')}`)
      expect((await page.textContent('#metadata')).includes('Simple Table Test'), 'the title in the metadata')
    })
  } else {
    notInBuild++
    console.log('[demo] not in this build - simple_table.html (the module does not read text/html)')
  }
  await page.screenshot({ path: join(demoOut, 'screenshot.png'), fullPage: true })
  await page.close()
  console.log(`[demo] screenshot: ${join(demoOut, 'screenshot.png')}`)
  return { passed, failed, notInBuild }
}

async function workerdSuite (base) {
  const dir = join(out, 'workerd')
  mkdirSync(dir, { recursive: true })
  // Bundle as wrangler does: the exports map's "workerd" condition, the .wasm kept a module.
  const esbuild = await import('esbuild')
  await esbuild.build({
    entryPoints: [join(here, 'worker.mjs')],
    bundle: true,
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['*.wasm'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'warning'
  })
  copyFileSync(join(glue, 'pith.wasm'), join(dir, 'pith.wasm'))
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .pith),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const pith :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "pith.wasm", wasm = embed "pith.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`)
  const proc = spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout.on('data', (d) => process.stdout.write(`[workerd] ${d}`))
  proc.stderr.on('data', (d) => process.stdout.write(`[workerd] ${d}`))
  const worker = `http://127.0.0.1:${port}/`
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      try {
        if ((await fetch(worker + 'info')).ok) break
      } catch {}
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('workerd did not start')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    // The suite, unchanged, inside the Worker.
    const report = await (await fetch(`${worker}suite?corpus=${encodeURIComponent(base + 'corpus/')}`)).json()
    for (const line of report.lines) console.log(`[workerd] ${line}`)
    // And the Worker as a service: documents POSTed by a local client.
    const checks = []
    const check = async (name, f) => {
      try {
        await f()
        checks.push(`ok - ${name}`)
      } catch (e) {
        checks.push(`FAIL - ${name}: ${e.message}`)
      }
      console.log(`[workerd] ${checks.at(-1)}`)
    }
    const expect = (cond, message) => {
      if (!cond) throw new Error(message)
    }
    const doc = (p) => readFileSync(join(corpus, p))
    const info = await (await fetch(worker + 'info')).json()
    await check('POST /extract: french_text.txt answers the extraction JSON', async () => {
      const res = await fetch(worker + 'extract', { method: 'POST', body: doc('text/french_text.txt') })
      const r = await res.json()
      expect(res.status === 200, `HTTP ${res.status}`)
      expect(r.content.includes('Ceci est un texte français pour tester la détection de langue.'), r.content)
      expect(r.mime_type === 'text/plain' && r.metadata.word_count === 23, JSON.stringify(r.metadata))
    })
    await check('POST /extract: a corrupt PDF is a typed error (422), and the next request works', async () => {
      const pdf = doc('pdf/simple.pdf')
      const broken = Buffer.concat([pdf.subarray(0, pdf.indexOf(0x0a) + 1), Buffer.alloc(4096, 0xa5)])
      const res = await fetch(worker + 'extract', { method: 'POST', body: broken })
      const { error } = await res.json()
      const hasPdf = (info.features & (1 << 16)) !== 0
      expect(res.status === 422 && error.codeName === (hasPdf ? 'CORRUPT' : 'UNSUPPORTED'), JSON.stringify(error))
      const next = await (await fetch(worker + 'extract?mime=text/plain', { method: 'POST', body: doc('text/german_text.txt') })).json()
      expect(next.content.includes('Dies ist ein deutscher Text'), next.content)
    })
    await check('POST /stream: norwich_city.txt as NDJSON records, text equal to /extract', async () => {
      const body = doc('text/norwich_city.txt')
      const lines = (await (await fetch(worker + 'stream', { method: 'POST', body })).text()).trim().split('\n').map((l) => JSON.parse(l))
      const whole = await (await fetch(worker + 'extract', { method: 'POST', body })).json()
      expect(lines[0].type === 'document', JSON.stringify(lines[0]))
      const texts = lines.filter((r) => r.type === 'text')
      expect(texts.length > 5, `${texts.length} text records`)
      expect(texts.map((r) => r.text).join('') === whole.content, 'streamed text differs')
      expect(whole.content.includes('Iwan Roberts'), 'content')
    })
    const extra = checks.filter((l) => l.startsWith('ok')).length
    return { passed: report.passed + extra, failed: report.failed + checks.length - extra, notInBuild: report.notInBuild }
  } finally {
    proc.kill('SIGTERM')
  }
}

// ---- main -----------------------------------------------------------------------------------

async function main () {
  const started = Date.now()
  ensurePackages()
  const chromiumPath = wanted('chromium') || wanted('demo') ? ensureChromium() : null
  if (args.includes('--setup')) {
    log('setup done')
    return 0
  }
  stageWasm()
  mkdirSync(demoOut, { recursive: true })
  const { server, base } = await serve()
  if (args.includes('--serve')) {
    log(`serving the repository at ${base} (the demo: ${base}demo/), the corpus at ${base}corpus/; Ctrl-C stops`)
    return new Promise(() => {})
  }
  const rows = []
  const record = async (name, ver, f) => {
    if (!wanted(name)) return
    const t = Date.now()
    let r
    try {
      r = await f()
    } catch (e) {
      console.log(`[${name}] error: ${e.stack || e}`)
      r = { passed: 0, failed: 1, notInBuild: 0 }
    }
    rows.push({ name, version: typeof ver === 'function' ? await ver() : ver, ...r, seconds: ((Date.now() - t) / 1000).toFixed(1) })
  }
  try {
    await record('node', `node ${process.versions.node}`, () => child('node', process.execPath, ['host.mjs', corpus]))
    await record('deno', () => version(bin('deno'), ['--version']), () =>
      child('deno', bin('deno'), ['run', '--no-prompt', '--allow-read', '--allow-env', 'host.mjs', corpus]))
    await record('bun', () => `bun ${version(bin('bun'), ['--version'])}`, () => child('bun', bin('bun'), ['host.mjs', corpus]))
    if (wanted('chromium') || wanted('demo')) {
      const { chromium } = await import('playwright-core')
      const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] })
      try {
        await record('chromium', `chromium ${browser.version()} (headless, playwright-core)`, () => chromiumSuite(browser, base))
        await record('demo', `chromium ${browser.version()}: demo/index.html`, () => demoTest(browser, base))
      } finally {
        await browser.close()
      }
    }
    await record('workerd', () => version(bin('workerd'), ['--version']), () => workerdSuite(base))
  } finally {
    server.close()
  }
  console.log('\nruntime suite (js-glue/runtimes/suite.mjs), corpus documents from ' + corpus)
  console.log('| runtime | version | passed | failed | not in this build | seconds |')
  console.log('|---|---|---:|---:|---:|---:|')
  for (const r of rows) console.log(`| ${r.name} | ${r.version} | ${r.passed} | ${r.failed} | ${r.notInBuild} | ${r.seconds} |`)
  const passed = rows.reduce((n, r) => n + r.passed, 0)
  const failed = rows.reduce((n, r) => n + r.failed, 0)
  log(`${rows.length} suites in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log(`runtimes: ${passed} passed, ${failed} failed`)
  return failed ? 1 : 0
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[runtimes] error: ${e.stack || e}`)
  process.exit(1)
})
