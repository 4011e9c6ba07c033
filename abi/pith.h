/*
 * pith.h: the C ABI of the pith WebAssembly module (ABI version 1).
 *
 * The module imports nothing and exports one memory ("memory") and the functions below.
 * Every argument and result is an i32 scalar. Pointers are offsets into the module's
 * memory. Negative results are PITH_E_* status codes; no call traps on any argument.
 * The full contract (ownership, lifetimes, record payloads, the JSON schema) is in ABI.md.
 *
 * This file is also the machine-readable export list: `cargo xtask dist` keeps exactly the
 * functions declared with PITH_EXPORT (plus "memory") and a test checks the built module
 * against it. Never change a signature: add a new export and bump PITH_ABI_VERSION instead.
 */
#ifndef PITH_H
#define PITH_H

#include <stdint.h>

#define PITH_ABI_VERSION 1

#ifndef PITH_EXPORT
#define PITH_EXPORT
#endif

/* ---- Status codes --------------------------------------------------------------------- */
#define PITH_OK                   0
#define PITH_E_INVALID_ARGUMENT (-1)  /* an argument is out of its documented range        */
#define PITH_E_BAD_POINTER      (-2)  /* a pointer/length is outside memory or a live alloc */
#define PITH_E_OUT_OF_MEMORY    (-3)  /* the module could not allocate                      */
#define PITH_E_UNSUPPORTED      (-4)  /* format unknown, or its feature not compiled in     */
#define PITH_E_CORRUPT          (-5)  /* the document is malformed beyond recovery          */
#define PITH_E_PASSWORD_REQUIRED (-6) /* encrypted; no or wrong password in the config      */
#define PITH_E_LIMIT            (-7)  /* a configured resource limit was crossed            */
#define PITH_E_BAD_HANDLE       (-8)  /* the stream handle is unknown, closed or stale      */
#define PITH_E_INTERNAL         (-9)  /* a bug in pith; the module stays usable             */
#define PITH_E_MIME_MISMATCH   (-10)  /* the declared MIME type contradicts the content     */
#define PITH_E_IN_USE          (-11)  /* the buffer is borrowed by an open stream           */

/* ---- Record kinds returned by stream_next --------------------------------------------- */
#define PITH_REC_END       0  /* no more records; the stream stays open until stream_close   */
#define PITH_REC_TEXT      1  /* payload: UTF-8 content text, never splitting a character   */
#define PITH_REC_PAGE      2  /* payload: {"page_number":N}; text that follows is page N     */
#define PITH_REC_METADATA  3  /* payload: a JSON object with one metadata field              */
#define PITH_REC_TABLE     4  /* payload: {"cells":[[...]],"markdown":"...","page_number":N} */
#define PITH_REC_IMAGE     5  /* payload: JSON object describing one image                   */
#define PITH_REC_WARNING   6  /* payload: {"source":"...","message":"..."}                   */
#define PITH_REC_DOCUMENT  7  /* payload: {"mime_type":"..."}; always the first record       */

/* ---- Feature bits returned by features() ---------------------------------------------- */
#define PITH_FEATURE_TEXT      (1 << 0)  /* text/plain: UTF-8, UTF-16 with BOM, Windows-1252 */
#define PITH_FEATURE_HTML      (1 << 1)  /* text/html, application/xhtml+xml                  */
#define PITH_FEATURE_MARKDOWN  (1 << 2)  /* text/markdown (front matter to metadata)         */
#define PITH_FEATURE_JSON      (1 << 3)  /* application/json                                 */
#define PITH_FEATURE_YAML      (1 << 4)  /* application/yaml                                 */
#define PITH_FEATURE_TOML      (1 << 5)  /* application/toml                                 */
#define PITH_FEATURE_XML       (1 << 6)  /* application/xml, text/xml                        */
#define PITH_FEATURE_CSV       (1 << 7)  /* text/csv, text/tab-separated-values              */
#define PITH_FEATURE_ENCODINGS (1 << 8)  /* legacy single-byte code pages (Windows-125x, ...)  */
#define PITH_FEATURE_CJK       (1 << 9)  /* Shift_JIS, EUC-JP, GBK/GB18030, Big5, EUC-KR      */
#define PITH_FEATURE_DOCX      (1 << 10) /* Word .docx                                       */
#define PITH_FEATURE_XLSX      (1 << 11) /* Excel .xlsx                                      */
#define PITH_FEATURE_PPTX      (1 << 12) /* PowerPoint .pptx                                 */
#define PITH_FEATURE_ODT       (1 << 13) /* OpenDocument text                                */
#define PITH_FEATURE_ODS       (1 << 14) /* OpenDocument spreadsheet                         */
#define PITH_FEATURE_ODP       (1 << 15) /* OpenDocument presentation                        */
#define PITH_FEATURE_PDF       (1 << 16) /* application/pdf                                  */
#define PITH_FEATURE_ALLOC_WEE (1 << 30) /* built with wee_alloc instead of talc (size tests) */

