#!/usr/bin/env python3
"""Generates src/encoding/cjk_tables.rs (the WHATWG CJK indexes, compressed) and
src/encoding/cjk_testdata.rs (test vectors encoded by Python's codecs).

    python3 tools/gen_cjk_tables.py && rustfmt --edition 2021 src/encoding/cjk_tables.rs src/encoding/cjk_testdata.rs

Needs cargo (with crates.io), Python's zopfli package and the corpus in ../shared/corpus. The output is committed, so
building and testing the crate needs neither.

Source of the indexes: tools/gen_cjk_index, a small Rust program that decodes every pointer's
bytes with encoding_rs, the Encoding Standard's decoders as Firefox ships them. Node's
TextDecoder is not used: its ICU converters are not the standard's (measured on Node 20 /
ICU 78: its EUC-KR lacks the 8,822 UHC Hangul, its Big5 lacks HKSCS, its GBK keeps the pre-2022
private-use mappings, its Shift_JIS swaps 0x1A/0x1C/0x7F and rejects 0x80). Python's codecs
differ from the standard too (cp932, big5, gbk), so they only encode the test text, which the
generator then checks against encoding_rs.

Indexes (pointer -> code point; null where the standard has none):
  jis0208  (Shift_JIS, EUC-JP, ISO-2022-JP), jis0212 (EUC-JP after 0x8F), gb18030 (GBK and
  gb18030, two-byte), big5, euc-kr; plus the gb18030 four-byte ranges, kept as a plain list.

Layout of one index: a byte stream of operations in pointer order, deflated (raw deflate by
Zopfli) and inflated once per document by miniz_oxide, which the `complete` preset already
has. The stream:

  0x00..=0x7F       literal, z = byte
  0x80..=0xAF, b    literal, z = (byte & 0x3F) << 8 | b
  0xB0..=0xBF, b, c literal, z = (byte & 0x0F) << 16 | b << 8 | c
  0xC0, varint      literal from the second predictor (code points >= U+10000 and the
                    CJK compatibility ideographs U+F900..U+FAFF)
  0xC1, varint      run of n = varint + 1 code points, each the previous + 1 (first predictor)
  0xC2, varint      same, second predictor
  0xC3, varint      run of n null pointers
  0xC4, varint      run of n "fill" entries of fill range 0; 0xC5: of fill range 1
  0xE8..=0xFF       run of n = byte - 0xE7 code points, each the previous + 1 (first predictor)

A literal's code point is its predictor's previous value + 1 + zigzag-decoded z (the first
predictor starts at U+4E00, the second at U+20000). Varints are little-endian base 128.

Fill ranges exploit that an index holds every code point of a block, some of them in an
arbitrary order (the explicit entries) and the rest in Unicode order: the fill entries take,
in pointer order, the block's code points that no explicit entry has. GBK/3 and GBK/4 are
the CJK Unified Ideographs U+4E00..U+9FA5 that GB2312 lacks; the UHC extension of EUC-KR is the
Hangul syllables that KS X 1001 lacks, and its compatibility ideographs U+F900..U+FA0B come in
order. The generator picks the fill entries as a longest increasing subsequence of the block's
entries, so anything else in order costs nothing either.
"""

import bisect
import html
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "documents")

# Index name, Rust const prefix, pointer count, fill ranges [lo, hi).
INDEXES = [
    ("jis0208", "JIS0208", []),
    ("jis0212", "JIS0212", []),
    ("gb18030", "GB18030", [(0x4E00, 0x9FA6)]),
    ("big5", "BIG5", []),
    ("euc-kr", "EUC_KR", [(0xAC00, 0xD7A4), (0xF900, 0xFA0C)]),
]
BIG5_PAIRS = {1133: (0xCA, 0x304), 1135: (0xCA, 0x30C), 1164: (0xEA, 0x304), 1166: (0xEA, 0x30C)}
PRED_START = (0x4E00, 0x20000)


