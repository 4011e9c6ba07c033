//! Reader tests. Their readers hand out character data 7 bytes at a time, so it crosses
//! piece boundaries everywhere; `events` joins the pieces back.

use super::*;
use crate::config::Config;
use crate::error::Code;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A reader that hands out character data 7 bytes at a time.
fn reader(cfg: &Config) -> Reader {
    let mut r = Reader::new(cfg);
    r.piece = 7;
    r
}

/// The events as short strings: `<a`, `</a`, `"text"`, `[cdata]`; adjacent pieces joined.
fn events_with(src: &str, cfg: &Config) -> crate::error::Result<Vec<String>> {
    let mut r = reader(cfg);
    let mut out: Vec<String> = Vec::new();
    // Character data being joined: its kind ('"' or '[') and text.
    let mut open: Option<(char, String)> = None;
    loop {
        let ev = r.next(src)?;
        let (kind, s) = match &ev {
            Event::Text(s) => ('"', *s),
            Event::CData(s) => ('[', *s),
            _ => (' ', ""),
        };
        if let Some((k, acc)) = &mut open {
            if *k == kind {
                acc.push_str(s);
                continue;
            }
        }
        if let Some((k, acc)) = open.take() {
            out.push(if k == '"' { format!("\"{acc}\"") } else { format!("[{acc}]") });
        }
        match ev {
            Event::Start(t) => out.push(format!("<{}{}", t.name.qname, if t.empty { "/" } else { "" })),
            Event::End(n) => out.push(format!("</{}", n.qname)),
            Event::Text(_) | Event::CData(_) => open = Some((kind, s.to_string())),
            Event::Eof => break,
        }
    }
    // Eof repeats.
    assert!(matches!(r.next(src)?, Event::Eof));
    Ok(out)
}

fn events(src: &str) -> Vec<String> {
    events_with(src, &Config::default()).unwrap()
}

fn recovered(src: &str) -> bool {
    let mut r = reader(&Config::default());
    while !matches!(r.next(src).unwrap(), Event::Eof) {}
    r.recovered()
}

fn code(src: &str, cfg: &Config) -> Option<Code> {
    events_with(src, cfg).err().map(|e| e.code())
}

#[test]
fn events_in_document_order() {
    let doc = "<?xml version=\"1.0\"?>\n<!-- c --><a x='1'><b>t&amp;x</b><c/><?pi x?>tail</a>\n";
    assert_eq!(events(doc), ["\"\n\"", "<a", "<b", "\"t&x\"", "</b", "<c/", "</c", "\"tail\"", "</a", "\"\n\""]);
    assert!(!recovered(doc));
}

#[test]
#[cfg(any(feature = "docx", feature = "xlsx", feature = "pptx", feature = "odf"))]
fn namespaces_match_by_uri() {
    let doc = r#"<w:document xmlns:w="urn:w" xmlns="urn:d"><w:p w:val="x" val="y" xml:space="preserve"><r/><q:r xmlns:q="urn:w"/><w:r xmlns:w="urn:other"/></w:p><w:p/></w:document>"#;
    let mut r = reader(&Config::default());
    let mut seen = Vec::new();
    loop {
        match r.next(doc).unwrap() {
            Event::Start(t) => {
                if t.name.is("urn:w", "p") && !t.empty {
                    assert_eq!(t.attr("urn:w", "val").unwrap().as_deref(), Some("x"));
                    assert_eq!(t.attr("", "val").unwrap().as_deref(), Some("y"));
                    assert_eq!(t.attr(XML_NS, "space").unwrap().as_deref(), Some("preserve"));
                    assert_eq!(t.attr("urn:d", "val").unwrap(), None);
                    assert_eq!(t.attrs().count(), 3);
                }
                seen.push((t.name.ns.to_string(), t.name.local.to_string()));
            }
            Event::End(n) => seen.push((n.ns.to_string(), "/".to_string() + n.local)),
            Event::Eof => break,
            _ => {}
        }
    }
    let expect = [
        ("urn:w", "document"),
        ("urn:w", "p"),
        ("urn:d", "r"),
        ("urn:d", "/r"),
        ("urn:w", "r"),
        ("urn:w", "/r"),
        ("urn:other", "r"),
        ("urn:other", "/r"),
        ("urn:w", "/p"),
        // The inner declarations went out of scope with their elements.
        ("urn:w", "p"),
        ("urn:w", "/p"),
        ("urn:w", "/document"),
    ];
    let seen: Vec<(&str, &str)> = seen.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(seen, expect);
}