/* ---- Config: little-endian u32 words, then optional password bytes -------------------- */
/* A config of length 0 means all defaults. Otherwise its length is a multiple of 4 up to
 * PITH_CFG_WORDS words (missing words are 0), or more than that: the bytes after the words
 * are the document password. A word of 0 means "the default". */
#define PITH_CFG_FLAGS            0  /* PITH_FLAG_* bits; unknown bits are INVALID_ARGUMENT */
#define PITH_CFG_MAX_INPUT        1  /* bytes of input accepted         (default 256 MiB)    */
#define PITH_CFG_MAX_OUTPUT       2  /* bytes of content text produced  (default 128 MiB)    */
#define PITH_CFG_MAX_PAGES        3  /* pages, sheets or slides         (default 100000)     */
#define PITH_CFG_MAX_DECOMPRESSED 4  /* bytes decompressed in total     (default 512 MiB)    */
#define PITH_CFG_MAX_DEPTH        5  /* nesting depth of any structure  (default 256)        */
#define PITH_CFG_MAX_OBJECTS      6  /* objects, entries or elements    (default 4000000)    */
#define PITH_CFG_RESERVED         7  /* must be 0                                            */
#define PITH_CFG_WORDS            8

#define PITH_FLAG_PLAIN    (1u << 0) /* plain text content instead of Markdown             */
#define PITH_FLAG_IMAGES   (1u << 1) /* report embedded images as IMAGE records (PDF, Office) */
#define PITH_FLAG_NOTES    (1u << 2) /* include speaker notes (PPTX, ODP)                   */
#define PITH_FLAG_COMMENTS (1u << 3) /* include comments (DOCX, ODT)                        */

/* ---- Memory shared with the host ------------------------------------------------------ */
/* Allocate len bytes for the host (document, MIME type, config). Returns 0 when len <= 0 or
 * memory is exhausted. The host owns the block until it frees it. */
PITH_EXPORT int32_t alloc(int32_t len);
/* Free a block from alloc; (ptr, len) must be exactly what alloc returned and was asked.
 * ptr 0 is ignored (PITH_OK). Returns PITH_E_BAD_POINTER for anything else that is not a live
 * block, PITH_E_IN_USE while an open stream borrows the block. */
PITH_EXPORT int32_t free(int32_t ptr, int32_t len);

/* ---- What this build can do ----------------------------------------------------------- */
PITH_EXPORT int32_t abi_version(void);     /* PITH_ABI_VERSION                               */
PITH_EXPORT int32_t features(void);        /* PITH_FEATURE_* bits compiled into this build   */
PITH_EXPORT int32_t mime_types(void);      /* pointer to the MIME types this build reads,   */
PITH_EXPORT int32_t mime_types_len(void);  /* '\n'-separated UTF-8; valid for the instance   */

/* ---- Extraction ----------------------------------------------------------------------- */
/* Open a stream over a document the host wrote into an alloc'd block. The document is read
 * in place (never copied) and borrowed until stream_close: its block cannot be freed before.
 * mime may be (0, 0) to sniff the type from the content. The MIME type and config are copied;
 * their blocks may be freed as soon as this returns. Returns a handle > 0, or an error. */
PITH_EXPORT int32_t extract_ptr(int32_t doc, int32_t doc_len, int32_t mime, int32_t mime_len,
                                int32_t cfg, int32_t cfg_len);
/* Produce the next record. max_chunk bounds a TEXT payload in bytes (0: 65536; negative or
 * 1 to 3 are INVALID_ARGUMENT, which changes nothing). Returns a PITH_REC_* kind, or an error.
 * An error about the document (CORRUPT, LIMIT, ...) fails the stream: every later call
 * returns the same code, and it still has to be closed. */
PITH_EXPORT int32_t stream_next(int32_t handle, int32_t max_chunk);
/* The payload of the last record or JSON result of this stream: valid until the next call
 * on the same handle. 0 for a bad handle. */
PITH_EXPORT int32_t record_ptr(int32_t handle);
PITH_EXPORT int32_t record_len(int32_t handle);
/* The whole result as one JSON document (ABI.md has the schema). Only on a fresh stream
 * (before any stream_next): returns the JSON length (bytes at record_ptr), or an error. */
PITH_EXPORT int32_t result_json(int32_t handle);
/* Release the stream and its borrow of the document. PITH_E_BAD_HANDLE if not open. */
PITH_EXPORT int32_t stream_close(int32_t handle);

/* ---- Errors and memory ---------------------------------------------------------------- */
/* Message of the most recent failing call: the code's fixed text, then details (e.g. a byte
 * offset). UTF-8, valid until the next failing call. */
PITH_EXPORT int32_t error_ptr(void);
PITH_EXPORT int32_t error_len(void);
/* Bytes currently allocated on the module heap (host blocks included). */
PITH_EXPORT int32_t heap_live(void);
/* Release the scratch buffers the module keeps between documents, so the live heap returns
 * to its baseline. Returns PITH_OK, or PITH_E_IN_USE while a stream is open. */
PITH_EXPORT int32_t arena_reset(void);

#endif /* PITH_H */
