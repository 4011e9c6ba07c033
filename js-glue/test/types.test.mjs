// pith.d.ts describes real usage: testing/types-usage.ts must compile under --strict.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

test('pith.d.ts type-checks a usage example with tsc --strict', () => {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url))
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
    '--lib', 'es2022,dom,dom.asynciterable', 'pith.d.ts', 'testing/types-usage.ts']
  try {
    execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    assert.fail(`tsc failed (run npm ci in js-glue/ first):\n${e.stdout}${e.stderr}`)
  }
})
