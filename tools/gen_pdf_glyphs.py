#!/usr/bin/env python3
"""Generates src/pdf/glyph_data.rs: the Adobe Glyph List and the PDF base encodings.

    pip install fonttools reportlab
    python3 tools/gen_pdf_glyphs.py > src/pdf/glyph_data.rs && \
        rustfmt --edition 2021 --config-path rustfmt.toml src/pdf/glyph_data.rs

Sources: fontTools.agl (the AGL for new fonts, aglfn.txt, and the legacy glyphlist.txt),
reportlab.pdfbase._fontdata (the seven encodings of PDF 32000-1 Annex D), Python's mac_roman
codec for the MacRoman codes reportlab leaves empty (the mathematical signs Apple added), and
Adobe's zapfdingbats.txt (below) for the ZapfDingbats names a1..a206. The output is committed,
so building the crate needs no Python.

Layout, read by src/pdf/glyphs.rs and src/pdf/encodings.rs:

- NAMES: every entry is a name (ASCII letters and digits) followed by three bytes with bit 7
  set holding a 21-bit value (7 bits each, big-endian). The value bytes end a name, so a
  binary search can land on any byte and step back to the start of its entry: no offset
  table. Entries are sorted by their name read backwards, because names of one script share
  a suffix ("...hebrew", "...cyrillic") and their values a range, which gzip rewards (about
  500 bytes less than sorting forwards).
- Value: a BMP code point; with DINGBAT set, a code point that only the ZapfDingbats font
  means by that name (other fonts, Type 3 ones especially, name arbitrary glyphs "a1", "a2").
- ENCODINGS: per base encoding, for codes 24..=255, the byte offset of the glyph's name in
  NAMES, or 0xFFFF. Encodings name glyphs by the same strings, so the names are stored once.

Left out of the legacy list, to keep the table at about 12 KB after gzip instead of 22 KB:
scripts whose fonts are CID-keyed in practice (Armenian, the Indic scripts, Thai, kana,
Hangul, Bopomofo, CJK symbols and compatibility forms, enclosed alphanumerics, half- and
full-width forms), and the Hebrew and Arabic names other than Windows' afii57xxx ones
("alefhebrew", "ainfinalarabic"). Their glyphs still map when named uniXXXX.
"""
import sys

import fontTools.agl as agl
from reportlab.pdfbase import _fontdata

DINGBAT = 1 << 16
FIRST_CODE = 24

# Adobe's zapfdingbats.txt (name;code point), the ZapfDingbats font's glyph names.
DINGBATS = """
a1;2701 a2;2702 a202;2703 a3;2704 a4;260E a5;2706 a119;2707 a118;2708 a117;2709 a11;261B
a12;261E a13;270C a14;270D a15;270E a16;270F a105;2710 a17;2711 a18;2712 a19;2713 a20;2714
a21;2715 a22;2716 a23;2717 a24;2718 a25;2719 a26;271A a27;271B a28;271C a6;271D a7;271E
a8;271F a9;2720 a10;2721 a29;2722 a30;2723 a31;2724 a32;2725 a33;2726 a34;2727 a35;2605
a36;2729 a37;272A a38;272B a39;272C a40;272D a41;272E a42;272F a43;2730 a44;2731 a45;2732
a46;2733 a47;2734 a48;2735 a49;2736 a50;2737 a51;2738 a52;2739 a53;273A a54;273B a55;273C
a56;273D a57;273E a58;273F a59;2740 a60;2741 a61;2742 a62;2743 a63;2744 a64;2745 a65;2746
a66;2747 a67;2748 a68;2749 a69;274A a70;274B a71;25CF a72;274D a73;25A0 a74;274F a203;2750
a75;2751 a204;2752 a76;25B2 a77;25BC a78;25C6 a79;2756 a81;25D7 a82;2758 a83;2759 a84;275A
a97;275B a98;275C a99;275D a100;275E a101;2761 a102;2762 a103;2763 a104;2764 a106;2765
a107;2766 a108;2767 a112;2663 a111;2666 a110;2665 a109;2660 a120;2460 a121;2461 a122;2462
a123;2463 a124;2464 a125;2465 a126;2466 a127;2467 a128;2468 a129;2469 a130;2776 a131;2777
a132;2778 a133;2779 a134;277A a135;277B a136;277C a137;277D a138;277E a139;277F a140;2780
a141;2781 a142;2782 a143;2783 a144;2784 a145;2785 a146;2786 a147;2787 a148;2788 a149;2789
a150;278A a151;278B a152;278C a153;278D a154;278E a155;278F a156;2790 a157;2791 a158;2792
a159;2793 a160;2794 a161;2192 a163;2194 a164;2195 a196;2798 a165;2799 a192;279A a166;279B
a167;279C a168;279D a169;279E a170;279F a171;27A0 a172;27A1 a173;27A2 a162;27A3 a174;27A4
a175;27A5 a176;27A6 a177;27A7 a178;27A8 a179;27A9 a193;27AA a180;27AB a199;27AC a181;27AD
a200;27AE a182;27AF a201;27B1 a183;27B2 a184;27B3 a197;27B4 a185;27B5 a194;27B6 a198;27B7
a186;27B8 a195;27B9 a187;27BA a188;27BB a189;27BC a190;27BD a191;27BE a89;2768 a90;2769
a93;276A a94;276B a91;276C a92;276D a205;276E a85;276F a206;2770 a86;2771 a87;2772 a88;2773
a95;2774 a96;2775
"""

