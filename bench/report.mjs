// Turns one run's results into bench/results/results.json, bench/results/README.md (every
// table) and the summary block between <!-- bench:start --> and <!-- bench:end --> in the
// repository README. Every number written here comes from `results`; nothing is typed in.

import { writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

export const TARGETS = { htmlMs: 150, batchMs: 500, memMB: 150, loadMs: 200 }

const num = (x, d = 0) => (x == null || !isFinite(x) ? '—' : Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }))
const ms = (x) => (x == null ? '—' : x < 1 ? num(x, 3) : x < 10 ? num(x, 2) : x < 100 ? num(x, 1) : num(x, 0))
const mb = (x) => (x == null ? '—' : num(x, 1))
const pct = (x) => (x == null ? '—' : num(x * 100, 1) + '%')
const kb = (x) => (x == null ? '—' : x >= 1e6 ? num(x / 2 ** 20, 2) + ' MiB' : num(x / 1024, 1) + ' KiB')
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && isFinite(x)).sort((a, b) => a - b)
  const n = s.length
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)
const geomean = (xs) => (xs.length ? Math.exp(mean(xs.map(Math.log))) : null)
const table = (head, rows, align) => {
  const a = align || head.map((_, i) => (i === 0 ? '---' : '---:'))
  return [`| ${head.join(' | ')} |`, `|${a.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}
const esc = (s) => String(s == null ? '' : s).replace(/\|/g, '\\|').replace(/\n/g, ' ')

function statusText (c) {
  if (c.status === 'ok') return 'ok'
  if (c.status === 'unsupported') return `unsupported${c.code ? ` (${c.code})` : ''}`
  if (c.status === 'error') return `error${c.code ? ` ${c.code}` : ''}: ${esc((c.message || '').slice(0, 80))}`
  return esc(c.status + (c.message ? `: ${c.message.slice(0, 80)}` : ''))
}

/** The derived numbers both reports use. */
export function derive (R) {
  const peers = R.peers.map((p) => p.id)
  const ok = (peer) => R.cells.filter((c) => c.peer === peer && c.status === 'ok')
  const byPeer = {}
  for (const p of peers) {
    const cs = R.cells.filter((c) => c.peer === p && c.status !== 'n/a')
    const oks = ok(p)
    const rec = oks.filter((c) => c.recall != null)
    const conf = R.conformance && R.conformance.peers[p]
    const count = (s) => (conf ? Object.values(conf).filter((x) => x.status === s).length : null)
    byPeer[p] = {
      attempted: cs.filter((c) => c.status !== 'absent').length,
      ok: oks.length,
      loadMs: median(oks.map((c) => c.loadMs)),
      peakRssMB: oks.length ? Math.max(...oks.map((c) => c.peakRssMB || 0)) : null,
      wasmMemMB: oks.some((c) => c.wasmMemMB) ? Math.max(...oks.map((c) => c.wasmMemMB || 0)) : null,
      recall: mean(rec.map((c) => c.recall)),
      f1: mean(rec.map((c) => c.f1)),
      scored: rec.length,
      timeouts: cs.filter((c) => c.status === 'timeout' || c.status === 'memory cap').length,
      conformance: conf ? { pass: count('pass'), fail: count('fail'), outOfScope: count('out of scope'), absent: count('absent') } : null,
      shipped: R.sizes[p] ? R.sizes[p].total : null
    }
  }
  // Per format: peer time / pith time over the documents both read (geometric mean).
  const formats = [...new Set(R.documents.map((d) => d.format))]
  const ratio = {}
  const perFormatMs = {}
  for (const f of formats) {
    ratio[f] = {}
    perFormatMs[f] = {}
    for (const p of peers) {
      const pc = R.cells.filter((c) => c.format === f && c.peer === p && c.status === 'ok')
      perFormatMs[f][p] = pc.length ? { ms: median(pc.map((c) => c.medianMs)), n: pc.length } : null
      if (p === 'pith') continue
      const rs = []
      for (const c of pc) {
        const pith = R.cells.find((x) => x.doc === c.doc && x.peer === 'pith' && x.status === 'ok')
        if (pith && pith.medianMs > 0 && c.medianMs > 0) rs.push(c.medianMs / pith.medianMs)
      }
      ratio[f][p] = rs.length ? { x: geomean(rs), n: rs.length } : null
    }
  }
  // Seed targets.
  const role = (r) => R.documents.find((d) => d.role === r)
  const cell = (doc, peer) => doc && R.cells.find((c) => c.doc === doc.path && c.peer === peer)
  const html = role('html-2.5mb')
  const htmlCell = cell(html, 'pith')
  const b = R.batch
  const pithOk = ok('pith')
  const targets = [
    {
      target: `HTML page of about 2.5 MB (${html ? html.path + ', ' + num(html.bytes) + ' bytes' : 'absent'}) extracted in under ${TARGETS.htmlMs} ms (median wall time)`,
      value: htmlCell && htmlCell.status === 'ok' ? htmlCell.medianMs : null,
      extra: htmlCell && htmlCell.status === 'ok' ? htmlCell.cpuMs : null,
      extraLabel: 'CPU',
      unit: 'ms',
      why: htmlCell && htmlCell.status !== 'ok' ? statusText(htmlCell) : null,
      limit: TARGETS.htmlMs,
      peers: Object.fromEntries(peers.filter((p) => p !== 'pith').map((p) => [p, (cell(html, p) || {}).status === 'ok' ? cell(html, p).medianMs : null]))
    },
    {
      target: `a batch of 10 documents in under ${TARGETS.batchMs} ms (the first batch after load; all 10 must be readable)`,
      value: b && b.status === 'ok' && b.documents === 10 ? b.firstMs : null,
      extra: b && b.status === 'ok' ? b.medianMs : null,
      extraLabel: 'median',
      partial: b && b.status === 'ok' && b.documents !== 10 ? `${b.documents} of 10 readable: first batch ${ms(b.firstMs)} ms, median ${ms(b.medianMs)} ms` : null,
      unit: 'ms',
      why: !b ? 'batch not run' : b.status !== 'ok' ? b.status : b.documents !== 10 ? `only ${b.documents} of the 10 documents are readable by this build` : null,
      limit: TARGETS.batchMs,
      peers: {}
    },
    {
      target: `peak memory under ${TARGETS.memMB} MB (process peak RSS, worst document; Node itself: ${mb(R.nodeBaselineRssMB)} MB)`,
      value: pithOk.length ? Math.max(...pithOk.map((c) => c.peakRssMB)) : null,
      unit: 'MB',
      why: pithOk.length ? null : 'no document read',
      limit: TARGETS.memMB,
      peers: Object.fromEntries(peers.filter((p) => p !== 'pith').map((p) => [p, byPeer[p].peakRssMB]))
    },
    {
      target: `load (import + compile + instantiate + init) under ${TARGETS.loadMs} ms (median over fresh processes)`,
      value: byPeer.pith ? byPeer.pith.loadMs : null,
      unit: 'ms',
      why: byPeer.pith && byPeer.pith.loadMs != null ? null : 'not measured',
      limit: TARGETS.loadMs,
      peers: Object.fromEntries(peers.filter((p) => p !== 'pith').map((p) => [p, byPeer[p].loadMs]))
    }
  ]
  for (const t of targets) t.result = t.value == null ? 'not measured' : t.value < t.limit ? 'pass' : 'fail'
  return { peers, byPeer, formats, ratio, perFormatMs, targets }
}

function header (R, compact) {
  const m = R.machine
  const loaded = m.loadavg1mMean > m.cpus
  return [
    `Run ${R.date.replace('T', ' ').slice(0, 16)} UTC, ${num(R.durationS)} s: \`${R.command.trim()}\`; ` +
      `${m.cpus} cores (${esc(m.cpu)}), load average ${m.loadavgStart.map((x) => x.toFixed(2)).join(' / ')} at the start, ` +
      `${num(m.loadavg1mMean, 2)} (1 min) on average during the run; Node ${m.node}.`,
    `Module \`${R.module.path}\` (ABI ${R.module.abiVersion}) reads ${R.module.mimes.length} MIME types` +
      (compact ? '.' : `: ${R.module.mimes.map((x) => '`' + x + '`').join(', ')}.`),
    ...(loaded
      ? [`**The machine was loaded** (load average ${num(m.loadavg1mMean, 1)} on ${m.cpus} cores during the run): wall-clock times are inflated several-fold and noisy; the CPU-time column of the full results is steadier. Re-run on a quiet machine before quoting times.`]
      : [])
  ].join('\n')
}