def run_helper(args, stdin=None):
    target = os.path.join(tempfile.gettempdir(), "pith-gen-cjk-index")
    cmd = ["cargo", "run", "--release", "--quiet", "--manifest-path",
           os.path.join(ROOT, "tools", "gen_cjk_index", "Cargo.toml"), "--target-dir", target, "--"] + args
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True).stdout


def load_indexes():
    idx = {name: {} for name, _, _ in INDEXES}
    idx["jis0208-euc"], idx["gb18030-4"] = {}, {}
    for line in run_helper([]).splitlines():
        name, p, cps = line.split()
        cps = tuple(int(c, 16) for c in cps.split(","))
        idx[name][int(p)] = cps
    pairs = {p: v for p, v in idx["big5"].items() if len(v) == 2}
    assert pairs == BIG5_PAIRS, pairs
    for p in pairs:
        del idx["big5"][p]
    out = {}
    for name in list(idx):
        assert all(len(v) == 1 for v in idx[name].values()), name
        out[name] = {p: v[0] for p, v in idx[name].items()}
    # EUC-JP reaches jis0208 below pointer 8836 only, and agrees with Shift_JIS there.
    assert out.pop("jis0208-euc") == {p: c for p, c in out["jis0208"].items() if p < 8836}
    return out


def gb18030_ranges(four):
    """The four-byte ranges (pointer, code point) of the BMP, as the standard lists them."""
    # encoding_rs decodes every pointer below 39420; the only one missing is U+FFFD itself.
    missing = [p for p in range(39420) if p not in four]
    assert missing == [39417], missing
    four[39417] = 0xFFFD
    ranges = []
    for p in range(39420):
        if p == 7457:
            assert four[p] == 0xE7C7  # the standard's special case, outside every range
            continue
        if not ranges or p == 7458 or four[p] != four[p - 1] + 1:
            ranges.append((p, four[p]))
    for p in range(39420):
        if p != 7457:
            start, cp = ranges[bisect.bisect_right(ranges, (p, 0x10FFFF)) - 1]
            assert cp + p - start == four[p], p
    assert four[189000] == 0x10000 and four[1237575] == 0x10FFFF
    assert 39420 not in four and 188999 not in four and 1237576 not in four
    return ranges


def lis_positions(items):
    """Positions of a longest strictly increasing subsequence of (position, value) items."""
    tails, tails_i, prev = [], [], [-1] * len(items)
    for i, (_, v) in enumerate(items):
        j = bisect.bisect_left(tails, v)
        if j == len(tails):
            tails.append(v)
            tails_i.append(i)
        else:
            tails[j], tails_i[j] = v, i
        prev[i] = tails_i[j - 1] if j > 0 else -1
    out, i = set(), tails_i[-1] if tails_i else -1
    while i >= 0:
        out.add(items[i][0])
        i = prev[i]
    return out


def secondary(c):
    return c >= 0x10000 or 0xF900 <= c < 0xFB00


def varint(z, out):
    while z >= 0x80:
        out.append(0x80 | (z & 0x7F))
        z >>= 7
    out.append(z)


def zigzag(d):
    return 2 * d if d >= 0 else -2 * d - 1


def encode_index(v, fills):
    n = max(v) + 1
    fill_of = {}
    for fi, (lo, hi) in enumerate(fills):
        items = [(p, c) for p, c in sorted(v.items()) if lo <= c < hi]
        assert len({c for _, c in items}) == len(items) == hi - lo  # every code point once
        for p in lis_positions(items):
            fill_of[p] = fi
    out = bytearray()
    p, prev = 0, list(PRED_START)
    while p < n:
        if p in fill_of:
            fi, q = fill_of[p], p
            while q < n and fill_of.get(q) == fi:
                q += 1
            out.append(0xC4 + fi)
            varint(q - p - 1, out)
            p = q
            continue
        c = v.get(p)
        if c is None:
            q = p
            while q < n and v.get(q) is None and q not in fill_of:
                q += 1
            out.append(0xC3)
            varint(q - p - 1, out)
            p = q
            continue
        k = 1 if secondary(c) else 0
        if c == prev[k] + 1:
            q, cur = p, prev[k]
            while q < n and q not in fill_of and v.get(q) == cur + 1:
                cur += 1
                q += 1
            run = q - p
            if k == 0 and run <= 24:
                out.append(0xE7 + run)
            else:
                out.append(0xC1 + k)
                varint(run - 1, out)
            prev[k], p = cur, q
            continue
        z = zigzag(c - prev[k] - 1)
        if k == 1:
            out.append(0xC0)
            varint(z, out)
        elif z < 0x80:
            out.append(z)
        elif z < 0x3000:
            out += bytes([0x80 | z >> 8, z & 0xFF])
        else:
            assert z < 0x100000
            out += bytes([0xB0 | z >> 16, z >> 8 & 0xFF, z & 0xFF])
        prev[k] = c
        p += 1
    return bytes(out), n


