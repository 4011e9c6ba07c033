// The package: its exports map picks the right entry per runtime condition, and the browser
// and Workers entries are a few lines over pith.mjs whose load() defaults to the shipped
// pith.wasm. (The entries run for real in Chromium and workerd: runtimes/run.mjs.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { wasmBytes } from '../testing/helpers.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

/** What `@pith/wasm` resolves to under a condition (the package references itself by name). */
const resolveWith = (condition) => execFileSync(process.execPath, [`--conditions=${condition}`, '--input-type=module', '-e',
  "console.log(import.meta.resolve('@pith/wasm') + ' ' + import.meta.resolve('@pith/wasm/pith.wasm'))"],
{ cwd: root, encoding: 'utf8' }).trim().split(' ').map((u) => u.slice(u.lastIndexOf('/') + 1))

test('the exports map: types, workerd, browser, import; pith.wasm exported and shipped', () => {
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'workerd', 'browser', 'import'])
  assert.deepEqual(resolveWith('workerd'), ['workerd.mjs', 'pith.wasm'])
  assert.deepEqual(resolveWith('browser'), ['browser.mjs', 'pith.wasm'])
  assert.deepEqual(resolveWith('node'), ['pith.mjs', 'pith.wasm'])
  assert.deepEqual(resolveWith('deno'), ['pith.mjs', 'pith.wasm'])
  for (const f of ['pith.mjs', 'pith.d.ts', 'browser.mjs', 'workerd.mjs', 'pith.wasm']) assert.ok(pkg.files.includes(f), f)
  assert.match(pkg.scripts.prepack, /dist\/pith-complete\.wasm.*pith\.wasm/)
})

test('@pith/wasm/worker: worker.mjs under every condition, shipped with its Worker script and types', () => {
  assert.deepEqual(pkg.exports['./worker'], { types: './worker.d.ts', default: './worker.mjs' })
  for (const condition of ['node', 'browser', 'deno', 'workerd']) {
    const url = execFileSync(process.execPath, [`--conditions=${condition}`, '--input-type=module', '-e',
      "console.log(import.meta.resolve('@pith/wasm/worker'))"], { cwd: root, encoding: 'utf8' }).trim()
    assert.ok(url.endsWith('/worker.mjs'), `${condition}: ${url}`)
  }
  for (const f of ['worker.mjs', 'worker-thread.mjs', 'worker.d.ts']) assert.ok(pkg.files.includes(f), f)
  // Every file the worker modules reach by a relative URL or import is shipped too.
  for (const f of ['worker.mjs', 'worker-thread.mjs']) {
    const code = readFileSync(new URL(`../${f}`, import.meta.url), 'utf8')
    for (const [, dep] of code.matchAll(/'\.\/([\w.-]+\.mjs)'/g)) assert.ok(pkg.files.includes(dep), `${f} needs ${dep}`)
  }
})

test('worker.mjs and worker-thread.mjs bundle for the web: no node: import to resolve', async () => {
  const { build } = await import('esbuild')
  for (const f of ['worker.mjs', 'worker-thread.mjs']) {
    const { outputFiles } = await build({
      entryPoints: [fileURLToPath(new URL(`../${f}`, import.meta.url))],
      bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent'
    })
    const code = outputFiles[0].text
    assert.doesNotMatch(code, /from\s*["']node:|import\(\s*["']node:/, f)
  }
})

for (const entry of ['browser.mjs', 'workerd.mjs']) {
  test(`${entry} is a few lines over pith.mjs and re-exports it`, () => {
    const code = readFileSync(new URL(`../${entry}`, import.meta.url), 'utf8').replace(/^\s*\/\/.*\n/gm, '')
    assert.ok(code.trim().split('\n').length <= 5, code)
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1])
    assert.deepEqual([...new Set(imports)].filter((i) => i !== './pith.mjs' && i !== './pith.wasm'), [])
    assert.match(code, /export \{ PithError \} from '\.\/pith\.mjs'/)
    assert.match(code, /export const load = \(source = /)
  })
}

test('browser.mjs: load() without a source fetches the pith.wasm beside it', async (t) => {
  const fetched = []
  const realFetch = globalThis.fetch
  globalThis.fetch = async (url) => {
    fetched.push(String(url))
    return new Response(wasmBytes(), { headers: { 'content-type': 'application/wasm' } })
  }
  t.after(() => { globalThis.fetch = realFetch })
  const { load, PithError } = await import('../browser.mjs')
  const pith = await load()
  assert.deepEqual(fetched, [new URL('../pith.wasm', import.meta.url).href])
  assert.equal(pith.extract('hello from the browser entry').content, 'hello from the browser entry')
  assert.equal(PithError, (await import('../pith.mjs')).PithError)
  const other = await load(wasmBytes())
  assert.equal(fetched.length, 1, 'an explicit source is used as is')
  assert.equal(other.abiVersion, 1)
})