function summaryTables (R, D, { compact }) {
  const lines = []
  const peers = D.peers
  const label = Object.fromEntries(R.peers.map((p) => [p.id, p.label]))
  const conf = (p) => {
    const c = D.byPeer[p].conformance
    return c ? `${c.pass} / ${c.fail} / ${c.outOfScope}` : '—'
  }
  lines.push('Per peer: bytes shipped (gzip -9), load time (median over its fresh processes), worst peak RSS of its processes, documents it read of those given to it, mean word recall / F1 against the native references over the documents it read (so over different sets: see the per-format table in the full results), and Kreuzberg\'s e2e fixtures.')
  lines.push('')
  lines.push(table(
    ['peer', 'ships (gzip)', 'load ms', 'peak RSS MB', 'documents read', 'word recall', 'word F1', 'fixtures pass / fail / out of scope'],
    peers.map((p) => {
      const b = D.byPeer[p]
      return [
        label[p],
        b.shipped ? kb(b.shipped.gzip) : p === 'pith-wasmtime' ? '(same .wasm)' : 'native',
        ms(b.loadMs),
        mb(b.peakRssMB),
        `${b.ok} / ${b.attempted}${b.timeouts ? ` (${b.timeouts} timeout)` : ''}`,
        pct(b.recall),
        pct(b.f1),
        conf(p)
      ]
    })
  ))
  lines.push('')
  const others = peers.filter((p) => p !== 'pith')
  const fmts = D.formats.filter((f) => others.some((p) => D.ratio[f][p]) || (D.perFormatMs[f].pith))
  lines.push(`Extraction speed per format: the peer's time divided by pith's (js-glue) on the same documents, geometric mean; above 1 means pith is faster.${compact ? '' : ''}`)
  lines.push('')
  lines.push(table(
    ['format', 'pith ms (median)', ...others.map((p) => label[p])],
    D.formats.map((f) => [
      f,
      D.perFormatMs[f].pith ? ms(D.perFormatMs[f].pith.ms) : 'not read',
      ...others.map((p) => (D.ratio[f][p] ? `${num(D.ratio[f][p].x, D.ratio[f][p].x < 10 ? 2 : 0)}×` : D.perFormatMs[f][p] ? (D.perFormatMs[f][p].ms > 0 ? `${ms(D.perFormatMs[f][p].ms)} ms` : 'below noise') : '—'))
    ])
  ))
  if (fmts.length === 0) lines.push('\n(no format is read by both pith and a peer yet)')
  lines.push('')
  lines.push(table(
    ['seed target', 'pith', 'result', 'for comparison'],
    D.targets.map((t) => [
      esc(t.target),
      t.value == null ? esc(t.partial || t.why) : `${t.unit === 'ms' ? ms(t.value) : mb(t.value)} ${t.unit}${t.extra != null ? ` (${t.extraLabel} ${ms(t.extra)} ms)` : ''}`,
      t.result === 'pass' ? '**pass**' : t.result === 'fail' ? '**fail**' : 'not measured',
      Object.entries(t.peers).filter(([, v]) => v != null).map(([p, v]) => `${label[p]} ${t.unit === 'ms' ? ms(v) : mb(v)}`).join('; ') || '—'
    ]),
    ['---', '---:', '---', '---']
  ))
  return lines.join('\n')
}