def expand(stream, n, fills):
    """What src/encoding/cjk.rs does with a stream: the check that the format round-trips."""
    table, prev, i, p = [None] * n, list(PRED_START), 0, 0

    def var():
        nonlocal i
        z, shift = 0, 0
        while True:
            b = stream[i]
            i += 1
            z |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return z

    while i < len(stream):
        b = stream[i]
        i += 1
        lit = None
        if b < 0x80:
            lit = (0, b)
        elif b < 0xB0:
            lit = (0, (b & 0x3F) << 8 | stream[i])
            i += 1
        elif b < 0xC0:
            lit = (0, (b & 0x0F) << 16 | stream[i] << 8 | stream[i + 1])
            i += 2
        elif b == 0xC0:
            lit = (1, var())
        if lit:
            k, z = lit
            prev[k] += 1 + (z >> 1 if z & 1 == 0 else -(z >> 1) - 1)
            table[p] = prev[k]
            p += 1
            continue
        if b >= 0xE8:
            k, run = 0, b - 0xE7
        else:
            run = var() + 1
            k = b - 0xC1
        for _ in range(run):
            if b in (0xC3,):
                pass
            elif b in (0xC4, 0xC5):
                table[p] = ("fill", b - 0xC4)
            else:
                prev[k] += 1
                table[p] = prev[k]
            p += 1
    assert p == n
    for fi, (lo, hi) in enumerate(fills):
        used = {c for c in table if isinstance(c, int) and lo <= c < hi}
        free = iter(c for c in range(lo, hi) if c not in used)
        table = [next(free) if c == ("fill", fi) else c for c in table]
    return table


def deflate(data):
    """Raw deflate by Zopfli (4% smaller than zlib's level 9 here), checked by zlib."""
    try:
        import zopfli.zopfli
    except ImportError:
        raise SystemExit("needs Zopfli: pip install zopfli")
    z = zopfli.zopfli.compress(data, numiterations=100)  # a zlib stream: 2-byte header, Adler-32
    assert z[0] == 0x78 and not z[1] & 0x20
    raw = z[2:-4]
    assert zlib.decompress(raw, -15) == data
    return raw


def fnv(values):
    h = 0x811C9DC5
    for v in values:
        h = ((h ^ (v or 0)) * 0x01000193) & 0xFFFFFFFF
    return h


def rust_bytes(b):
    parts = []
    for x in b:
        c = chr(x)
        if c in '\\"':
            parts.append("\\" + c)
        elif 0x20 <= x < 0x7F:
            parts.append(c)
        elif x == 0x0A:
            parts.append("\\n")
        else:
            parts.append("\\x%02x" % x)
    return parts


def wrapped_bytes(b, indent="    ", width=110):
    """A byte string literal over several lines (a backslash at a line's end continues it)."""
    lines, line = [], indent + 'b"'
    for part in rust_bytes(b):
        if len(line) + len(part) + 2 > width:
            lines.append(line + "\\")
            line = indent
        # A continued line drops its leading white space: a space there must be escaped.
        line += "\\x20" if part == " " and line == indent else part
    return "\n".join(lines + [line + '"'])


