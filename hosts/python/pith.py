"""pith from Python: the same .wasm as every other host, on the `wasmtime` package from PyPI.

A host of the C ABI in abi/pith.h (contract: abi/ABI.md), in the shape of the JS loader:

    from pith import Pith, PithError
    pith = Pith("dist/pith-complete.wasm")        # compile once; one instance
    result = pith.extract(open("doc.txt", "rb").read())   # {'content', 'mime_type', 'metadata', ...}
    for record in pith.stream(data, chunk_size=16384):    # {'type': 'text', 'text': ...}, 'page', ...
        ...

Errors are `PithError` with `code` (negative PITH_E_*) and `code_name`; the instance stays
usable after any of them. A trap (a bug in pith) replaces the instance from the kept module
and raises PithError INTERNAL. Command line: `python3 pith.py FILE... [--format F] [--stream]`.
"""

from __future__ import annotations

import json
import struct
import sys
from typing import Any, Dict, Iterator, Optional, Union

import wasmtime

__all__ = ["Pith", "PithError", "CODE_NAMES", "RECORD_KINDS"]

CODE_NAMES = {
    -1: "INVALID_ARGUMENT", -2: "BAD_POINTER", -3: "OUT_OF_MEMORY", -4: "UNSUPPORTED",
    -5: "CORRUPT", -6: "PASSWORD_REQUIRED", -7: "LIMIT", -8: "BAD_HANDLE", -9: "INTERNAL",
    -10: "MIME_MISMATCH", -11: "IN_USE",
}
RECORD_KINDS = {1: "text", 2: "page", 3: "metadata", 4: "table", 5: "image", 6: "warning", 7: "document"}

FLAG_PLAIN, FLAG_IMAGES, FLAG_NOTES, FLAG_COMMENTS = 1, 2, 4, 8
LIMITS = ("max_input", "max_output", "max_pages", "max_decompressed", "max_depth", "max_objects")


class PithError(Exception):
    """A negative status of the module: `code` (e.g. -5) and `code_name` (e.g. 'CORRUPT')."""

    def __init__(self, code: int, message: str = ""):
        self.code = code
        self.code_name = CODE_NAMES.get(code, "UNKNOWN")
        self.message = message or self.code_name
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"PithError({self.code}, {self.code_name}: {self.message!r})"


def config_bytes(fmt: str = "markdown", images: bool = False, notes: bool = False, comments: bool = False,
                 password: Optional[str] = None, **limits: int) -> bytes:
    """The config of pith.h: eight little-endian u32 words, then the UTF-8 password; b'' when
    everything is the default."""
    if fmt not in ("markdown", "text"):
        raise PithError(-1, f"INVALID_ARGUMENT: format {fmt!r} (markdown or text)")
    unknown = set(limits) - set(LIMITS)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    flags = (fmt == "text") * FLAG_PLAIN | images * FLAG_IMAGES | notes * FLAG_NOTES | comments * FLAG_COMMENTS
    words = [flags] + [limits.get(k) or 0 for k in LIMITS] + [0]
    for w in words:
        if not isinstance(w, int) or not 0 <= w < 2 ** 32:
            raise PithError(-1, f"INVALID_ARGUMENT: option value {w!r}")
    pw = (password or "").encode()
    if not pw and not any(words):
        return b""
    return struct.pack("<8I", *words) + pw


