#!/usr/bin/env node
// The benchmark: pith and its peers on the same documents, in the same run.
//
//   node bench/run.mjs [--quick] [--peers pith,kreuzberg,...] [--formats html,pdf,...]
//                      [--docs SUBSTRING,...] [--no-native] [--no-batch] [--no-conformance]
//                      [--no-readme | --readme] [--module dist/pith-complete.wasm] [--timeout 60]
//                      [--fixture-timeout 30] [--mem-cap 4096] [--repeats 5] [--iterations 1000]
//
// Installs its own peers (npm ci in bench/), builds dist/ when it is missing (cargo xtask
// dist) and the native `pith` CLI when it is missing (cargo build --release -p pith-host), then
// writes bench/results/{results.json,README.md} and, after a complete run (no --quick and no
// subset), the summary block of the README.
// See bench/README.md for what is measured and how.

import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, symlinkSync, statSync, mkdtempSync } from 'node:fs'
import { join, dirname, basename, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import os from 'node:os'

const LOADAVG_START = os.loadavg()
const loadSamples = []
setInterval(() => loadSamples.push(os.loadavg()[0]), 5000).unref()
const BENCH = dirname(fileURLToPath(import.meta.url))
const ROOT = dirname(BENCH)

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(name)
const opt = (name, dflt) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='))
  if (i < 0) return dflt
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1]
}
if (flag('-h') || flag('--help')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'))
  process.exit(0)
}
const QUICK = flag('--quick')
const list = (s) => (s ? String(s).split(',').map((x) => x.trim()).filter(Boolean) : null)
const O = {
  quick: QUICK,
  peers: list(opt('--peers')),
  formats: list(opt('--formats')),
  docs: list(opt('--docs')),
  native: !flag('--no-native'),
  batch: !flag('--no-batch'),
  conformance: !flag('--no-conformance'),
  // The README block only from a complete run (a subset would quote partial numbers there),
  // unless --readme asks for it.
  readme: flag('--readme') || (!flag('--no-readme') && !QUICK && !['--peers', '--formats', '--docs', '--no-native', '--no-batch', '--no-conformance', '--module'].some((f) => argv.some((a) => a === f || a.startsWith(f + '=')))),
  corpus: opt('--corpus', join(ROOT, '..', 'shared', 'corpus')),
  scorer: opt('--scorer', join(ROOT, '..', 'shared', 'tools', 'score')),
  module: opt('--module', join(ROOT, 'dist', 'pith-complete.wasm')),
  timeoutS: Number(opt('--timeout', QUICK ? 30 : 60)),
  fixtureTimeoutS: Number(opt('--fixture-timeout', QUICK ? 20 : 30)),
  memCapMB: Number(opt('--mem-cap', 4096)),
  repeats: Number(opt('--repeats', QUICK ? 2 : 5)),
  budgetMs: QUICK ? 1500 : 5000,
  iterations: Number(opt('--iterations', QUICK ? 50 : 1000)),
  out: opt('--out', join(BENCH, 'results'))
}
O.module = O.module.startsWith('/') ? O.module : join(process.cwd(), O.module)

const { ADAPTERS } = await importAfterSetup()
const { DOCUMENTS, BATCH, mimeOf, formatOf, supportedAs } = await import('./documents.mjs')
const { loadFixtures, outOfScope } = await import('./conformance.mjs')
const { shippedSizes } = await import('./sizes.mjs')

const NODE_PEERS = Object.keys(ADAPTERS)
const NATIVE_PEERS = ['pith-wasmtime', 'pdftotext']
const PEERS = (O.peers || [...NODE_PEERS, ...NATIVE_PEERS]).filter((p) => {
  if (NODE_PEERS.includes(p) || NATIVE_PEERS.includes(p)) return O.native || !NATIVE_PEERS.includes(p)
  console.error(`unknown peer ${p} (known: ${[...NODE_PEERS, ...NATIVE_PEERS].join(', ')})`)
  process.exit(2)
})
const LABEL = { ...Object.fromEntries(NODE_PEERS.map((p) => [p, ADAPTERS[p].label])), 'pith-wasmtime': 'pith (wasmtime, native CLI)', pdftotext: 'pdftotext (poppler, native)' }
const log = (...a) => console.error('[bench]', ...a)