def rust_str(s):
    out = []
    for c in s:
        if c in '\\"':
            out.append("\\" + c)
        elif unicodedata.category(c)[0] in "MCZ" and c != " ":
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def corpus_paragraph(name, min_len=60):
    s = open(os.path.join(CORPUS, "web", name), encoding="utf-8").read()
    for p in re.findall(r"<p>(.*?)</p>", s, re.S):
        t = re.sub(r"\[\d+\]", "", html.unescape(re.sub(r"<[^>]+>", "", p))).strip()
        if len(t) >= min_len and sum(0x4E00 <= ord(c) < 0xA000 for c in t) > len(t) // 2:
            return t
    raise SystemExit("no paragraph in " + name)


def corpus_sentences(names):
    out = []
    for name in names:
        s = open(os.path.join(CORPUS, "web", name), encoding="utf-8").read()
        for p in re.findall(r"<p>(.*?)</p>", s, re.S):
            t = re.sub(r"\[\d+\]", "", html.unescape(re.sub(r"<[^>]+>", "", p))).strip()
            out += [x + "。" for x in t.split("。") if x.strip()]
    return out


def corpus_strings(names, lo, hi):
    """Short strings in a script (the interlanguage links of the corpus's Wikipedia pages)."""
    found = []
    for name in names:
        s = open(os.path.join(CORPUS, "web", name), encoding="utf-8").read()
        for m in re.findall(r"[^<>\"\n–]*[%s-%s][^<>\"\n–]*" % (chr(lo), chr(hi)), s):
            m = m.strip()
            if m and m not in found:
                found.append(m)
    return found


def samples():
    """(Cjk variant, Python codec, text, where the text came from)."""
    zh = corpus_paragraph("beijing_chinese.html")
    zh2 = corpus_paragraph("china_chinese.html", 40)
    trad = max((s for s in corpus_sentences(["china_chinese.html", "beijing_chinese.html"]) if encodable(s, "big5")
                and any(0x4E00 <= ord(c) < 0xA000 for c in s)), key=len)
    # Kanji-heavy text for the Japanese encodings: the longest corpus sentence they all encode.
    kanji = max((s for s in corpus_sentences(["china_chinese.html", "beijing_chinese.html"])
                 if all(encodable(s, c) for c in ("cp932", "euc_jp", "iso2022_jp"))), key=len)
    ja = "、".join(corpus_strings(["taylor_swift.html", "crohns_disease.html", "germany_german.html"], 0x3040, 0x30FF))
    ko = ", ".join(corpus_strings(["taylor_swift.html", "world_war_ii.html", "china_chinese.html", "beijing_chinese.html"],
                                 0xAC00, 0xD7A3))
    src = "a paragraph of corpus/documents/web/"
    return [
        ("Gbk", "gbk", zh, src + "beijing_chinese.html"),
        ("Gb18030", "gb18030", zh2 + " €é😀", src + "china_chinese.html, plus four-byte characters"),
        ("Big5", "big5", trad, "the longest Big5-encodable sentence of corpus/documents/web/*_chinese.html"),
        ("ShiftJis", "cp932", ja + " ｶﾀｶﾅ " + kanji, "the Japanese link titles of corpus/documents/web, half-width "
         "kana, and the longest sentence of corpus/documents/web/*_chinese.html in JIS X 0208"),
        ("EucJp", "euc_jp", ja + " ｶﾀｶﾅ 丂 " + kanji, "the same, and U+4E02 of JIS X 0212"),
        ("Iso2022Jp", "iso2022_jp", ja + " ABC " + kanji, "the same"),
        ("EucKr", "cp949", ko + " 똠방각하", "the Korean link titles of corpus/documents/web, plus UHC-only Hangul"),
    ]


def encodable(s, codec):
    try:
        s.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


LABEL = {"Gbk": "gbk", "Gb18030": "gb18030", "Big5": "big5", "ShiftJis": "shift_jis", "EucJp": "euc-jp",
         "Iso2022Jp": "iso-2022-jp", "EucKr": "euc-kr"}


