"""Tests of the Python host on the built module and real documents of the shared corpus.

Run with `python3 hosts/python/run_tests.py` (it makes a venv under target/ with the pinned
wasmtime), or `python -m unittest discover -s hosts/python` where wasmtime is installed.
Environment: PITH_WASM (default dist/pith-complete.wasm), PITH_CORPUS (the corpus documents).
"""

import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
sys.path.insert(0, HERE)

from pith import Pith, PithError, config_bytes  # noqa: E402

WASM = os.environ.get("PITH_WASM", os.path.join(ROOT, "dist/pith-complete.wasm"))
CORPUS = os.environ.get("PITH_CORPUS", os.path.join(ROOT, "../shared/corpus/documents"))
FEATURE_PDF = 1 << 16
FEATURE_HTML = 1 << 1

TEXT_DOCS = {
    "text/french_text.txt": "Ceci est un texte français pour tester la détection de langue.",
    "text/german_text.txt": "Dies ist ein deutscher Text für Tests der Spracherkennung.",
    "text/spanish_text.txt": "Este es un texto en español para probar la detección de idioma.",
    "text/norwich_city.txt": "Iwan Roberts",
    "text/report.txt": "Annual Report 2024",
}


def read(path: str) -> bytes:
    with open(os.path.join(CORPUS, path), "rb") as f:
        return f.read()


def clean(text: str) -> str:
    """What the text extractor makes of UTF-8: no BOM, LF line endings, no C0 but tab and LF."""
    text = re.sub(r"\r\n?|\f", "\n", text.lstrip("\ufeff"))
    return re.sub(r"[\x00-\x08\x0b-\x1f]", "", text)


class PithHostTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(WASM):
            raise unittest.SkipTest(f"{WASM} is missing: build it first (cargo xtask dist)")
        cls.pith = Pith(WASM)

    def assert_next_call_works(self):
        r = self.pith.extract(read("text/french_text.txt"))
        self.assertIn("Ceci est un texte français", r["content"])

    def test_abi_features_and_mime_types(self):
        self.assertEqual(self.pith.abi_version, 1)
        self.assertEqual(self.pith.features() & 1, 1)
        mimes = self.pith.mime_types()
        self.assertIn("text/plain", mimes)
        self.assertEqual("application/pdf" in mimes, bool(self.pith.features() & FEATURE_PDF))
        self.assertEqual("text/html" in mimes, bool(self.pith.features() & FEATURE_HTML))

    def test_french_text_content_and_metadata(self):
        data = read("text/french_text.txt")
        r = self.pith.extract(data, "text/plain")
        self.assertEqual(r["content"], clean(data.decode("utf-8")))
        self.assertIn("Il contient des mots et des phrases françaises", r["content"])
        self.assertEqual(r["mime_type"], "text/plain")
        self.assertEqual(r["metadata"]["format_type"], "text")
        self.assertEqual(r["metadata"]["line_count"], 2)
        self.assertEqual(r["metadata"]["word_count"], 23)
        self.assertEqual(r["tables"], [])
        self.assertEqual(r["warnings"], [])

    def test_corpus_text_documents(self):
        for path, phrase in TEXT_DOCS.items():
            with self.subTest(path=path):
                data = read(path)
                r = self.pith.extract(data)
                self.assertIn(phrase, r["content"])
                self.assertEqual(r["content"], clean(data.decode("utf-8")))
                self.assertEqual(r["metadata"]["word_count"], len(r["content"].split()))

    def test_stream_records(self):
        data = read("text/norwich_city.txt")
        whole = self.pith.extract(data)
        records = list(self.pith.stream(data, chunk_size=1024))
        self.assertEqual(records[0], {"type": "document", "mime_type": "text/plain"})
        texts = [r["text"] for r in records if r["type"] == "text"]
        self.assertGreater(len(texts), 10)
        self.assertTrue(all(len(t.encode()) <= 1024 for t in texts))
        self.assertEqual("".join(texts), whole["content"])
        meta = {r["key"]: r["value"] for r in records if r["type"] == "metadata"}
        self.assertEqual(meta, whole["metadata"])

    def test_stream_closed_early_frees_everything(self):
        data = read("text/norwich_city.txt")
        list(self.pith.stream(data, chunk_size=64))
        self.pith._call("arena_reset")
        base = self.pith.heap_live()
        for i, r in enumerate(self.pith.stream(data, chunk_size=64)):
            if i == 3:
                break
        self.assertEqual(self.pith._call("arena_reset"), 0, "no stream left open")
        self.assertEqual(self.pith.heap_live(), base)

    def test_options(self):
        data = read("text/german_text.txt")
        base = self.pith.extract(data)["content"]
        self.assertEqual(self.pith.extract(data, fmt="text", images=True, notes=True, comments=True,
                                           password="x", max_pages=3)["content"], base)
        self.assertEqual(config_bytes(), b"")
        self.assertEqual(len(config_bytes(fmt="text")), 32)
        with self.assertRaises(PithError) as e:
            self.pith.extract(data, max_input=10)
        self.assertEqual(e.exception.code_name, "LIMIT")
        with self.assertRaises(PithError) as e:
            self.pith.extract(data, fmt="html")
        self.assertEqual(e.exception.code_name, "INVALID_ARGUMENT")
        self.assert_next_call_works()

    def test_corrupt_and_unsupported_files_are_clean_errors(self):
        pdf = read("pdf/simple.pdf")
        # The real header line, then bytes >= 0x80: no object, xref or trailer anywhere.
        broken = pdf[: pdf.index(b"\n") + 1] + bytes(0x80 | ((i * 7919) & 0x7F) for i in range(4096))
        expected = "CORRUPT" if self.pith.features() & FEATURE_PDF else "UNSUPPORTED"
        with self.assertRaises(PithError) as e:
            self.pith.extract(broken)
        self.assertEqual(e.exception.code_name, expected)
        self.assertTrue(e.exception.message)
        self.assert_next_call_works()
        with self.assertRaises(PithError) as e:
            list(self.pith.stream(broken))
        self.assertEqual(e.exception.code_name, expected)
        self.assert_next_call_works()
        with self.assertRaises(PithError) as e:
            self.pith.extract(pdf, "text/plain")
        self.assertEqual((e.exception.code, e.exception.code_name), (-10, "MIME_MISMATCH"))
        self.assertIn("application/pdf", e.exception.message)
        with self.assertRaises(PithError) as e:
            self.pith.extract(b"hello", "application/x-unknown")
        self.assertEqual(e.exception.code, -4)
        self.assert_next_call_works()
        self.assertEqual(self.pith._call("arena_reset"), 0, "no stream left open by the errors")

    def test_memory_returns_to_baseline(self):
        data = read("text/norwich_city.txt")
        self.pith.extract(data)
        self.pith._call("arena_reset")
        self.pith._call("stream_close", 0)  # a fixed last-error message
        base = self.pith.heap_live()
        for _ in range(20):
            self.pith.extract(data)
            with self.assertRaises(PithError):
                self.pith.extract(b"x", "application/x-unknown")
        self.pith._call("arena_reset")
        self.pith._call("stream_close", 0)
        self.assertEqual(self.pith.heap_live(), base)


if __name__ == "__main__":
    unittest.main()
