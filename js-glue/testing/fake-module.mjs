// A tiny hand-assembled stand-in for the pith module with the same exports, built byte by byte
// here so that the trap tests need no toolchain. Its one trick: result_json and stream_next
// execute `unreachable` (a trap) when the document's first byte is 'T'. Otherwise result_json
// answers RESULT, and a stream gives one text record (RESULT's text) then END.

const RESULT = '{"content":"ok","mime_type":"text/plain"}'
const RESULT_PTR = 16
export const FAKE_RESULT = RESULT

const uleb = (n) => {
  const out = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n) b |= 0x80
    out.push(b)
  } while (n)
  return out
}
const sleb = (n) => {
  const out = []
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b]
    out.push(b | 0x80)
  }
}
const vec = (items) => [...uleb(items.length), ...items.flat()]
const str = (s) => vec([...new TextEncoder().encode(s)].map((b) => [b]))
const section = (id, body) => [id, ...uleb(body.length), ...body]

const I32 = 0x7f
const TYPES = [[], [I32], [I32, I32], [I32, I32, I32, I32, I32, I32]] // all return one i32
const op = {
  unreachable: 0x00, if: 0x04, end: 0x0b, localGet: 0x20, globalGet: 0x23, globalSet: 0x24,
  load8u: 0x2d, const: 0x41, eq: 0x46, add: 0x6a, sub: 0x6b
}
const c = (n) => [op.const, ...sleb(n)]
// if (mem[doc] == 'T') unreachable
const trapOnT = [op.globalGet, 1, op.load8u, 0, 0, ...c(0x54), op.eq, op.if, 0x40, op.unreachable, op.end]

// name, type index, body (without the final end)
const FUNCS = [
  ['alloc', 1, [op.globalGet, 0, op.globalGet, 0, op.localGet, 0, op.add, op.globalSet, 0]],
  ['free', 2, c(0)],
  ['abi_version', 0, c(1)],
  ['features', 0, c(1)],
  ['mime_types', 0, c(0)],
  ['mime_types_len', 0, c(0)],
  ['extract_ptr', 3, [op.localGet, 0, op.globalSet, 1, ...c(0), op.globalSet, 2, ...c(1)]],
  // 1 - step (TEXT, then END); step = 1
  ['stream_next', 2, [...trapOnT, ...c(1), op.globalGet, 2, op.sub, ...c(1), op.globalSet, 2]],
  ['record_ptr', 1, c(RESULT_PTR)],
  ['record_len', 1, c(RESULT.length)],
  ['result_json', 1, [...trapOnT, ...c(RESULT.length)]],
  ['stream_close', 1, c(0)],
  ['error_ptr', 0, c(0)],
  ['error_len', 0, c(0)],
  ['heap_live', 0, c(0)],
  ['arena_reset', 0, c(0)]
]

export function fakeModuleBytes () {
  const types = TYPES.map((params) => [0x60, ...vec(params.map((p) => [p])), 1, I32])
  const funcs = FUNCS.map(([, t]) => uleb(t))
  const memory = [[0x00, 1]] // min 1 page, no max
  const globals = [
    [I32, 1, ...c(1024), op.end], // bump pointer
    [I32, 1, ...c(0), op.end], // last document pointer
    [I32, 1, ...c(0), op.end] // records produced by the stream
  ]
  const exports = [
    [...str('memory'), 0x02, 0],
    ...FUNCS.map(([name], i) => [...str(name), 0x00, ...uleb(i)])
  ]
  const code = FUNCS.map(([, , body]) => {
    const fn = [0, ...body, op.end] // no locals
    return [...uleb(fn.length), ...fn]
  })
  const data = [[0x00, ...c(RESULT_PTR), op.end, ...str(RESULT)]]
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(3, vec(funcs)),
    ...section(5, vec(memory)),
    ...section(6, vec(globals)),
    ...section(7, vec(exports)),
    ...section(10, vec(code)),
    ...section(11, vec(data))
  ])
}
