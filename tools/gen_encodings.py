#!/usr/bin/env python3
"""Generates src/encoding/tables.rs: the WHATWG single-byte code pages and encoding labels.

    python3 tools/gen_encodings.py > src/encoding/tables.rs && rustfmt --edition 2021 src/encoding/tables.rs

The tables come from Python's own codecs, corrected to the WHATWG Encoding Standard's indexes
where the two differ (listed in `WHATWG` below and checked by hand against the standard's
index-*.txt files). Run it again only to change the set of encodings or the table layout; the
output is committed so building the crate needs no Python.

Layout, chosen because it is less than half the size of 128 u16 per table (measured below the
table in the output) and expands with a loop of a few instructions:

  DATA[START[t]..]: 32 bytes of 2-bit codes (byte 0x80 + i is code i, low bits first), then the
  explicit values of code 2 in order, little-endian u16. Code 0: U+0080 + i itself (Latin-1 and
  the C1 controls of ISO-8859-x); 1: the previous byte's code point + 1; 2: the next explicit
  value; 3: U+FFFD (a byte the code page leaves undefined).

Labels are matched after a normalisation that `normalise` below and `from_label` in
src/encoding/label.rs both implement: ASCII-lowercase, cut at ':' (the ":1987" year suffixes),
drop '-' and '_', then rewrite a few prefixes in order (PREFIXES). That folds the 228 WHATWG
labels into 131 keys; the generator checks that no two encodings collide.
"""

import sys
import unicodedata

# (WHATWG name, Python codec or None, Rust const name). Order = SingleByte id.
SINGLE = [
    ("IBM866", "cp866", "IBM866"),
    ("ISO-8859-2", "iso8859_2", "ISO_8859_2"),
    ("ISO-8859-3", "iso8859_3", "ISO_8859_3"),
    ("ISO-8859-4", "iso8859_4", "ISO_8859_4"),
    ("ISO-8859-5", "iso8859_5", "ISO_8859_5"),
    ("ISO-8859-6", "iso8859_6", "ISO_8859_6"),
    ("ISO-8859-7", "iso8859_7", "ISO_8859_7"),
    ("ISO-8859-8", "iso8859_8", "ISO_8859_8"),
    # Same bytes as ISO-8859-8; the name says the text is in logical order.
    ("ISO-8859-8-I", "iso8859_8", "ISO_8859_8_I"),
    ("ISO-8859-10", "iso8859_10", "ISO_8859_10"),
    ("ISO-8859-13", "iso8859_13", "ISO_8859_13"),
    ("ISO-8859-14", "iso8859_14", "ISO_8859_14"),
    ("ISO-8859-15", "iso8859_15", "ISO_8859_15"),
    ("ISO-8859-16", "iso8859_16", "ISO_8859_16"),
    ("KOI8-R", "koi8_r", "KOI8_R"),
    ("KOI8-U", "koi8_u", "KOI8_U"),
    ("macintosh", "mac_roman", "MACINTOSH"),
    ("windows-874", "cp874", "WINDOWS_874"),
    ("windows-1250", "cp1250", "WINDOWS_1250"),
    ("windows-1251", "cp1251", "WINDOWS_1251"),
    ("windows-1253", "cp1253", "WINDOWS_1253"),
    ("windows-1254", "cp1254", "WINDOWS_1254"),
    ("windows-1255", "cp1255", "WINDOWS_1255"),
    ("windows-1256", "cp1256", "WINDOWS_1256"),
    ("windows-1257", "cp1257", "WINDOWS_1257"),
    ("windows-1258", "cp1258", "WINDOWS_1258"),
    ("x-mac-cyrillic", "mac_cyrillic", "X_MAC_CYRILLIC"),
    # 0x80..0xFF to the private-use U+F780..U+F7FF, as the standard defines it.
    ("x-user-defined", None, "X_USER_DEFINED"),
]

# Where the WHATWG indexes differ from Python's codecs (byte: code point). Beyond these, every
# windows-* code page maps the bytes 0x80..0x9F it leaves undefined to the C1 control of the
# same value (Python raises), and every other undefined byte is U+FFFD in both.
WHATWG = {
    "KOI8-U": {0xAE: 0x045E, 0xBE: 0x040E},  # the standard's KOI8-U is KOI8-RU
    "windows-1255": {0xCA: 0x05BA},
}

