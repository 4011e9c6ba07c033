// worker-thread.mjs: the script worker.mjs runs inside its Worker (a web Worker, or a
// node:worker_threads Worker under Node). Not an API: import worker.mjs instead.
//
// Protocol (worker.mjs sends one document at a time):
//   first message  { module, options }  the compiled WebAssembly.Module and load()'s options;
//                                       answered [0] once loaded, or [code, message]
//   then           [input, options]     answered [0, result] or [code, message] (a PithError)
import { load, PithError } from './pith.mjs'

const NODE = 'node:worker_threads' // a variable: bundlers for the web leave it alone

let pith
const serve = (send) => async (m) => {
  try {
    if (pith) return send([0, (await pith).extract(m[0], m[1])])
    pith = load(m.module, m.options)
    await pith
    send([0])
  } catch (e) {
    send(e instanceof PithError ? [e.code, e.message] : [-9, 'INTERNAL: ' + e])
  }
}

// A web Worker has a global postMessage; a node:worker_threads Worker has parentPort instead.
if (typeof postMessage === 'function') {
  const handle = serve((m) => postMessage(m))
  addEventListener('message', (e) => handle(e.data))
} else {
  import(/* webpackIgnore: true */ /* @vite-ignore */ NODE).then(({ parentPort }) => parentPort.on('message', serve((m) => parentPort.postMessage(m))))
}
