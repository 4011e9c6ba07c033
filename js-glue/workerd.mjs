// The Workers entry (package.json "workerd"): Workers forbid compiling wasm from bytes, so the
// module is imported (the bundler or workerd's config turns pith.wasm into a WebAssembly.Module)
// and load() without a source instantiates it.
import wasm from './pith.wasm'
import { load as loadFrom } from './pith.mjs'
export { PithError } from './pith.mjs'
export const load = (source = wasm, options) => loadFrom(source, options)