# Encodings this build names but does not decode (label lookup answers NotCompiled).
OTHER = ["GBK", "gb18030", "Big5", "EUC-JP", "ISO-2022-JP", "Shift_JIS", "EUC-KR", "replacement"]
# Encodings that are Encoding variants of their own.
VARIANT = {"windows-1252": 0x7C, "UTF-8": 0x7D, "UTF-16LE": 0x7E, "UTF-16BE": 0x7F}

# The Encoding Standard's labels (section 4.2, "Names and labels").
LABELS = {
    "UTF-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "IBM866": "866 cp866 csibm866 ibm866",
    "ISO-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "ISO-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "ISO-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "ISO-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "ISO-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "ISO-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "ISO-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual",
    "ISO-8859-8-I": "csiso88598i iso-8859-8-i logical",
    "ISO-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "ISO-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "ISO-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "ISO-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "ISO-8859-16": "iso-8859-16",
    "KOI8-R": "cskoi8r koi koi8 koi8-r koi8_r",
    "KOI8-U": "koi8-ru koi8-u",
    "macintosh": "csmacintosh mac macintosh x-mac-roman",
    "windows-874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-1250": "cp1250 windows-1250 x-cp1250",
    "windows-1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "windows-1253": "cp1253 windows-1253 x-cp1253",
    "windows-1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 "
    "l5 latin5 windows-1254 x-cp1254",
    "windows-1255": "cp1255 windows-1255 x-cp1255",
    "windows-1256": "cp1256 windows-1256 x-cp1256",
    "windows-1257": "cp1257 windows-1257 x-cp1257",
    "windows-1258": "cp1258 windows-1258 x-cp1258",
    "x-mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "GBK": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk",
    "gb18030": "gb18030",
    "Big5": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "EUC-JP": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "ISO-2022-JP": "csiso2022jp iso-2022-jp",
    "Shift_JIS": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "EUC-KR": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
    "windows-949",
    "replacement": "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement",
    "UTF-16BE": "unicodefffe utf-16be",
    "UTF-16LE": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    "x-user-defined": "x-user-defined",
}

# Prefix rewrites after separators are dropped, applied in order. Each saves more table bytes
# than its entry and code cost (measured when the list was chosen).
PREFIXES = [("x", ""), ("cs", ""), ("windows", "cp"), ("iso8859", "#"), ("isolatin", "l")]
assert all(len(b) <= len(a) for a, b in PREFIXES)  # rewritten in place
MAX_KEY = 24  # normalised labels longer than this are unknown

# Sample text per encoding for the tests: encoded here by Python, decoded there by the crate.
SAMPLES = {
    "IBM866": "Привет, мир! Ёё №",
    "ISO-8859-2": "Zażółć gęślą jaźń",
    "ISO-8859-3": "Malti: ħażż ġ ċ, Türkçe ĝ",
    "ISO-8859-4": "Latviešu ļ ņ ŗ ķ",
    "ISO-8859-5": "Привет, мир",
    "ISO-8859-6": "مرحبا بالعالم",
    "ISO-8859-7": "Καλημέρα κόσμε €",
    "ISO-8859-8": "שלום עולם",
    "ISO-8859-8-I": "שלום עולם",
    "ISO-8859-10": "Sámegiella: ŋ ŧ đ",
    "ISO-8859-13": "Lietuvių ąčęėįšųūž",
    "ISO-8859-14": "Cymraeg: ŵ ŷ ẁ ẃ",
    "ISO-8859-15": "€uro œuvre Šš Ÿ",
    "ISO-8859-16": "Română: ș ț Ș Ț",
    "KOI8-R": "Привет, мир",
    "KOI8-U": "Привіт, світе! Ґґ Єє Її Ўў",
    "macintosh": "café ∑ π ﬁ ",
    "windows-874": "สวัสดีชาวโลก",
    "windows-1250": "Zażółć gęślą jaźń – „cytat”",
    "windows-1251": "Привет, мир — «цитата»",
    "windows-1253": "Καλημέρα κόσμε",
    "windows-1254": "İstanbul’da ğüşıöç",
    "windows-1255": "שָׁלוֹם עוֹלָם ₪",
    "windows-1256": "مرحبا بالعالم گ",
    "windows-1257": "Lietuvių ąčęėįšųūž",
    "windows-1258": "Tiê\u0301ng Viê\u0323t: ă â đ ô ơ ư ₫",  # tone marks combine
    "x-mac-cyrillic": "Привет, мир €",
    "x-user-defined": "\uf780\uf7ff",
}


