// Kreuzberg's end-to-end fixtures (corpus/fixtures/*/*.json, schema.json there) as a
// conformance check. The assertions are evaluated the way Kreuzberg's own TypeScript e2e
// helpers do: expected_mime is met when the result's MIME type contains one of the expected
// strings; content checks are case-insensitive substring checks on the content; tables
// counts the result's tables; metadata checks read a dotted path and compare with eq / gte /
// lte / contains (a bare value means eq), a snake_case field also matching its camelCase
// spelling.

import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { mimeOf, extOf } from './documents.mjs'

const LEGACY_OFFICE = ['doc', 'xls', 'ppt']

/** Every fixture case, sorted by id, with what the runner needs. */
export function loadFixtures (corpus) {
  const dir = join(corpus, 'fixtures')
  const cases = []
  for (const group of readdirSync(dir, { withFileTypes: true })) {
    if (!group.isDirectory()) continue
    for (const f of readdirSync(join(dir, group.name))) {
      if (!f.endsWith('.json')) continue
      const fx = JSON.parse(readFileSync(join(dir, group.name, f), 'utf8'))
      const path = fx.document.path
      cases.push({
        id: fx.id,
        file: `${group.name}/${f}`,
        path,
        abs: join(corpus, 'documents', path),
        present: existsSync(join(corpus, 'documents', path)),
        mime: fx.document.media_type || mimeOf(path),
        tools: fx.document.requires_external_tool || [],
        assertions: fx.assertions || {}
      })
    }
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id))
}

/** Why a case is out of scope for `peer`, or null. */
export function outOfScope (c, peer) {
  if (c.tools.length) {
    const what = c.tools.map((t) => (t === 'tesseract' ? 'OCR (tesseract)' : t === 'libreoffice' ? 'legacy Office conversion (LibreOffice)' : t))
    return `needs ${[...new Set(what)].join(', ')}`
  }
  if (peer === 'pith' && LEGACY_OFFICE.includes(extOf(c.path))) {
    return 'legacy binary Office (.doc/.xls/.ppt): out of pith\'s scope (issue 6)'
  }
  return null
}

// A dotted path; each segment also found in camelCase (sheet_count -> sheetCount), since the
// JavaScript bindings of Kreuzberg name their metadata fields that way.
function metaPath (meta, path) {
  let cur = meta
  for (const seg of path.split('.')) {
    const camel = seg.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
    if (!cur || typeof cur !== 'object') return undefined
    if (seg in cur) cur = cur[seg]
    else if (camel in cur) cur = cur[camel]
    else return undefined
  }
  return cur
}

const short = (v) => {
  const s = JSON.stringify(v)
  return s && s.length > 60 ? s.slice(0, 57) + '...' : s
}

/** The failed assertions of one result (empty: pass). `r` is { mime, text, tables, metadata }. */
export function check (assertions, r) {
  const fails = []
  const a = assertions
  const content = r.text || ''
  if (a.expected_mime !== undefined) {
    const want = [].concat(a.expected_mime)
    if (want.length && !want.some((m) => (r.mime || '').includes(m))) fails.push(`mime ${r.mime || '(none)'} is not ${want.join(' | ')}`)
  }
  if (typeof a.min_content_length === 'number' && content.length < a.min_content_length) {
    fails.push(`content ${content.length} chars < min ${a.min_content_length}`)
  }
  if (typeof a.max_content_length === 'number' && content.length > a.max_content_length) {
    fails.push(`content ${content.length} chars > max ${a.max_content_length}`)
  }
  const low = content.toLowerCase()
  if (a.content_contains_any && a.content_contains_any.length && !a.content_contains_any.some((s) => low.includes(s.toLowerCase()))) {
    fails.push(`content has none of ${short(a.content_contains_any)}`)
  }
  if (a.content_contains_all && a.content_contains_all.length) {
    const missing = a.content_contains_all.filter((s) => !low.includes(s.toLowerCase()))
    if (missing.length) fails.push(`content lacks ${short(missing)}`)
  }
  if (a.tables) {
    const n = Array.isArray(r.tables) ? r.tables.length : 0
    if (typeof a.tables.min === 'number' && n < a.tables.min) fails.push(`${n} tables < min ${a.tables.min}`)
    if (typeof a.tables.max === 'number' && n > a.tables.max) fails.push(`${n} tables > max ${a.tables.max}`)
  }
  for (const [path, exp0] of Object.entries(a.metadata || {})) {
    const exp = exp0 && typeof exp0 === 'object' && !Array.isArray(exp0) ? exp0 : { eq: exp0 }
    const v = metaPath(r.metadata || {}, path)
    if (v === undefined || v === null) {
      fails.push(`metadata.${path} missing`)
      continue
    }
    if ('eq' in exp && JSON.stringify(v) !== JSON.stringify(exp.eq)) fails.push(`metadata.${path} = ${short(v)}, not ${short(exp.eq)}`)
    if ('gte' in exp && !(Number(v) >= Number(exp.gte))) fails.push(`metadata.${path} = ${short(v)} < ${exp.gte}`)
    if ('lte' in exp && !(Number(v) <= Number(exp.lte))) fails.push(`metadata.${path} = ${short(v)} > ${exp.lte}`)
    if ('contains' in exp) {
      const c = exp.contains
      const ok = typeof v === 'string' && typeof c === 'string'
        ? v.includes(c)
        : Array.isArray(v) && Array.isArray(c) ? c.every((x) => v.includes(x)) : false
      if (!ok) fails.push(`metadata.${path} = ${short(v)} does not contain ${short(c)}`)
    }
  }
  return fails
}
