#!/usr/bin/env python3
"""Derived seeds for the targets whose inputs are not whole corpus documents, written to OUT:

  docx xlsx pptx odt   every corpus document of that type as parts, `name NUL content ...`
                       (XML parts only, mimetype first), the form `pith_fuzz::office` packs
  ods odp              the corpus has none: small hand-written packages, packed and zipped
  zip                  those hand-written packages zipped, one of them as ZIP64
  inflate              the deflated entries of the Office documents and the Flate streams of
                       the PDFs, each after its size as two little-endian bytes
  pdf pdf_lexer        the PDFs up to 512 KiB rewritten by qpdf (when installed) with
  pdf_xref             streams and objects in the clear (`--qdf --object-streams=disable`)
  pdf_filters          the PDFs' encoded streams behind the four parameter bytes
  pdf_cmap             the CMaps found in the PDFs (ToUnicode and embedded encodings)
  pdf_content          the content streams found in the PDFs
  pdf_font             the font dictionaries found in the PDFs, each followed by a string
                       to show, and hand-written ones using `mini_pdf`'s objects

The corpus is read in place; nothing is written outside OUT (qpdf's output goes to a
temporary folder).
    fuzz/seeds.py TARGET CORPUS OUT
"""

import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

MAX = 65536  # run.sh's -max_len


def files(corpus, *exts):
    for root, _, names in os.walk(corpus):
        for n in sorted(names):
            if n.rsplit(".", 1)[-1].lower() in exts:
                yield os.path.join(root, n)


def write(out, data, tag="", cut=False):
    """One seed named by its hash; a longer one is dropped, or with `cut` cut to MAX."""
    if cut:
        data = data[:MAX]
    if not data or len(data) > MAX:
        return
    name = hashlib.sha1(data).hexdigest()[:16] + tag
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


MAIN = re.compile(r"(document|workbook|sharedStrings|sheet\d*|slide\d*|content|presentation)\.xml$")


def packed(parts):
    """`name NUL content NUL ...` within MAX bytes: mimetype, content types and relationships
    first, then the main parts (the last one that does not fit is cut), then the rest."""
    def rank(p):
        n = p[0]
        return (n != "mimetype", n != "[Content_Types].xml", not n.endswith(".rels"), not MAIN.search(n), len(p[1]))
    out, total = [], 0
    for n, c in sorted(parts, key=rank):
        room = MAX - total - len(n) - 2
        if len(c) > room:
            if not MAIN.search(n) or room < 1024:
                continue
            c = c[:room]
        out.append(n.encode() + b"\0" + c)
        total += len(out[-1]) + 1
    return b"\0".join(out)


def xml_parts(path):
    try:
        z = zipfile.ZipFile(path)
        return [(i.filename, z.read(i)) for i in z.infolist()
                if i.filename == "mimetype" or i.filename.endswith((".xml", ".rels"))]
    except Exception:
        return []


def zipped(parts, zip64=False):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in parts:
            info = zipfile.ZipInfo(n)
            info.compress_type = zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=zip64) as f:
                f.write(c)
    return b.getvalue()


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')

SHEETS = [
    '<table:table table:name="Sales"><table:table-column table:number-columns-repeated="3"/>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Item</text:p></table:table-cell>'
    '<table:table-cell><text:p>Qty</text:p></table:table-cell></table:table-row>'
    '<table:table-row table:number-rows-repeated="2"><table:table-cell><text:p>Pen</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="3"/><table:table-cell table:number-columns-repeated="2"/>'
    '</table:table-row><table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Total</text:p>'
    '</table:table-cell><table:covered-table-cell/><table:table-cell><text:p>6</text:p><office:annotation>'
    '<text:p>checked</text:p></office:annotation></table:table-cell></table:table-row></table:table>'
    '<table:table table:name="Empty"><table:table-row table:number-rows-repeated="1048576">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>',
    '<table:table table:name="Dates"><table:table-row><table:table-cell office:value-type="date" '
    'office:date-value="2024-01-31"><text:p>31/01/2024</text:p></table:table-cell><table:table-cell '
    'office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>'
    '<table:table-cell office:value-type="currency" office:currency="EUR" office:value="9.99"/>'
    '<table:table-cell office:value-type="boolean" office:boolean-value="true"/></table:table-row></table:table>',
]
SLIDES = [
    ''.join(
        f'<draw:page draw:name="page{n}"><draw:frame presentation:class="title"><draw:text-box><text:p>{t}</text:p>'
        '</draw:text-box></draw:frame><draw:frame presentation:class="outline"><draw:text-box><text:list>'
        f'<text:list-item><text:p>Point {n}</text:p></text:list-item></text:list></draw:text-box></draw:frame>'
        '<presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>notes</text:p>'
        '</draw:text-box></draw:frame></presentation:notes></draw:page>'
        for n, t in [(1, "Intro"), (2, "End")]),
    '<draw:page draw:name="t"><draw:frame><table:table><table:table-row><table:table-cell><text:p>a</text:p>'
    '</table:table-cell><table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>'
    '</draw:frame><draw:g><draw:custom-shape><text:p>grouped <text:span>shape</text:span></text:p>'
    '</draw:custom-shape></draw:g></draw:page>',
]