def table(name, codec):
    out = []
    for b in range(0x80, 0x100):
        if codec is None:
            cp = 0xF700 + b
        else:
            try:
                cp = ord(bytes([b]).decode(codec))
            except UnicodeDecodeError:
                cp = b if name.startswith("windows-") and b < 0xA0 else 0xFFFD
        out.append(WHATWG.get(name, {}).get(b, cp))
    assert all(not 0xD800 <= c < 0xE000 for c in out)
    return out


def encode(name, codec, text):
    if codec is None:
        return bytes(ord(c) - 0xF700 for c in text)
    if name == "KOI8-U":
        # Python's koi8_u lacks Ўў, which the standard's KOI8-U has at 0xBE/0xAE.
        return b"".join({"Ў": b"\xbe", "ў": b"\xae"}.get(c) or c.encode(codec) for c in text)
    return text.encode(codec)


def compact(t):
    codes = bytearray(32)
    values = bytearray()
    prev = None
    for i, cp in enumerate(t):
        if cp == 0x80 + i:
            k = 0
        elif prev is not None and cp == prev + 1 and prev != 0xFFFD:
            k = 1
        elif cp == 0xFFFD:
            k = 3
        else:
            k = 2
            values += cp.to_bytes(2, "little")
        codes[i // 4] |= k << (2 * (i % 4))
        prev = cp
    return bytes(codes) + bytes(values)


def normalise(label):
    k = label.lower().split(":")[0].replace("-", "").replace("_", "")
    for a, b in PREFIXES:
        if k.startswith(a):
            k = b + k[len(a):]
    return k


def fnv(values):
    h = 0x811C9DC5
    for v in values:
        h = ((h ^ v) * 0x01000193) & 0xFFFFFFFF
    return h


def rust_bytes(b):
    parts = []
    for x in b:
        c = chr(x)
        if c == "\\":
            parts.append("\\\\")
        elif c == '"':
            parts.append('\\"')
        elif 0x20 <= x < 0x7F:
            parts.append(c)
        else:
            parts.append("\\x%02x" % x)
    return '"' + "".join(parts) + '"'


def wrap(items, indent="    ", width=110):
    lines, line = [], indent
    for it in items:
        if len(line) + len(it) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += it + " "
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def main():
    names = [n for n, _, _ in SINGLE] + OTHER
    ids = {n: i for i, n in enumerate(names)}
    ids.update(VARIANT)
    assert len(names) < 0x80

    tables = [table(n, c) for n, c, _ in SINGLE]
    # ISO-8859-8-I shares ISO-8859-8's bytes: store them once.
    data, start, seen = bytearray(), [], {}
    for t in tables:
        blob = compact(t)
        if blob not in seen:
            seen[blob] = len(data)
            data += blob
        start.append(seen[blob])
    assert len(data) < 0x10000

    keys = {}
    for name, labels in LABELS.items():
        for label in labels.split():
            k = normalise(label)
            # The crate normalises into MAX_KEY bytes before it rewrites prefixes.
            assert len(label.split(":")[0].replace("-", "").replace("_", "")) <= MAX_KEY, label
            assert k.isascii() and all(c not in "-_:" and ord(c) < 0x80 for c in k), k
            assert keys.get(k, name) == name, (label, k, keys[k], name)
            keys[k] = name
    label_blob = bytearray()
    for k, name in keys.items():
        label_blob += k.encode() + bytes([0x80 | ids[name]])

    name_blob = "".join(names)
    ends, at = [], 0
    for n in names:
        at += len(n)
        ends.append(at)

    w = sys.stdout.write
    w("// Generated by tools/gen_encodings.py from Python's codecs and the WHATWG Encoding Standard's\n")
    w("// labels; do not edit. Layout and sources are described in the generator.\n")
    w("// Table data: %d bytes for %d single-byte encodings (128 u16 each would be %d).\n\n"
      % (len(data), len(SINGLE), 256 * len(set(map(tuple, tables)))))
    w("use super::single_byte::SingleByte;\n\n")
    w("impl SingleByte {\n")
    for i, (name, _, const) in enumerate(SINGLE):
        w("    /// %s\n    pub const %s: SingleByte = SingleByte(%d);\n" % (name, const, i))
    w("}\n\n")
    w("/// Ids of `NAMES` from here on are encodings this build does not decode.\n")
    w("pub const FIRST_OTHER: u8 = %d;\n" % len(SINGLE))
    for name, v in VARIANT.items():
        w("pub const ID_%s: u8 = 0x%02X;\n" % (name.upper().replace("-", "_"), v))
    w("\n/// Where each single-byte table starts in `DATA`.\n")
    w("pub static START: [u16; %d] = [\n%s\n];\n\n" % (len(start), wrap(["%d," % s for s in start])))
    w("pub static DATA: [u8; %d] = [\n%s\n];\n\n" % (len(data), wrap(["0x%02x," % b for b in data])))
    w("/// Canonical names, concatenated; `NAME_END[id]` is where name `id` ends.\n")
    w("pub static NAMES: &str = %s;\n" % rust_bytes(name_blob.encode()))
    w("pub static NAME_END: [u16; %d] = [%s];\n\n" % (len(ends), ", ".join(map(str, ends))))
    w("/// Label prefixes rewritten after normalisation, in order.\n")
    w("pub static PREFIXES: [(&[u8], &[u8]); %d] = [%s];\n" % (
        len(PREFIXES), ", ".join("(b%s, b%s)" % (rust_bytes(a.encode()), rust_bytes(b.encode())) for a, b in PREFIXES)))
    w("pub const MAX_KEY: usize = %d;\n\n" % MAX_KEY)
    w("/// Normalised labels, each followed by `0x80 | id`.\n")
    w("pub static LABELS: &[u8] = b%s;\n\n" % rust_bytes(bytes(label_blob)))

    w("/// Test data: every WHATWG label with its encoding's name, an FNV-1a hash of each table's\n")
    w("/// 128 code points, and sample text encoded by Python.\n")
    w("#[cfg(test)]\npub mod expected {\n    use super::SingleByte;\n\n")
    w("    pub const LABELS: &[(&str, &str)] = &[\n")
    for name, labels in LABELS.items():
        w(wrap(['("%s", "%s"),' % (l, name) for l in labels.split()], indent="        ") + "\n")
    w("    ];\n\n")
    w("    pub const TABLE_HASHES: [(SingleByte, u32); %d] = [\n" % len(SINGLE))
    for (name, _, const), t in zip(SINGLE, tables):
        w("        (SingleByte::%s, 0x%08x),\n" % (const, fnv(t)))
    w("    ];\n\n")
    w("    pub const SAMPLES: &[(SingleByte, &[u8], &str)] = &[\n")
    for name, codec, const in SINGLE:
        text = SAMPLES[name]
        enc = encode(name, codec, text)
        t = table(name, codec)
        assert "".join(chr(t[b - 0x80]) if b >= 0x80 else chr(b) for b in enc) == text, name
        w("        (SingleByte::%s, b%s, %s),\n" % (const, rust_bytes(enc), rust_str(text)))
    w("    ];\n}\n")
    sys.stderr.write("data %d bytes, labels %d keys %d bytes, names %d bytes\n"
                     % (len(data), len(keys), len(label_blob), len(name_blob)))


def rust_str(s):
    """A readable Rust string literal: marks, controls and private use escaped, the rest as is."""
    out = []
    for c in s:
        if c in '\\"':
            out.append("\\" + c)
        elif unicodedata.category(c)[0] in "MC":
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


if __name__ == "__main__":
    main()