def main():
    idx = load_indexes()
    ranges = gb18030_ranges(idx.pop("gb18030-4"))
    assert all(p < 0x10000 and c < 0x10000 for p, c in ranges)

    w = []
    w.append("// Generated by tools/gen_cjk_tables.py from the WHATWG Encoding Standard's indexes (as\n"
             "// encoding_rs decodes them); do not edit. The stream format is described in the generator.\n")
    report = []
    total_raw = total_deflated = 0
    for name, const, fills in INDEXES:
        v = idx[name]
        stream, n = encode_index(v, fills)
        table = expand(stream, n, fills)
        assert table == [v.get(p) for p in range(n)], name
        deflated = deflate(stream)
        plain = 2 * n + (2 * sum(1 for x in v.values() if x > 0xFFFF))
        report.append("%s: %d entries, %d pointers; %d bytes as u16, stream %d, deflated %d"
                      % (name, len(v), n, plain, len(stream), len(deflated)))
        total_raw += len(stream)
        total_deflated += len(deflated)
        w.append("\n/// Index %s: %d pointers (%d mapped), %d-byte stream.\n" % (name, n, len(v), len(stream)))
        w.append("pub const %s_LEN: usize = %d;\n" % (const, n))
        w.append("pub const %s_STREAM: usize = %d;\n" % (const, len(stream)))
        w.append("pub const %s_FILLS: &[(u32, u32)] = &[%s];\n"
                 % (const, ", ".join("(0x%X, 0x%X)" % f for f in fills)))
        w.append("/// FNV-1a of the expanded table (null = 0), for the tests.\n#[cfg(test)]\n")
        w.append("pub const %s_HASH: u32 = 0x%08x;\n" % (const, fnv(table)))
        w.append("pub static %s: &[u8] = \n%s;\n" % (const, wrapped_bytes(deflated)))
    w.insert(1, "".join("// %s\n" % r for r in report)
             + "// Total: stream %d bytes, deflated %d; gb18030 ranges %d bytes.\n"
             % (total_raw, total_deflated, 4 * len(ranges)))
    w.append("\n/// The gb18030 four-byte ranges of the BMP: (pointer, code point) where a run starts.\n")
    w.append("pub static GB18030_RANGES: [(u16, u16); %d] = [\n%s\n];\n"
             % (len(ranges), "\n".join("    (%d, 0x%04X)," % r for r in ranges)))
    open(os.path.join(ROOT, "src", "encoding", "cjk_tables.rs"), "w").write("".join(w))
    sys.stderr.write("\n".join(report) + "\ntotal stream %d deflated %d, ranges %d\n"
                     % (total_raw, total_deflated, 4 * len(ranges)))

    # Test vectors, checked against encoding_rs.
    vecs = []
    for variant, codec, text, source in samples():
        b = text.encode(codec)
        vecs.append((variant, b, text, source))
    got = run_helper(["decode"], "".join("%s %s\n" % (LABEL[v], b.hex()) for v, b, _, _ in vecs)).splitlines()
    for (variant, b, text, _), line in zip(vecs, got):
        assert "".join(chr(int(c, 16)) for c in line.split(",")) == text, (variant, text)
    t = ["// Generated by tools/gen_cjk_tables.py; do not edit. Text from the corpus (see each\n"
         "// entry), encoded by Python's codecs and checked against encoding_rs's decoders.\n\n"
         "use super::Cjk;\n\n"
         "pub const SAMPLES: &[(Cjk, &[u8], &str)] = &[\n"]
    for variant, b, text, source in vecs:
        t.append("    // %s\n    (\n        Cjk::%s,\n%s,\n        %s,\n    ),\n"
                 % (source, variant, wrapped_bytes(b, "        "), rust_str(text)))
    t.append("];\n")
    open(os.path.join(ROOT, "src", "encoding", "cjk_testdata.rs"), "w").write("".join(t))


if __name__ == "__main__":
    main()