class Pith:
    """One compiled module and one instance of it."""

    def __init__(self, module: Union[str, bytes, wasmtime.Module], engine: Optional[wasmtime.Engine] = None):
        if isinstance(module, wasmtime.Module):
            if engine is None:
                raise TypeError("a compiled wasmtime.Module needs the engine it was compiled with")
            self.engine, self.module = engine, module
        else:
            self.engine = engine or wasmtime.Engine()
            if isinstance(module, (bytes, bytearray)):
                self.module = wasmtime.Module(self.engine, bytes(module))
            else:
                self.module = wasmtime.Module.from_file(self.engine, module)
        self._fresh()
        self.abi_version = self._x["abi_version"](self._store)

    # ---- the instance --------------------------------------------------------------------
    def _fresh(self) -> None:
        self._store = wasmtime.Store(self.engine)
        instance = wasmtime.Instance(self._store, self.module, [])
        self._x = instance.exports(self._store)
        self._mem = self._x["memory"]
        self._generation = getattr(self, "_generation", 0) + 1

    def _call(self, name: str, *args: int) -> int:
        try:
            return self._x[name](self._store, *args)
        except wasmtime.Trap as e:  # a bug in pith: start again from the compiled module
            self._fresh()
            raise PithError(-9, f"INTERNAL: {e}") from e

    def _check(self, code: int) -> int:
        if code < 0:
            raise PithError(code, self._read(self._call("error_ptr"), self._call("error_len")).decode("utf-8", "replace"))
        return code

    def _read(self, ptr: int, length: int) -> bytes:
        return bytes(self._mem.read(self._store, ptr, ptr + length)) if length else b""

    def _put(self, data: bytes) -> tuple:
        """Copy bytes into a fresh alloc block: (ptr, len, size asked)."""
        size = max(len(data), 1)
        ptr = self._call("alloc", size) if size < 2 ** 31 else 0
        if not ptr:
            raise PithError(-3, "OUT_OF_MEMORY: alloc failed")
        if data:
            self._mem.write(self._store, data, ptr)
        return ptr, len(data), size

    def _open(self, data: bytes, mime: Optional[str], options: Dict[str, Any]) -> tuple:
        """Write the document, open a stream over it: (handle, document block)."""
        cfg = config_bytes(**options)
        doc = self._put(bytes(data))
        m = c = (0, 0, 0)
        try:
            m = self._put(mime.encode()) if mime else m
            c = self._put(cfg) if cfg else c
            return self._check(self._call("extract_ptr", doc[0], doc[1], m[0], m[1], c[0], c[1])), doc
        except BaseException:
            self._call("free", doc[0], doc[2])
            raise
        finally:
            # The MIME type and config are copied by extract_ptr: free them at once.
            self._call("free", m[0], m[2])
            self._call("free", c[0], c[2])

    def _close(self, handle: int, doc: tuple, generation: int) -> None:
        if generation == self._generation:  # else the instance (and all its blocks) is gone
            self._call("stream_close", handle)
            self._call("free", doc[0], doc[2])

    # ---- what this build reads -------------------------------------------------------------
    def features(self) -> int:
        """PITH_FEATURE_* bits (bit 0: text/plain, bit 1: HTML, ..., bit 16: PDF)."""
        return self._call("features")

    def mime_types(self) -> list:
        data = self._read(self._call("mime_types"), self._call("mime_types_len"))
        return [m for m in data.decode().split("\n") if m]

    # ---- extraction ------------------------------------------------------------------------
    def extract(self, data: bytes, mime: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """The whole result (schema: abi/ABI.md): content, mime_type, metadata, tables, pages,
        images, warnings. Options: fmt ('markdown' or 'text'), images, notes, comments,
        password, max_input, max_output, max_pages, max_decompressed, max_depth, max_objects."""
        generation = self._generation
        handle, doc = self._open(data, mime, options)
        try:
            n = self._check(self._call("result_json", handle))
            return json.loads(self._read(self._call("record_ptr", handle), n))
        finally:
            self._close(handle, doc, generation)

    def stream(self, data: bytes, mime: Optional[str] = None, chunk_size: int = 0,
               **options: Any) -> Iterator[Dict[str, Any]]:
        """The records one by one, as the module produces them: {'type': 'document', ...} first,
        then 'text' ({'text': str}), 'page', 'metadata' ({'key', 'value'}), 'table', 'image',
        'warning'. Closing the generator (or leaving the loop) closes the stream."""
        generation = self._generation
        handle, doc = self._open(data, mime, options)
        try:
            while True:
                if generation != self._generation:
                    raise PithError(-8, "BAD_HANDLE: the instance was replaced")
                kind = self._check(self._call("stream_next", handle, chunk_size))
                if kind == 0:
                    return
                payload = self._read(self._call("record_ptr", handle), self._call("record_len", handle))
                if kind == 1:
                    yield {"type": "text", "text": payload.decode("utf-8")}
                    continue
                value = json.loads(payload)
                if kind == 3:
                    (key, val), = value.items()
                    yield {"type": "metadata", "key": key, "value": val}
                else:
                    yield {**value, "type": RECORD_KINDS.get(kind, kind)}
        finally:
            self._close(handle, doc, generation)

    def heap_live(self) -> int:
        return self._call("heap_live")


def main(argv: list) -> int:
    import argparse
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(prog="pith.py", description="Extract text with the pith wasm module.")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--module", default=os.path.join(here, "../../dist/pith-complete.wasm"))
    parser.add_argument("--mime")
    parser.add_argument("--format", choices=["markdown", "text", "json"], default="markdown")
    parser.add_argument("--stream", action="store_true", help="print the records as JSON lines")
    args = parser.parse_args(argv)
    pith = Pith(args.module)
    status = 0
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        try:
            if args.stream:
                for record in pith.stream(data, args.mime, chunk_size=16384):
                    print(json.dumps(record, ensure_ascii=False))
            elif args.format == "json":
                print(json.dumps(pith.extract(data, args.mime), ensure_ascii=False, indent=2))
            else:
                sys.stdout.write(pith.extract(data, args.mime, fmt=args.format)["content"])
        except PithError as e:
            print(f"{path}: {e.code_name} ({e.code}): {e.message}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
