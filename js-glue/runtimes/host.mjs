// The suite under Node, Deno and Bun, unchanged: the package is imported by its name through
// the exports map (the "import" condition: pith.mjs), and pith.wasm, which the package ships,
// is read from disk (Node's fetch cannot read file: URLs). Prints one line per case, then
// `RESULT {json}` for run.mjs.
import { load, PithError } from '@pith/wasm'
import { readFile } from 'node:fs/promises'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { suite } from './suite.mjs'

const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : globalThis.Bun ? `bun ${Bun.version}` : `node ${process.versions.node}`
const corpus = process.argv[2] ? pathToFileURL(process.argv[2].replace(/\/?$/, '/')) : new URL('../../../shared/corpus/documents/', import.meta.url)
const wasm = await readFile(new URL(import.meta.resolve('@pith/wasm/pith.wasm')))

const { run } = suite({
  open: () => load(wasm),
  PithError,
  read: async (path) => new Uint8Array(await readFile(new URL(path, corpus)))
})
const report = await run((line) => console.log(line))
console.log(`${runtime}: ${report.passed} passed, ${report.failed} failed, ${report.notInBuild} not in this build`)
console.log('RESULT ' + JSON.stringify({ runtime, passed: report.passed, failed: report.failed, notInBuild: report.notInBuild }))
process.exitCode = report.failed ? 1 : 0