# The variants names use in enum order (encodings.rs BaseEncoding).
ENCODINGS = [
    "StandardEncoding",
    "WinAnsiEncoding",
    "MacRomanEncoding",
    "MacExpertEncoding",
    "PDFDocEncoding",
    "SymbolEncoding",
    "ZapfDingbatsEncoding",
]


def kept(name, u):
    """Whether a legacy name is one simple (non-CID) fonts use."""
    if (0x0590 <= u < 0x0700 or 0xFB1D <= u < 0xFF00) and not name.startswith("afii"):
        return False  # Hebrew and Arabic fonts name glyphs afii57xxx (Windows) or uniXXXX
    dropped = [
        (0x0530, 0x0590),  # Armenian
        (0x0900, 0x0E80),  # Indic scripts, Thai
        (0x2460, 0x2500),  # enclosed alphanumerics
        (0x3000, 0x3400),  # CJK symbols, kana, Bopomofo, Hangul compatibility, CJK squares
        (0x5000, 0x6000),  # one ideograph
        (0xFE30, 0xFE70),  # CJK compatibility and small forms
        (0xFF00, 0x10000),  # half- and full-width forms
    ]
    return not any(lo <= u < hi for lo, hi in dropped)


def encodings():
    tables = [list(_fontdata.encodings[name]) for name in ENCODINGS]
    mac = tables[2]
    for code in range(32, 256):
        if mac[code] is None and code != 127:
            u = ord(bytes([code]).decode("mac_roman"))
            mac[code] = {0x03A9: "Omega", 0xF8FF: "apple"}.get(u) or agl.UV2AGL[u]
    return tables


def main():
    values = {}
    for name, cps in agl.LEGACY_AGL2UV.items():
        if not kept(name, cps[0]):
            continue
        assert len(cps) == 1  # the sequences are all Hebrew letters with points
        values[name] = cps[0]
    for name, cp in agl.AGL2UV.items():
        values[name] = cp  # the AGL for new fonts decides names the legacy list maps twice
    for pair in DINGBATS.split():
        name, cp = pair.split(";")
        assert name not in values
        values[name] = DINGBAT | int(cp, 16)
    tables = encodings()
    for table in tables:
        for name in table:
            if name is not None and name not in values:
                values[name] = agl.LEGACY_AGL2UV[name][0]
    assert all(v < (1 << 21) for v in values.values())

    names = sorted(values, key=lambda n: n[::-1].encode())
    blob = bytearray()
    offset = {}
    for name in names:
        assert name.isascii() and name.isalnum()
        offset[name] = len(blob)
        v = values[name]
        blob += name.encode() + bytes([0x80 | (v >> 14), 0x80 | ((v >> 7) & 0x7F), 0x80 | (v & 0x7F)])
    assert len(blob) < 0xFFFF

    out = sys.stdout.write
    out("//! generated by tools/gen_pdf_glyphs.py; do not edit.\n")
    out("//! %d glyph names, %d bytes of names and values.\n\n" % (len(names), len(blob)))
    out("pub const DINGBAT: u32 = 0x%X;\n" % DINGBAT)
    out("pub const FIRST_CODE: u8 = %d;\n\n" % FIRST_CODE)
    out("pub static NAMES: &[u8] = b\"")
    for b in blob:
        out(chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\' else "\\x%02x" % b)
    out('";\n\n')
    out("/// %s\n" % ", ".join(ENCODINGS))
    out("pub static ENCODINGS: [[u16; %d]; %d] = [\n" % (256 - FIRST_CODE, len(tables)))
    for table in tables:
        assert all(table[c] is None for c in range(FIRST_CODE))
        out("    [%s],\n" % ", ".join(str(offset[n]) if n else "0xFFFF" for n in table[FIRST_CODE:]))
    out("];\n")


if __name__ == "__main__":
    main()
