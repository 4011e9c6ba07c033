// One measurement in a fresh process: `node worker.mjs '<json job>'`. Prints one JSON line
// per result on stdout (fixtures mode: one per case, as each finishes, so the parent can
// resume after a timeout). run.mjs spawns it, enforces the timeout and memory cap, and
// collects the lines.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { ADAPTERS } from './adapters.mjs'
import { check } from './conformance.mjs'

const job = JSON.parse(process.argv[2])
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const rssMB = () => process.resourceUsage().maxRSS / 1024 // maxRSS is in KiB on Linux
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null
}
const errInfo = (e) => ({
  status: e && e.unsupported ? 'unsupported' : 'error',
  code: (e && (e.codeName || e.code)) || null,
  message: String((e && e.message) || e).split('\n')[0].slice(0, 300)
})

async function loadPeer () {
  const a = ADAPTERS[job.peer]
  const t0 = performance.now()
  const ctx = await a.load(job)
  return { a, ctx, loadMs: performance.now() - t0 }
}

async function measure () {
  const bytes = new Uint8Array(readFileSync(job.file))
  const rss0 = rssMB()
  const { a, ctx, loadMs } = await loadPeer()
  const base = { peer: job.peer, loadMs, rssBeforeLoadMB: rss0 }
  let r
  const t0 = performance.now()
  try {
    r = await a.extract(ctx, bytes, job.mime) // warm-up (its time is reported as firstMs)
  } catch (e) {
    return say({ ...base, ...errInfo(e), peakRssMB: rssMB() })
  }
  const firstMs = performance.now() - t0
  const times = []
  const cpu = [] // CPU time of the process (all its threads) per run: steadier than wall time on a loaded machine
  const start = performance.now()
  while (times.length < job.repeats && (times.length === 0 || performance.now() - start < job.budgetMs)) {
    const c0 = process.cpuUsage()
    const t = performance.now()
    r = await a.extract(ctx, bytes, job.mime)
    times.push(performance.now() - t)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const text = r.text || ''
  if (job.out) {
    mkdirSync(dirname(job.out), { recursive: true })
    writeFileSync(job.out, text)
  }
  say({
    ...base,
    status: 'ok',
    firstMs,
    medianMs: median(times),
    minMs: Math.min(...times),
    cpuMs: median(cpu),
    runs: times.length,
    peakRssMB: rssMB(),
    wasmMemMB: a.memory ? (a.memory(ctx) ?? null) / 2 ** 20 || null : null,
    chars: text.length,
    mime: r.mime || null
  })
}

// The batch benchmark: the same documents, `iterations` times, through pith's batch path
// (extract each, close, free; arena_reset after every batch), heap and memory size before
// and after.
async function batch () {
  const docs = job.docs.map((d) => ({ ...d, bytes: new Uint8Array(readFileSync(d.file)) }))
  const { ctx, loadMs } = await loadPeer()
  const x = () => ctx.pith.exports
  const snap = () => ({ heapLive: x().heap_live(), memoryBytes: x().memory.buffer.byteLength, rssMB: rssMB() })
  const before = snap()
  const times = []
  let afterFirst = null
  let chars = 0
  for (let i = 0; i < job.iterations; i++) {
    const t = performance.now()
    chars = 0
    for (const d of docs) chars += ctx.pith.extract(d.bytes, { mime: d.mime, format: ctx.format }).content.length
    const rc = x().arena_reset()
    times.push(performance.now() - t)
    if (rc !== 0) return say({ status: 'error', message: `arena_reset returned ${rc}` })
    if (i === 0) afterFirst = snap()
  }
  const after = snap()
  const sorted = [...times].sort((a, b) => a - b)
  say({
    status: 'ok',
    loadMs,
    documents: docs.length,
    iterations: times.length,
    firstMs: times[0],
    medianMs: median(times),
    p95Ms: sorted[Math.floor(0.95 * (sorted.length - 1))],
    totalMs: times.reduce((s, t) => s + t, 0),
    charsPerBatch: chars,
    before,
    afterFirst,
    after,
    peakRssMB: rssMB()
  })
}

// Conformance: each fixture case in turn, one JSON line each; `skip` resumes after a timeout.
async function fixtures () {
  const { a, ctx } = await loadPeer()
  for (const c of job.cases.slice(job.skip || 0)) {
    say({ id: c.id, started: true })
    let line
    try {
      const r = await a.extract(ctx, new Uint8Array(readFileSync(c.abs)), c.mime)
      const fails = check(c.assertions, r)
      line = { id: c.id, status: fails.length ? 'fail' : 'pass', reasons: fails, chars: (r.text || '').length, mime: r.mime || null }
    } catch (e) {
      const info = errInfo(e)
      line = { id: c.id, status: 'fail', reasons: [`${info.status === 'unsupported' ? '' : 'error '}${info.message}`], code: info.code }
    }
    say(line)
  }
  say({ done: true })
}

async function info () {
  const { ctx, loadMs } = await loadPeer()
  say({ mimes: ctx.mimes, features: ctx.pith.features(), abiVersion: ctx.pith.abiVersion, loadMs })
}

const modes = { measure, batch, fixtures, info, baseline: async () => say({ peakRssMB: rssMB() }) }
await modes[job.mode]()
