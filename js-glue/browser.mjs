// The browser entry (package.json "browser"): pith.mjs, and load() without a source fetches
// the pith.wasm shipped next to this file (load(undefined, options) for options with the default).
// Works as is under <script type="module">.
import { load as loadFrom } from './pith.mjs'
export { PithError } from './pith.mjs'
export const load = (source = new URL('./pith.wasm', import.meta.url), options) => loadFrom(source, options)