// ---------------------------------------------------------------- setup

async function importAfterSetup () {
  if (!existsSync(join(BENCH, 'node_modules', '.package-lock.json'))) {
    console.error('[bench] installing the peers: npm ci in bench/')
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: 'inherit' })
  }
  if (!existsSync(O.module)) {
    console.error(`[bench] ${relative(ROOT, O.module)} is missing: cargo xtask dist`)
    execFileSync('cargo', ['xtask', 'dist'], { cwd: ROOT, stdio: 'inherit' })
  }
  return import('./adapters.mjs')
}

function nativeTools () {
  const t = { pith: null, pdftotext: null, notes: [] }
  if (PEERS.includes('pith-wasmtime')) {
    const bin = join(ROOT, 'target', 'release', 'pith')
    if (!existsSync(bin)) {
      log('building the native pith CLI once: cargo build --release -p pith-host --bin pith')
      const r = spawnSync('cargo', ['build', '--release', '-p', 'pith-host', '--bin', 'pith'], { cwd: ROOT, stdio: 'inherit' })
      if (r.status !== 0) t.notes.push('pith-wasmtime skipped: `cargo build --release -p pith-host` failed')
    }
    if (existsSync(bin)) t.pith = bin
  }
  if (PEERS.includes('pdftotext')) {
    const r = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' })
    if (r.error) t.notes.push('pdftotext skipped: not installed (apt-get install -y poppler-utils)')
    else t.pdftotext = { bin: 'pdftotext', version: (r.stderr || r.stdout).split('\n')[0].trim() }
  }
  return t
}

// ---------------------------------------------------------------- child processes

/** Runs a worker or native helper; kills it past the timeout or the memory cap. */
// With `perLine`, the timeout restarts at every line the child prints (a per-case timeout for
// the fixtures worker, which prints a line as each case starts); `firstMs` is the first one's.
function runChild (cmd, args, { timeoutMs = O.timeoutS * 1000, onLine, perLine = false, firstMs = timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: BENCH, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines = []
    let buf = ''
    let stderr = ''
    let end = null
    let polledPeakMB = 0
    child.stdout.on('data', (d) => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i)
        buf = buf.slice(i + 1)
        if (!l.trim()) continue
        let v
        try {
          v = JSON.parse(l)
        } catch {
          continue
        }
        lines.push(v)
        if (onLine) onLine(v)
        if (perLine) {
          clearTimeout(timer)
          timer = setTimeout(kill, timeoutMs)
        }
      }
    })
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000)
    })
    const kill = () => {
      end = 'timeout'
      child.kill('SIGKILL')
    }
    let timer = setTimeout(kill, firstMs)
    const poll = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        const mb = m ? Number(m[1]) / 1024 : 0
        polledPeakMB = Math.max(polledPeakMB, mb)
        if (mb > O.memCapMB) {
          end = 'memory cap'
          child.kill('SIGKILL')
        }
      } catch {}
    }, 200)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      clearInterval(poll)
      resolve({ lines, end: end || (code === 0 ? 'ok' : `exit ${code ?? signal}`), stderr: stderr.trim(), polledPeakMB })
    })
  })
}

const worker = (job, o) => runChild(process.execPath, [join(BENCH, 'worker.mjs'), JSON.stringify(job)], o)
const native = (job, o) => runChild('python3', [join(BENCH, 'native.py'), JSON.stringify({ timeout: O.timeoutS, ...job })], { timeoutMs: O.timeoutS * 1000 * ((job.repeats || 1) + 1), ...o })

// ---------------------------------------------------------------- the run

const started = Date.now()
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && isFinite(x)).sort((a, b) => a - b)
  const n = s.length
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null
}
const outDir = join(O.out, 'out')
rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
const tools = nativeTools()

// What this pith module reads, asked of the module itself.
const infoRun = await worker({ mode: 'info', peer: 'pith', module: O.module })
const info = infoRun.lines[0]
if (!info) {
  console.error('cannot load the pith module', O.module, infoRun.stderr)
  process.exit(1)
}
log(`module ${relative(ROOT, O.module)} reads: ${info.mimes.join(', ')}`)
const baseline = (await worker({ mode: 'baseline' })).lines[0]

