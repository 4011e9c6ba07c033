// The loader's budget and portability: at most 2,048 bytes minified + gzip -9, and nothing
// that ties it to Node (it must run unchanged in browsers, Deno, Bun and Workers).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BUDGET = 2048
const source = readFileSync(new URL('../pith.mjs', import.meta.url), 'utf8')

test(`pith.mjs is at most ${BUDGET} bytes minified + gzip -9`, async () => {
  let transform
  try {
    ({ transform } = await import('esbuild'))
  } catch (e) {
    assert.fail(`esbuild is not installed: run npm ci in js-glue/ (${e.message})`)
  }
  const { code } = await transform(source, { minify: true, format: 'esm', target: 'es2022' })
  const gz = gzipSync(code, { level: 9 }).length
  console.log(`pith.mjs: ${source.length} B source, ${code.length} B minified, ${gz} B minified + gzip -9 (budget ${BUDGET})`)
  assert.ok(gz <= BUDGET, `${gz} B > ${BUDGET} B`)
})

test('pith.mjs imports nothing and uses no Node-only globals', () => {
  const code = source.replace(/\/\/.*$/gm, '')
  assert.doesNotMatch(code, /\bimport\b|\brequire\s*\(/, 'no imports')
  assert.doesNotMatch(code, /\b(process|Buffer|global|__dirname|__filename)\b/, 'no Node globals')
  assert.match(code, /export async function load\b/)
  assert.match(code, /export class PithError\b/)
})