#[test]
fn names_and_attribute_values_outlive_the_event() {
    let doc = r#"<w:p xmlns:w="urn:w"><w:pStyle w:val="Heading1"/><w:t>x</w:t></w:p>"#;
    let mut r = Reader::new(&Config::default());
    let (mut style, mut first) = (None, None);
    loop {
        match r.next(doc).unwrap() {
            Event::Start(t) if t.name.is("urn:w", "pStyle") => style = t.attr("urn:w", "val").unwrap(),
            Event::Start(t) => {
                first.get_or_insert(t.name);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(style.as_deref(), Some("Heading1"));
    assert_eq!(first.map(|n| n.qname), Some("w:p"));
}

#[test]
#[cfg(any(feature = "docx", feature = "xlsx", feature = "pptx", feature = "odf"))]
fn undeclared_prefix_and_undeclared_default() {
    let doc = r#"<a xmlns="urn:a"><b xmlns=""><x:c/></b></a>"#;
    let mut r = reader(&Config::default());
    let mut ns = Vec::new();
    loop {
        match r.next(doc).unwrap() {
            Event::Start(t) => ns.push(t.name.ns.to_string()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(ns, ["urn:a", "", ""]);
}

#[test]
fn references() {
    assert_eq!(
        events("<a>&lt;&gt;&amp;&apos;&quot; &#233;&#xE9;&#0;&#x110000;&#xD800;&#99999999999; &#; &#x; &#xZ; &nbsp; & &amp</a>"),
        ["<a", "\"<>&'\" éé\u{fffd}\u{fffd}\u{fffd}\u{fffd} &#; &#x; &#xZ; &nbsp; & &amp\"", "</a"]
    );
}

#[test]
fn line_ends_and_attribute_normalisation() {
    assert_eq!(events("<a>x\r\ny\rz\r</a>"), ["<a", "\"x\ny\nz\n\"", "</a"]);
    let doc = "<a v=\"a\tb\r\nc\nd&#10;e &lt;\"/>";
    let mut r = reader(&Config::default());
    let Event::Start(t) = r.next(doc).unwrap() else { panic!() };
    assert_eq!(t.attr("", "v").unwrap().as_deref(), Some("a b c d\ne <"));
}

#[test]
fn cdata_is_text_as_written() {
    assert_eq!(events("<a><![CDATA[<b>&amp;</b>\r\n]] ]]>x</a>"), ["<a", "[<b>&amp;</b>\n]] ]", "\"x\"", "</a"]);
}

#[test]
fn internal_entities_expand_external_never() {
    let doc = "<!DOCTYPE r [\n<!ENTITY e \"hi &f;\">\n<!ENTITY f 'there'>\n<!ENTITY e \"ignored\">\n<!ENTITY % p \"x\">\n<!-- ] > -->\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n<!ELEMENT r (#PCDATA)>\n]>\n<r a=\"&e;\">&e; &x;!</r>";
    assert_eq!(events(doc), ["\"\n\"", "<r", "\"hi there !\"", "</r"]);
    let mut r = reader(&Config::default());
    loop {
        if let Event::Start(t) = r.next(doc).unwrap() {
            assert_eq!(t.attr("", "a").unwrap().as_deref(), Some("hi there"));
            break;
        }
    }
}

#[test]
fn billion_laughs_is_a_limit() {
    let mut doc = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        doc.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10)));
    }
    doc.push_str("]><lolz>&lol9;</lolz>");
    assert_eq!(code(&doc, &Config::default()), Some(Code::Limit));
    // In an attribute too.
    let attr = doc.replace("<lolz>&lol9;</lolz>", "<lolz a=\"&lol9;\"/>");
    let mut r = reader(&Config::default());
    let Event::Start(t) = r.next(&attr).unwrap() else { panic!() };
    assert_eq!(t.attr("", "a").unwrap_err().code(), Code::Limit);
    // Self-reference and empty values cost too.
    assert_eq!(code("<!DOCTYPE r [<!ENTITY a \"&a;\">]><r>&a;</r>", &Config::default()), Some(Code::Limit));
    let mut empty = String::from("<!DOCTYPE r [<!ENTITY e0 \"\">");
    for i in 1..12 {
        empty.push_str(&format!("<!ENTITY e{i} \"{}\">", format!("&e{};", i - 1).repeat(10)));
    }
    empty.push_str("]><r>&e11;</r>");
    assert_eq!(code(&empty, &Config::default()), Some(Code::Limit));
}

#[test]
fn expansion_ends_pieces_between_references() {
    let value = "v".repeat(1000);
    let doc = format!("<!DOCTYPE r [<!ENTITY e \"{value}\">]><r>{}</r>", "&e;".repeat(500));
    let mut r = Reader::new(&Config::default());
    let (mut total, mut largest) = (0, 0);
    loop {
        match r.next(&doc).unwrap() {
            Event::Text(s) => {
                total += s.len();
                largest = largest.max(s.len());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(total, 500_000);
    assert!(largest <= 64 * 1024 + 1000, "{largest}");
    // One reference may expand to 1 MiB at most, however large the document's budget.
    let mut deep = String::from("<!DOCTYPE r [<!ENTITY e0 \"") + &"x".repeat(1100) + "\">";
    for i in 1..4 {
        deep.push_str(&format!("<!ENTITY e{i} \"{}\">", format!("&e{};", i - 1).repeat(10)));
    }
    deep.push_str("]><r>");
    deep.push_str(&"padding ".repeat(1 << 18));
    deep.push_str("&e3;</r>");
    let e = events_with(&deep, &Config::default()).unwrap_err();
    assert_eq!(e.code(), Code::Limit);
    assert!(e.message().ends_with(b"more than 1 MiB"));
}

#[test]
fn misnested_and_unclosed_recover() {
    let doc = "<a><b><c></b>x</z></a><d>";
    assert_eq!(events(doc), ["<a", "<b", "<c", "</c", "</b", "\"x\"", "</a", "<d", "</d"]);
    assert!(recovered(doc));
}

#[test]
fn stray_markup_characters_are_text() {
    assert_eq!(events("<a>1 < 2 <3 <= 4</a>"), ["<a", "\"1 < 2 <3 <= 4\"", "</a"]);
    assert_eq!(events("no root at all"), ["\"no root at all\""]);
}

#[test]
fn lenient_attributes() {
    let doc = "<a b=1 c d = \"x\" / e='y' b=\"2\">t</a>";
    let mut r = reader(&Config::default());
    let Event::Start(t) = r.next(doc).unwrap() else { panic!() };
    let attrs: Vec<(String, String)> = t.attrs().map(|a| (a.name.qname.to_string(), a.raw.to_string())).collect();
    let want = [("b", "1"), ("c", ""), ("d", "x"), ("e", "y"), ("b", "2")];
    assert_eq!(attrs, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(t.attr("", "b").unwrap().as_deref(), Some("1"));
    assert!(!t.empty);
    assert!(matches!(r.next(doc).unwrap(), Event::Text("t")));
    assert!(r.recovered());
}

#[test]
fn truncated_markup_is_corrupt_at_its_offset() {
    for (doc, at) in [
        ("<a>text<b", 7),
        ("<a>text<b x=\"1", 7),
        ("<a><!-- never", 3),
        ("<a><![CDATA[abcdefghijklmnop", 3),
        ("<?xml version", 0),
        ("<!DOCTYPE a [ <!ENTITY e \"x", 0),
        ("<a></a", 3),
    ] {
        let e = events_with(doc, &Config::default()).unwrap_err();
        assert_eq!(e.code(), Code::Corrupt, "{doc}");
        assert!(e.message().ends_with(format!(" at byte {at}").as_bytes()), "{doc}");
    }
}

#[test]
fn skip_and_read_text() {
    let doc = "<r><skip><x>no</x><y/></skip><t>a<i>b</i>c</t><e/>end</r>";
    let mut r = reader(&Config::default());
    let mut text = String::new();
    let mut kept = Vec::new();
    loop {
        match r.next(doc).unwrap() {
            Event::Start(t) if t.name.local == "skip" => r.skip(doc).unwrap(),
            Event::Start(t) if t.name.local == "t" => r.read_text(doc, &mut text).unwrap(),
            Event::Start(t) if t.name.local == "e" => {
                r.skip(doc).unwrap();
                assert_eq!(r.depth(), 1);
            }
            Event::Text(s) => kept.push(s.to_string()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(text, "abc");
    assert_eq!(kept, ["end"]);
}

#[test]
fn depth_and_element_limits() {
    let deep = "<a>".repeat(100_000);
    let e = events_with(&deep, &Config::default()).unwrap_err();
    assert_eq!(e.code(), Code::Limit);
    // Within the limit, unclosed elements are closed at the end.
    let cfg = Config { max_depth: 200_000, ..Config::default() };
    assert_eq!(events_with(&deep, &cfg).unwrap().len(), 200_000);
    let deep_close = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    assert_eq!(events_with(&deep_close, &cfg).unwrap().len(), 200_000);
    let many = "<a/>".repeat(1000);
    let cfg = Config { max_objects: 999, ..Config::default() };
    assert_eq!(code(&many, &cfg), Some(Code::Limit));
}

#[test]
fn long_runs_stay_linear() {
    // A 50 MB text node on one line, then 8 MB attribute values, CDATA sections and
    // unclosed text: one pass each (tests/hostile.rs bounds the work with wasm fuel).
    for (len, shape) in [(50, "<a>{}</a>"), (8, "<a v=\"{}\"/>"), (8, "<a><![CDATA[{}]]></a>"), (8, "<a>{}")] {
        let big = "x".repeat(len << 20);
        let doc = shape.replace("{}", &big);
        let mut r = Reader::new(&Config::default());
        let mut n = 0;
        loop {
            match r.next(&doc).unwrap() {
                Event::Text(s) | Event::CData(s) => n += s.len(),
                Event::Start(t) => n += t.attr("", "v").unwrap().map_or(0, |v| v.len()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(n, big.len());
    }
    let stray = "&".repeat(1 << 18) + &"<".repeat(1 << 18) + &"&a".repeat(1 << 17);
    events(&stray);
}

#[test]
fn decode_encodings() {
    let d = decode(b"\xef\xbb\xbf<a>\xc3\xa9</a>").unwrap();
    assert_eq!((&*d.text, d.encoding, d.warning), ("<a>é</a>", "UTF-8", None));
    assert!(matches!(d.text, alloc::borrow::Cow::Borrowed(_)));
    let utf16: Vec<u8> =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é😀</a>".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_bom: Vec<u8> = [0xff, 0xfe].iter().copied().chain(utf16.iter().copied()).collect();
    for doc in [&with_bom, &utf16] {
        let d = decode(doc).unwrap();
        assert_eq!((d.encoding, d.warning), ("UTF-16LE", None));
        assert!(d.text.ends_with("<a>é😀</a>"));
    }
    let be: Vec<u8> = "<?xml?><a/>".encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(decode(&be).unwrap().text, "<?xml?><a/>");
    let latin = decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9 \x80</a>").unwrap();
    assert_eq!((latin.text.ends_with("<a>café €</a>"), latin.encoding, latin.warning), (true, "windows-1252", None));
    // Undeclared and invalid: Windows-1252 when nothing before was UTF-8, else U+FFFD.
    let bad = decode(b"<a>caf\xe9</a>").unwrap();
    assert_eq!((&*bad.text, bad.encoding), ("<a>café</a>", "windows-1252"));
    assert!(bad.warning.is_some());
    let glitch = decode(b"<a>\xc3\xa9 \xff</a>").unwrap();
    assert_eq!((&*glitch.text, glitch.encoding), ("<a>é \u{fffd}</a>", "UTF-8"));
    let unknown = decode(b"<?xml version='1.0' encoding='x-unknown'?><a/>").unwrap();
    assert!(unknown.warning.is_some());
    let cjk = decode(b"<?xml version='1.0' encoding='Shift_JIS'?><a/>").unwrap();
    #[cfg(not(feature = "cjk"))]
    assert!(cjk.warning.is_some());
    #[cfg(feature = "cjk")]
    {
        assert_eq!((cjk.encoding, cjk.warning), ("Shift_JIS", None));
        let jp = decode(b"<?xml version='1.0' encoding='EUC-JP'?><a>\xc6\xfc\xcb\xdc</a>").unwrap();
        assert!(jp.text.ends_with("<a>\u{65e5}\u{672c}</a>"), "{}", jp.text);
    }
    // Legacy code pages by their WHATWG labels.
    let cyrillic = decode(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>\xcf\xf0\xe8\xe2\xe5\xf2</a>").unwrap();
    assert_eq!(
        (cyrillic.text.ends_with("<a>Привет</a>"), cyrillic.encoding, cyrillic.warning),
        (true, "windows-1251", None)
    );
    let koi = decode(b"<?xml version='1.0' encoding='KOI8-R'?><a>\xf0\xd2\xc9</a>").unwrap();
    assert!(koi.text.ends_with("<a>При</a>"));
    assert_eq!(decode(b"").unwrap().text, "");
    // Owned bytes: UTF-8 in place, anything else transcoded.
    let owned = decode_owned(b"<a>\xc3\xa9</a>".to_vec()).unwrap();
    assert_eq!((&*owned.text, owned.encoding), ("<a>é</a>", "UTF-8"));
    assert_eq!(decode_owned(b"\xef\xbb\xbf<a/>".to_vec()).unwrap().text, "<a/>");
    assert_eq!(decode_owned(with_bom.clone()).unwrap().encoding, "UTF-16LE");
    let bad = decode_owned(b"<a>caf\xe9</a>".to_vec()).unwrap();
    assert_eq!((&*bad.text, bad.encoding), ("<a>café</a>", "windows-1252"));
}

/// A small deterministic generator for the mutation test.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn prefixes_and_mutations_never_panic() {
    let doc = concat!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"&#233;&f;\"><!ENTITY f \"x\">]>",
        "<r xmlns:w=\"urn:w\" a='&e;'><w:p w:v=\"1\">a &e; &amp; <![CDATA[c]]>\r\n<!-- c --><?p?><b/></w:p></r>"
    );
    let cfg = Config::default();
    for end in 0..=doc.len() {
        if let Some(prefix) = doc.get(..end) {
            match events_with(prefix, &cfg) {
                Ok(_) => {}
                Err(e) => assert_eq!(e.code(), Code::Corrupt, "{prefix}"),
            }
        }
    }
    let mut rng = Lcg(7);
    let alphabet = b"<>/!?[]-&;#x='\" \r\nab:CDATA";
    for _ in 0..3000 {
        let mut bytes = doc.as_bytes().to_vec();
        for _ in 0..1 + rng.next() % 6 {
            let at = rng.next() % bytes.len();
            bytes[at] = alphabet[rng.next() % alphabet.len()];
        }
        let Ok(text) = core::str::from_utf8(&bytes) else {
            continue;
        };
        let mut r = reader(&cfg);
        let mut budget = 10 * text.len() + 100;
        while let Ok(ev) = r.next(text) {
            if let Event::Start(t) = &ev {
                for a in t.attrs() {
                    let _ = a.value();
                }
            }
            if matches!(ev, Event::Eof) {
                break;
            }
            assert!(budget > 0, "no progress");
            budget -= 1;
        }
    }
}
