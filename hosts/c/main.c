/*
 * pith-c: extract documents with the pith module compiled to C (wasm2c), no wasm runtime.
 *
 *   pith-c [--json] [--mime TYPE] FILE...
 *
 * Streams each document's records: TEXT to stdout, the others as "# KIND payload" lines on
 * stderr; with --json, prints result_json instead. Errors: "FILE: error CODE: message" on
 * stderr, exit status 1, and the next file is still extracted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pith_c.h"

static const char *KINDS[] = {"END", "TEXT", "PAGE", "METADATA", "TABLE", "IMAGE", "WARNING", "DOCUMENT"};

/* Copy len bytes into a fresh block of module memory. */
static int32_t put(const void *data, int32_t len) {
  int32_t p = pith_alloc(len > 0 ? len : 1);
  if (p > 0 && len > 0) memcpy(pith_memory() + p, data, (size_t)len);
  return p;
}

static int fail(const char *path, int32_t code) {
  fprintf(stderr, "%s: error %d: %.*s\n", path, code, (int)pith_error_len(), (const char *)pith_memory() + pith_error_ptr());
  return 1;
}

static int extract_file(const char *path, const char *mime, int json) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "%s: read failed\n", path);
    fclose(f);
    free(bytes);
    return 1;
  }
  fclose(f);

  int32_t doc = put(bytes, (int32_t)n);
  free(bytes);
  if (doc <= 0) return fail(path, PITH_E_OUT_OF_MEMORY);
  int32_t mime_len = mime ? (int32_t)strlen(mime) : 0;
  int32_t m = mime ? put(mime, mime_len) : 0;
  int32_t h = pith_extract_ptr(doc, (int32_t)n, m, mime_len, 0, 0);
  pith_free(m, mime_len > 0 ? mime_len : 1);
  int status = 0;
  if (h < 0) {
    status = fail(path, h);
  } else if (json) {
    int32_t len = pith_result_json(h);
    if (len < 0) status = fail(path, len);
    else printf("%.*s\n", (int)len, (const char *)pith_memory() + pith_record_ptr(h));
  } else {
    int32_t k;
    while ((k = pith_stream_next(h, 65536)) > 0) {
      const char *p = (const char *)pith_memory() + pith_record_ptr(h);
      int len = (int)pith_record_len(h);
      if (k == PITH_REC_TEXT) fwrite(p, 1, (size_t)len, stdout);
      else fprintf(stderr, "# %s %.*s\n", k < 8 ? KINDS[k] : "?", len, p);
    }
    if (k < 0) status = fail(path, k);
  }
  if (h > 0) pith_stream_close(h);
  pith_free(doc, n > 0 ? (int32_t)n : 1);
  return status;
}

int main(int argc, char **argv) {
  if (pith_init() != 0) return 2;
  int json = 0, status = 0, files = 0;
  const char *mime = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json")) json = 1;
    else if (!strcmp(argv[i], "--mime") && i + 1 < argc) mime = argv[++i];
    else {
      files++;
      status |= extract_file(argv[i], mime, json);
    }
  }
  if (!files) {
    fprintf(stderr, "usage: pith-c [--json] [--mime TYPE] FILE...\n(ABI %d, features 0x%x)\n", pith_abi_version(), pith_features());
    return 2;
  }
  return status;
}
