/*
 * pith_c.h: the pith ABI for C programs, on the module translated to C by wabt's wasm2c.
 *
 * abi/pith.h declares the module's exports by their wasm names (alloc, free, features, ...).
 * Here the same declarations are taken from abi/pith.h with a `pith_` prefix, so that they do
 * not clash with the C library's free, and the compiler checks pith_abi.c against them.
 */
#ifndef PITH_C_H
#define PITH_C_H

#include <stdint.h>

#define alloc pith_alloc
#define free pith_free
#define abi_version pith_abi_version
#define features pith_features
#define mime_types pith_mime_types
#define mime_types_len pith_mime_types_len
#define extract_ptr pith_extract_ptr
#define stream_next pith_stream_next
#define record_ptr pith_record_ptr
#define record_len pith_record_len
#define result_json pith_result_json
#define stream_close pith_stream_close
#define error_ptr pith_error_ptr
#define error_len pith_error_len
#define heap_live pith_heap_live
#define arena_reset pith_arena_reset
#include "../../abi/pith.h"
#undef alloc
#undef free
#undef abi_version
#undef features
#undef mime_types
#undef mime_types_len
#undef extract_ptr
#undef stream_next
#undef record_ptr
#undef record_len
#undef result_json
#undef stream_close
#undef error_ptr
#undef error_len
#undef heap_live
#undef arena_reset

/* Instantiate the module (once per process here). 0 on success. */
int pith_init(void);
/* The module's memory: pointers the ABI returns are offsets into it. The base may move after
 * any call (memory growth): take it again after each one. */
uint8_t *pith_memory(void);
uint64_t pith_memory_size(void);

#endif /* PITH_C_H */
