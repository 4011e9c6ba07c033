// A runtime-neutral test harness: no imports, no runtime built-ins beyond the language, so the
// same suite runs in Node, Deno, Bun, a browser page and a Worker (node:test is not everywhere).

/** Thrown by `notInBuild`: the case needs a format this module does not have. */
class NotInBuild extends Error {}

export class AssertionError extends Error {}

const show = (v) => {
  try {
    const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)
    return s.length > 300 ? s.slice(0, 300) + '…' : s
  } catch {
    return String(v)
  }
}

const sorted = (v) => Array.isArray(v)
  ? v.map(sorted)
  : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
    : v
const canonical = (v) => JSON.stringify(sorted(v))

export const assert = {
  ok (value, message) {
    if (!value) throw new AssertionError(message || `expected a truthy value, got ${show(value)}`)
  },
  equal (actual, expected, message) {
    if (!Object.is(actual, expected)) {
      throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`)
    }
  },
  /** Structural equality of JSON-like values (object key order does not matter). */
  deepEqual (actual, expected, message) {
    const a = canonical(actual)
    const e = canonical(expected)
    if (a !== e) throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`)
  },
  includes (text, part, message) {
    if (typeof text !== 'string' || !text.includes(part)) {
      throw new AssertionError(`${message ? message + ': ' : ''}expected the text to include ${show(part)}, got ${show(text)}`)
    }
  },
  /** Runs `f` (sync or async) and checks it fails with `check(error)` true. */
  async throws (f, check, message) {
    let error
    try {
      await f()
    } catch (e) {
      error = e
    }
    if (!error) throw new AssertionError(`${message ? message + ': ' : ''}expected an error, none was thrown`)
    if (check && !check(error)) {
      throw new AssertionError(`${message ? message + ': ' : ''}unexpected error: ${error && error.name}: ${error && error.message}`)
    }
    return error
  }
}

/** A list of named cases, run in order. Each gets a context with `notInBuild(what)`, which ends
 * the case as "not in this build" (counted and listed, never silently skipped). */
export function harness () {
  const cases = []
  return {
    test (name, fn) {
      cases.push({ name, fn })
    },
    /** Runs every case; `log(line)` gets one line per case. Returns the counts and the lines. */
    async run (log = () => {}) {
      const report = { passed: 0, failed: 0, notInBuild: 0, lines: [] }
      const ctx = {
        notInBuild (what) {
          throw new NotInBuild(what)
        }
      }
      for (const { name, fn } of cases) {
        const started = Date.now()
        let line
        try {
          await fn(ctx)
          report.passed++
          line = `ok - ${name} (${Date.now() - started} ms)`
        } catch (e) {
          if (e instanceof NotInBuild) {
            report.notInBuild++
            line = `not in this build - ${name} (${e.message})`
          } else {
            report.failed++
            line = `FAIL - ${name}: ${e && e.name}: ${e && e.message}${e && e.stack ? '\n    ' + String(e.stack).split('\n').slice(1, 4).join('\n    ') : ''}`
          }
        }
        report.lines.push(line)
        log(line)
      }
      return report
    }
  }
}