def odf(kind, body):
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
               f'<office:{kind}>{body}</office:{kind}></office:body></office:document-content>')
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NS}><office:meta>'
            '<dc:title>T</dc:title><dc:creator>C</dc:creator><meta:keyword>k</meta:keyword>'
            '</office:meta></office:document-meta>')
    return [("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", content.encode()), ("meta.xml", meta.encode())]


def hand_written(kind):
    return [odf(kind, b) for b in (SHEETS if kind == "spreadsheet" else SLIDES)]


def qdf(pdfs, tmp):
    """The PDFs rewritten in the clear by qpdf (none when qpdf is missing)."""
    if not shutil.which("qpdf"):
        return []
    out = []
    for i, p in enumerate(pdfs):
        # Big documents grow by their images; a seed is cut at 64 KiB anyway.
        if os.path.getsize(p) > 512 * 1024:
            continue
        dst = os.path.join(tmp, f"{i}.pdf")
        r = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", p, dst],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode in (0, 3) and os.path.exists(dst) and os.path.getsize(dst) < 8 << 20:
            out.append(dst)
    return out


STREAM = re.compile(rb"obj\s*(<<.{0,4000}?>>)\s*stream\r?\n", re.S)


def streams(data):
    """(dict, raw data, decoded data) of each stream; decoded is None when it is not Flate
    (or in the clear) or does not inflate."""
    for m in STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        d, raw = m.group(1), data[m.end():end].rstrip(b"\r\n")
        if b"/Filter" not in d:
            yield d, raw, raw
            continue
        if b"FlateDecode" not in d or b"[" in d.split(b"/Filter", 1)[1][:3]:
            yield d, raw, None
            continue
        try:
            yield d, raw, zlib.decompressobj().decompress(raw)
        except zlib.error:
            yield d, raw, None


OBJ = re.compile(rb"\d+ \d+ obj\s*")
FONT_TYPE = re.compile(rb"/Type\s*/Font\b")


def font_dicts(data):
    """The direct font dictionaries (`N G obj << ... /Type /Font ... >> endobj`)."""
    for m in OBJ.finditer(data):
        end = data.find(b"endobj", m.end(), m.end() + 6000)
        body = data[m.end():end].strip() if end > 0 else b""
        if body.startswith(b"<<") and body.endswith(b">>") and FONT_TYPE.search(body):
            yield body

HAND_FONTS = [
    b"<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [9 0 R] /ToUnicode 30 0 R >>"
    b"/CIDInit /ProcSet findresource begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange "
    b"1 beginbfrange <0000> <00FF> <0041> endbfrange endcmap <00410042>",
    b"<< /Type /Font /Subtype /Type0 /Encoding 30 0 R /DescendantFonts [<< /Subtype /CIDFontType0 "
    b"/W [1 2 500] /DW2 [880 -1000] /W2 [1 [1000 500 880]] >>] >>"
    b"begincmap 2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange "
    b"1 begincidrange <8140> <817E> 633 endcidrange 1 begincidchar <41> 34 endcidchar /WMode 1 def endcmap "
    b"\x41\x81\x40\x81\x7e",
    b"<< /Type /Font /Subtype /Type0 /Encoding /UniGB-UCS2-H /DescendantFonts [9 0 R] >> <4e2d6587>",
    b"<< /Type /Font /Subtype /Type0 /Encoding /GBK-EUC-H /DescendantFonts [9 0 R] /ToUnicode 10 0 R >> (\xd6\xd0)",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Symbol /FontDescriptor << /Flags 4 /FontFile 30 0 R >> >>"
    b"/Encoding 256 array 0 1 255 {1 index exch /.notdef put} for dup 65 /alpha put dup 66 /beta put readonly def"
    b"(AB)",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >> (\x21\x22\x23)",
    b"<< /Type /Font /Subtype /TrueType /BaseFont /Times-Roman /Encoding << /Differences [1 /uni00410042 "
    b"/u1F600 /g33 /Acute /ff /f_f_i] >> /FirstChar 1 /LastChar 6 /Widths 7 0 R >> (\x01\x02\x03\x04\x05\x06)",
    b"<< /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /Encoding << /Differences [0 /x] >> /Widths [1] >> (\x00)",
]