// The documents.
const docs = DOCUMENTS.map((d) => {
  const abs = join(O.corpus, 'documents', d.path)
  const ref = join(O.corpus, 'references', d.path + '.ref.txt')
  return { ...d, abs, format: formatOf(d.path), mime: mimeOf(d.path), present: existsSync(abs), bytes: existsSync(abs) ? statSync(abs).size : null, ref: existsSync(ref) ? ref : null }
}).filter((d) => (!O.formats || O.formats.includes(d.format)) && (!O.docs || O.docs.some((s) => d.path.includes(s))))

const cells = [] // one per (document, peer)
const outFile = (peer, d) => join(outDir, peer, d.path + '.txt')

for (const d of docs) {
  if (!d.present) {
    for (const peer of PEERS) cells.push({ doc: d.path, format: d.format, peer, status: 'absent' })
    continue
  }
  for (const peer of PEERS) {
    const cell = { doc: d.path, format: d.format, peer }
    cells.push(cell)
    const a = ADAPTERS[peer]
    if (a && a.formats && !a.formats.includes(d.format)) {
      cell.status = 'n/a'
      continue
    }
    if ((peer === 'pith' || peer === 'pith-wasmtime') && !supportedAs(d.mime, info.mimes)) {
      cell.status = 'unsupported'
      cell.code = 'UNSUPPORTED'
      cell.message = `${d.mime} not in this build's mime_types()`
      continue
    }
    if (peer === 'pdftotext' && d.format !== 'pdf') {
      cell.status = 'n/a'
      continue
    }
    const t0 = Date.now()
    if (a) {
      const r = await worker({ mode: 'measure', peer, file: d.abs, mime: d.mime, module: O.module, repeats: O.repeats, budgetMs: O.budgetMs, out: outFile(peer, d) })
      const line = r.lines[0]
      if (line) Object.assign(cell, line)
      else Object.assign(cell, { status: r.end === 'ok' ? 'error' : r.end, message: r.end === 'ok' ? 'no result' : r.stderr.split('\n').slice(-1)[0], peakRssMB: r.polledPeakMB || null })
      if (line && r.end !== 'ok' && line.status === 'ok') cell.status = r.end
    } else if (peer === 'pith-wasmtime') {
      Object.assign(cell, await measurePithNative(d, tools))
    } else if (peer === 'pdftotext') {
      Object.assign(cell, await measurePdftotext(d, tools))
    }
    log(`${d.path} ${peer}: ${cell.status}${cell.medianMs != null ? ` ${cell.medianMs.toFixed(2)} ms` : ''}${cell.message ? ' ' + cell.message : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }
}

// Native pith: the `pith` CLI (wasmtime) is a whole process per call, so it is timed from
// outside: A = wall of one file, B = wall of the same file given 1 + K times (as K symlinks
// with other names) in one call; extraction = (B - A) / K, startup (process + compile +
// instantiate + read/write) = A - extraction.
async function measurePithNative (d, tools) {
  if (!tools.pith) return { status: 'skipped', message: tools.notes.join('; ') || 'no pith CLI' }
  const mime = supportedAs(d.mime, info.mimes)
  const tmp = mkdtempSync(join(os.tmpdir(), 'pith-bench-'))
  try {
    // Enough copies that they take ~300 ms by pith's time in Node for the same document, so
    // the difference stands out of process-start noise (at least 4, at most 200).
    const js = cells.find((c) => c.doc === d.path && c.peer === 'pith' && c.status === 'ok')
    const K = Math.max(O.quick ? 2 : 4, Math.min(200, Math.ceil(300 / Math.max(0.5, js ? js.medianMs : 50))))
    const links = [d.abs]
    for (let i = 0; i < K; i++) {
      const l = join(tmp, `copy${i}_${basename(d.abs)}`)
      symlinkSync(d.abs, l)
      links.push(l)
    }
    const base = [tools.pith, 'extract', '--format', 'text', '--mime', mime, '--module', O.module, '--jobs', '1', '--out', join(tmp, 'out')]
    const reps = O.quick ? 2 : 3
    const one = (await native({ cmd: [...base, d.abs], repeats: reps })).lines[0]
    if (!one || one.status !== 'ok') return { status: one ? one.status : 'error', message: one && one.stderr ? one.stderr.split('\n').slice(-1)[0] : 'native run failed' }
    const many = (await native({ cmd: [...base, ...links], repeats: reps })).lines[0]
    if (!many || many.status !== 'ok') return { status: many ? many.status : 'error', message: many && many.stderr }
    const A = median(one.walls)
    const B = median(many.walls)
    const ex = Math.max(0, (B - A) / K)
    const text = readFileSync(join(tmp, 'out', basename(d.abs) + '.txt'), 'utf8')
    mkdirSync(dirname(outFile('pith-wasmtime', d)), { recursive: true })
    writeFileSync(outFile('pith-wasmtime', d), text)
    return { status: 'ok', loadMs: A - ex, medianMs: ex, runs: reps, copies: K, peakRssMB: Math.max(...one.rssMB, ...many.rssMB), chars: text.replace(/\n$/, '').length, wallOneMs: A }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

async function measurePdftotext (d, tools) {
  if (!tools.pdftotext) return { status: 'skipped', message: 'pdftotext not installed' }
  const out = outFile('pdftotext', d)
  mkdirSync(dirname(out), { recursive: true })
  const r = (await native({ cmd: ['pdftotext', '-enc', 'UTF-8', d.abs, out], repeats: O.quick ? 2 : O.repeats })).lines[0]
  if (!r || r.status !== 'ok') return { status: r ? r.status : 'error', message: r && r.stderr }
  const text = readFileSync(out, 'utf8')
  return { status: 'ok', loadMs: null, medianMs: median(r.walls), runs: r.walls.length, peakRssMB: Math.max(...r.rssMB), chars: text.length }
}

// Word recall / precision / F1 / order against the native references, with the shared scorer.
{
  const scored = cells.filter((c) => c.status === 'ok')
  const pairs = scored.map((c) => {
    const d = docs.find((x) => x.path === c.doc)
    return [d.ref || '/nonexistent', outFile(c.peer, d)]
  })
  if (pairs.length) {
    const r = spawnSync('python3', [join(BENCH, 'score_many.py')], { input: JSON.stringify({ scorer: O.scorer, pairs }), encoding: 'utf8', maxBuffer: 1 << 26 })
    if (r.status !== 0) log('scoring failed:', r.stderr)
    else JSON.parse(r.stdout).forEach((s, i) => { if (s) Object.assign(scored[i], { recall: s.recall, precision: s.precision, f1: s.f1, order: s.order }) })
  }
}

// The batch benchmark.
let batch = null
if (O.batch && PEERS.includes('pith')) {
  const all = BATCH.map((p) => ({ path: p, file: join(O.corpus, 'documents', p), mime: supportedAs(mimeOf(p), info.mimes), present: existsSync(join(O.corpus, 'documents', p)) }))
  const run = all.filter((d) => d.present && d.mime)
  batch = { set: all.map((d) => ({ path: d.path, included: d.present && !!d.mime, why: !d.present ? 'absent' : d.mime ? null : 'unsupported by this build' })) }
  if (run.length) {
    const r = await worker({ mode: 'batch', peer: 'pith', module: O.module, docs: run, iterations: O.iterations }, { timeoutMs: Math.max(120, O.timeoutS * 4) * 1000 })
    Object.assign(batch, r.lines[0] || { status: r.end, message: r.stderr.split('\n').slice(-1)[0] })
  } else batch.status = 'no document of the batch is readable by this build'
  log('batch:', batch.status, batch.medianMs != null ? `${batch.medianMs.toFixed(2)} ms median per batch of ${batch.documents}` : '')
}

// Conformance: every fixture through pith and @kreuzberg/wasm.
let conformance = null
if (O.conformance) {
  const cases = loadFixtures(O.corpus)
  conformance = { cases: cases.map((c) => ({ id: c.id, path: c.path, present: c.present, mime: c.mime })), peers: {} }
  for (const peer of ['pith', 'kreuzberg'].filter((p) => PEERS.includes(p))) {
    const res = {}
    const todo = []
    for (const c of cases) {
      if (!c.present) res[c.id] = { status: 'absent', reasons: [`${c.path} is not in the corpus`] }
      else if (outOfScope(c, peer)) res[c.id] = { status: 'out of scope', reasons: [outOfScope(c, peer)] }
      else todo.push(c)
    }
    let skip = 0
    while (skip < todo.length) {
      let current = null
      // pith is called as its users call it by default (Markdown output), like Kreuzberg.
      const r = await worker({ mode: 'fixtures', peer, module: O.module, pithFormat: 'markdown', cases: todo, skip }, {
        timeoutMs: O.fixtureTimeoutS * 1000,
        perLine: true,
        firstMs: (O.fixtureTimeoutS + 60) * 1000, // the peer's load comes first
        onLine: (l) => {
          if (l.started) current = l.id
          else if (l.id) {
            res[l.id] = l
            current = null
          }
        }
      })
      const done = todo.filter((c) => res[c.id]).length
      if (r.lines.some((l) => l.done)) break
      const stuck = current || (todo.find((c) => !res[c.id]) || {}).id
      if (stuck) res[stuck] = { id: stuck, status: 'fail', reasons: [r.end === 'ok' ? `worker ended: ${r.stderr.split('\n').slice(-1)[0]}` : `${r.end} (${O.fixtureTimeoutS} s / ${O.memCapMB} MB)`] }
      skip = todo.findIndex((c) => !res[c.id])
      if (skip < 0) break
      if (done === 0 && !stuck) break
    }
    for (const c of todo) if (!res[c.id]) res[c.id] = { status: 'fail', reasons: ['no result'] }
    conformance.peers[peer] = res
    const count = (s) => Object.values(res).filter((x) => x.status === s).length
    log(`conformance ${peer}: ${count('pass')} pass, ${count('fail')} fail, ${count('out of scope')} out of scope, ${count('absent')} absent`)
  }
}

const sizes = await shippedSizes({ benchDir: BENCH, root: ROOT, module: O.module, peers: PEERS.filter((p) => NODE_PEERS.includes(p)) })

// ---------------------------------------------------------------- results

const results = {
  date: new Date(started).toISOString(),
  durationS: (Date.now() - started) / 1000,
  command: 'node bench/run.mjs ' + argv.join(' '),
  machine: {
    cpus: os.cpus().length,
    cpu: (os.cpus()[0] || {}).model,
    memGB: os.totalmem() / 2 ** 30,
    loadavgStart: LOADAVG_START,
    loadavgEnd: os.loadavg(),
    loadavg1mMean: loadSamples.length ? loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length : os.loadavg()[0],
    node: process.version,
    platform: `${os.platform()} ${os.release()}`
  },
  options: O,
  module: { path: relative(ROOT, O.module), mimes: info.mimes, features: info.features, abiVersion: info.abiVersion },
  nodeBaselineRssMB: baseline ? baseline.peakRssMB : null,
  versions: peerVersions(),
  nativeNotes: tools.notes,
  pdftotext: tools.pdftotext && tools.pdftotext.version,
  peers: PEERS.map((p) => ({ id: p, label: LABEL[p] })),
  documents: docs.map(({ abs, ref, ...d }) => ({ ...d, hasReference: !!ref })),
  cells,
  batch,
  conformance,
  sizes
}
const { writeReports } = await import('./report.mjs')
writeReports(results, { out: O.out, readme: O.readme ? join(ROOT, 'README.md') : null })
log(`done in ${results.durationS.toFixed(0)} s: ${relative(process.cwd(), join(O.out, 'README.md'))}`)

function peerVersions () {
  const v = {}
  for (const [peer, pkg] of [['kreuzberg', '@kreuzberg/wasm'], ['pdfjs', 'pdfjs-dist'], ['mammoth', 'mammoth'], ['html-to-text', 'html-to-text'], ['officeparser', 'officeparser']]) {
    try {
      v[peer] = JSON.parse(readFileSync(join(BENCH, 'node_modules', pkg, 'package.json'), 'utf8')).version
    } catch {}
  }
  return v
}