export function writeReports (R, { out, readme }) {
  mkdirSync(out, { recursive: true })
  const D = derive(R)
  R.derived = D
  writeFileSync(join(out, 'results.json'), JSON.stringify(R, null, 1) + '\n')
  const label = Object.fromEntries(R.peers.map((p) => [p.id, p.label]))
  const L = []
  L.push('# Benchmark results', '', 'Written by `bench/run.mjs`; do not edit. How each number is measured: [../README.md](../README.md).', '')
  L.push(header(R), '')
  L.push(`Peers: ${Object.entries(R.versions).map(([p, v]) => `${label[p] || p} ${v}`).join(', ')}${R.pdftotext ? `, ${R.pdftotext}` : ''}. ` +
    `A bare Node process peaks at ${mb(R.nodeBaselineRssMB)} MB RSS. Timeout ${R.options.timeoutS} s and memory cap ${num(R.options.memCapMB)} MB per measurement; ` +
    `${R.options.repeats} timed runs after one warm-up (fewer when they exceed ${num(R.options.budgetMs)} ms).`)
  for (const n of R.nativeNotes) L.push('', `Note: ${n}`)
  L.push('', '## Summary', '', summaryTables(R, D, { compact: false }), '')

  L.push('## Per document', '', 'Load: import + compile + instantiate + init in a fresh process (pith-wasmtime: process start + compile + instantiate + file I/O, from the wall clock). Extraction: median wall time of the timed runs (pith-wasmtime: (wall of the file given 1 + K times − wall of it once) / K, runs × K). CPU: median CPU time (user + system, all threads) of the process per run, steadier than wall time on a loaded machine. Peak RSS: the process\'s maximum resident set (Node: `process.resourceUsage().maxRSS`; native: `wait4`). Wasm memory: `memory.buffer.byteLength` after the runs (pith). Recall / F1: the shared scorer\'s word measures against `references/<path>.ref.txt`.', '')
  const rows = []
  for (const d of R.documents) {
    for (const c of R.cells.filter((x) => x.doc === d.path && x.status !== 'n/a')) {
      rows.push([
        c.peer === R.cells.find((x) => x.doc === d.path && x.status !== 'n/a').peer ? `\`${d.path}\` (${num(d.bytes)} B)` : '',
        label[c.peer],
        statusText(c),
        ms(c.loadMs),
        ms(c.medianMs),
        ms(c.cpuMs),
        c.runs != null ? `${c.runs}${c.copies ? ` × ${c.copies}` : ''}` : '—',
        mb(c.peakRssMB),
        mb(c.wasmMemMB),
        c.chars != null ? num(c.chars) : '—',
        pct(c.recall),
        pct(c.f1)
      ])
    }
  }
  L.push(table(['document', 'peer', 'status', 'load ms', 'extract ms', 'CPU ms', 'runs', 'peak RSS MB', 'wasm MB', 'chars', 'recall', 'F1'], rows, ['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']), '')

  L.push('## Extraction time per format (median ms over the documents each read)', '')
  L.push(table(['format', ...D.peers.map((p) => label[p])], D.formats.map((f) => [f, ...D.peers.map((p) => (D.perFormatMs[f][p] ? `${ms(D.perFormatMs[f][p].ms)} (${D.perFormatMs[f][p].n})` : '—'))])), '')

  L.push('## Word recall / F1 per format (mean over the documents each read that have a reference)', '')
  L.push(table(['format', ...D.peers.map((p) => label[p])], D.formats.map((f) => [f, ...D.peers.map((p) => {
    const cs = R.cells.filter((c) => c.format === f && c.peer === p && c.status === 'ok' && c.recall != null)
    return cs.length ? `${pct(mean(cs.map((c) => c.recall)))} / ${pct(mean(cs.map((c) => c.f1)))}` : '—'
  })])), '')

  L.push('## Batch', '')
  const b = R.batch
  if (!b) L.push('Not run.')
  else {
    L.push(`The same documents extracted ${b.iterations ? num(b.iterations) : '—'} times through pith's batch path (js-glue \`extract\` per document, which closes its stream and frees its block; \`arena_reset()\` after every batch), in one fresh process.`, '')
    L.push(table(['document', 'in the batch'], (b.set || []).map((d) => [`\`${d.path}\``, d.included ? 'yes' : `no: ${d.why}`]), ['---', '---']), '')
    if (b.status === 'ok') {
      L.push(table(['measure', 'value'], [
        ['documents per batch', num(b.documents)],
        ['load ms', ms(b.loadMs)],
        ['first batch ms', ms(b.firstMs)],
        ['median batch ms', ms(b.medianMs)],
        ['p95 batch ms', ms(b.p95Ms)],
        ['total ms', ms(b.totalMs)],
        ['heap_live bytes: before / after first batch / after last', `${num(b.before.heapLive)} / ${num(b.afterFirst.heapLive)} / ${num(b.after.heapLive)}`],
        ['memory.buffer bytes: before / after first / after last', `${num(b.before.memoryBytes)} / ${num(b.afterFirst.memoryBytes)} / ${num(b.after.memoryBytes)}`],
        ['process RSS MB: before / after first / after last', `${mb(b.before.rssMB)} / ${mb(b.afterFirst.rssMB)} / ${mb(b.after.rssMB)}`]
      ], ['---', '---:']), '')
    } else L.push(`Status: ${esc(b.status)}${b.message ? ': ' + esc(b.message) : ''}`, '')
  }

  L.push('## Sizes shipped', '', 'What a user downloads: WebAssembly files as shipped; JavaScript as the package\'s own minified browser bundle where it ships one, else an esbuild bundle (`--bundle --minify --platform=browser --format=esm`, Node built-ins external). gzip -9 and brotli quality 11 via Node\'s zlib.', '')
  const srows = []
  for (const [p, s] of Object.entries(R.sizes)) {
    for (const f of s.files) srows.push([label[p], `\`${esc(f.file)}\``, f.kind, f.missing ? 'missing' : num(f.raw), f.missing ? '' : num(f.gzip), f.missing ? '' : num(f.brotli)])
    srows.push([`**${label[p]}**`, '**total**', '', `**${num(s.total.raw)}**`, `**${num(s.total.gzip)}**`, `**${num(s.total.brotli)}**`])
  }
  L.push(table(['peer', 'file', 'kind', 'raw', 'gzip', 'brotli'], srows, ['---', '---', '---', '---:', '---:', '---:']), '')

  if (R.conformance) {
    L.push('## Conformance (Kreuzberg\'s end-to-end fixtures)', '')
    L.push('Every case of `corpus/fixtures`, run through pith (js-glue) and @kreuzberg/wasm with its declared MIME type, its assertions checked as Kreuzberg\'s own TypeScript e2e helpers check them. Out of scope: cases that need an external tool (OCR with tesseract, LibreOffice), and for pith legacy binary Office (.doc/.xls/.ppt). Absent: the document is not in the corpus.', '')
    const ps = Object.keys(R.conformance.peers)
    const crow = []
    for (const c of R.conformance.cases) {
      const cols = ps.flatMap((p) => {
        const r = R.conformance.peers[p][c.id] || {}
        return [r.status === 'pass' ? 'pass' : r.status === 'fail' ? '**fail**' : r.status || '—', esc((r.reasons || []).join('; ').slice(0, 160))]
      })
      crow.push([c.id, `\`${c.path}\``, ...cols])
    }
    L.push(table(['case', 'document', ...ps.flatMap((p) => [label[p], 'why'])], crow, ['---', '---', ...ps.flatMap(() => ['---', '---'])]), '')
    L.push(table(['peer', 'pass', 'fail', 'out of scope', 'absent'], ps.map((p) => {
      const c = D.byPeer[p].conformance
      return [label[p], c.pass, c.fail, c.outOfScope, c.absent]
    })), '')
  }
  writeFileSync(join(out, 'README.md'), L.join('\n'))

  if (readme && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8')
    const a = text.indexOf('<!-- bench:start -->')
    const z = text.indexOf('<!-- bench:end -->')
    if (a >= 0 && z > a) {
      const block = [
        '<!-- bench:start -->',
        header(R, true),
        `Full tables (per document, batch, sizes, every fixture): [bench/results/README.md](bench/results/README.md).`,
        '',
        summaryTables(R, D, { compact: true }),
        '<!-- bench:end -->'
      ].join('\n')
      writeFileSync(readme, text.slice(0, a) + block + text.slice(z + '<!-- bench:end -->'.length))
    }
  }
}

// `node bench/report.mjs`: re-render the tables (and, if that run wrote it, the README block)
// from bench/results/results.json, e.g. after a change to this file; no measurement is redone.
if (process.argv[1] && import.meta.url === new URL('file://' + process.argv[1]).href) {
  const { fileURLToPath } = await import('node:url')
  const { dirname } = await import('node:path')
  const bench = dirname(fileURLToPath(import.meta.url))
  const R = JSON.parse(readFileSync(join(bench, 'results', 'results.json'), 'utf8'))
  delete R.derived
  writeReports(R, { out: join(bench, 'results'), readme: R.options.readme ? join(bench, '..', 'README.md') : null })
  console.error('[bench] tables re-rendered from results/results.json')
}