HAND_FILTERS = [
    b"\x03\x00\x30\x01" + b"48 65 6C 6c 6f>",
    b"\x04\x00\x30\x01" + b"<~87cURD]i,\"Ebo80~>",
    b"\x05\x00\x30\x01" + bytes([2, 97, 98, 99, 254, 120, 128, 9]),
    b"\x02\x00\x30\x01" + bytes([0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01]),
    b"\x02\x00\xb0\x01" + bytes([0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01]),
    b"\x31\x04\x30\x03" + zlib.compress(b"\x02\x01\x02\x03\x01\x01\x01\x01\x04\x01\x01\x01"),
    b"\x01\x01\x13\x03" + zlib.compress(bytes(range(48))),
]


def main():
    target, corpus, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    office = {"docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "odt": "odt"}
    if target in office:
        for p in files(corpus, office[target]):
            write(out, packed(xml_parts(p)))
    elif target in ("ods", "odp", "zip"):
        kinds = {"ods": ["spreadsheet"], "odp": ["presentation"], "zip": ["spreadsheet", "presentation"]}[target]
        for kind in kinds:
            for i, parts in enumerate(hand_written(kind)):
                if target != "zip":
                    write(out, packed(parts))
                write(out, zipped(parts, zip64=target == "zip" and i == 0))
    elif target == "inflate":
        for p in files(corpus, "docx", "xlsx", "pptx", "odt", "epub"):
            try:
                z = zipfile.ZipFile(p)
                raw = open(p, "rb").read()
                for i in z.infolist():
                    if i.compress_type != 8 or i.file_size >= 65536:
                        continue
                    h = i.header_offset
                    n, x = struct.unpack("<HH", raw[h + 26:h + 30])
                    start = h + 30 + n + x
                    write(out, struct.pack("<H", i.file_size) + raw[start:start + i.compress_size])
            except Exception:
                pass
        for p in files(corpus, "pdf"):
            for d, raw, dec in streams(open(p, "rb").read()):
                if dec is not None and b"FlateDecode" in d:
                    write(out, struct.pack("<H", len(dec) & 0xFFFF) + raw)
    elif target in ("pdf", "pdf_lexer", "pdf_xref"):
        with tempfile.TemporaryDirectory() as tmp:
            for p in qdf(list(files(corpus, "pdf")), tmp):
                write(out, open(p, "rb").read(), cut=True)
    else:
        pdfs = list(files(corpus, "pdf"))
        if target == "pdf_filters":
            for s in HAND_FILTERS:
                write(out, s)
        if target == "pdf_font":
            for s in HAND_FONTS:
                write(out, s)
        with tempfile.TemporaryDirectory() as tmp:
            for p in pdfs + qdf(pdfs, tmp):
                data = open(p, "rb").read()
                if target == "pdf_font":
                    for d in font_dicts(data):
                        write(out, d + b" (Hello, world) <0003001000110012>")
                    continue
                for d, raw, dec in streams(data):
                    if target == "pdf_filters" and b"FlateDecode" in d:
                        pred = re.search(rb"/Predictor\s+(\d+)", d)
                        cols = re.search(rb"/Columns\s+(\d+)", d)
                        p = int(pred.group(1)) if pred else 1
                        pbyte = {1: 0, 2: 1}.get(p, max(2, min(7, p - 8)))
                        c = int(cols.group(1)) if cols else 1
                        write(out, bytes([1, pbyte, 0x30, c & 0x7F]) + raw)
                    elif dec is None:
                        continue
                    elif target == "pdf_cmap" and b"begincmap" in dec:
                        write(out, dec)
                    elif target == "pdf_content" and re.search(rb"\bBT\b", dec) and re.search(rb"\bT[jJ]\b", dec):
                        write(out, dec)


if __name__ == "__main__":
    main()
