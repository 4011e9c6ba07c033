// The documents the benchmark runs, and the MIME type each is declared as.
// Paths are relative to the shared corpus's documents/ folder; a document missing from the
// corpus is reported as absent, never silently dropped.

/** MIME type by file extension (the names pith's `mime_types()` uses; Kreuzberg takes them too). */
export const MIME_BY_EXT = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'application/xhtml+xml',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  toml: 'application/toml',
  xml: 'application/xml',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  eml: 'message/rfc822',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg'
}

/** Names of the same type: a module that lists one of them reads the others. */
export const MIME_ALIASES = [
  ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'],
  ['application/xml', 'text/xml'],
  ['application/toml', 'text/x-toml'],
  ['text/markdown', 'text/x-markdown'],
  ['application/json', 'text/json']
]

export function extOf (path) {
  const m = /\.([^./]+)$/.exec(path)
  return m ? m[1].toLowerCase() : ''
}

export function mimeOf (path) {
  return MIME_BY_EXT[extOf(path)] || 'application/octet-stream'
}

/** The name of `mime` (or of one of its aliases) that `list` holds, or null. */
export function supportedAs (mime, list) {
  if (list.includes(mime)) return mime
  const group = MIME_ALIASES.find((g) => g.includes(mime))
  return (group && group.find((m) => list.includes(m))) || null
}

/** Format label used in the tables: the extension, with a few merged. */
export function formatOf (path) {
  const e = extOf(path)
  return { htm: 'html', markdown: 'md', yml: 'yaml' }[e] || e
}

// Per format a few representative documents: small, typical and the largest the corpus
// holds. `role` names the documents the seed targets and the README quote.
export const DOCUMENTS = [
  { path: 'text/report.txt' },
  { path: 'text/norwich_city.txt' },
  { path: 'extraction_test.md' },
  { path: 'text/world_war_ii.md' },
  { path: 'web/simple_table.html' },
  { path: 'web/world_war_ii.html', role: 'html-2.5mb' }, // 2,552,672 bytes: the seed target's page
  { path: 'web/taylor_swift.html', role: 'html-largest' }, // 4,118,693 bytes: the largest page
  { path: 'data_formats/simple.json' },
  { path: 'json/real_world/github_emojis.json' },
  { path: 'data_formats/simple.yaml' },
  { path: 'xml/plant_catalog.xml' },
  { path: 'pandoc/data_table.csv' },
  { path: 'spreadsheets/stanley_cups.csv' },
  { path: 'extraction_test.docx' },
  { path: 'documents/lorem_ipsum.docx' },
  { path: 'documents/word_tables.docx' },
  { path: 'spreadsheets/stanley_cups.xlsx' },
  { path: 'spreadsheets/test_01.xlsx' },
  { path: 'presentations/powerpoint_sample.pptx' },
  { path: 'presentations/simple.pptx' },
  { path: 'extraction_test.odt' },
  { path: 'odt/orderedListHeader.odt' },
  { path: 'pdfs/fake_memo.pdf', role: 'pdf-small' }, // 1 page
  { path: 'pdfs/multi_page.pdf', role: 'pdf-5' }, // 5 pages
  { path: 'pdfs/a_course_in_machine_learning_ciml_v0_9_all.pdf', role: 'pdf-book' } // 193 pages, the largest text PDF with a fixture
]

// The 10 mixed documents of the batch benchmark (and of the "batch of 10" seed target).
export const BATCH = [
  'text/norwich_city.txt',
  'extraction_test.md',
  'web/simple_table.html',
  'json/real_world/github_emojis.json',
  'xml/plant_catalog.xml',
  'pandoc/data_table.csv',
  'extraction_test.docx',
  'spreadsheets/stanley_cups.xlsx',
  'presentations/powerpoint_sample.pptx',
  'pdfs/multi_page.pdf'
]
