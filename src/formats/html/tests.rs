//! End-to-end tests through the stream: real pages from the shared corpus (word recall
//! against `lynx -dump` references, the fixtures' assertions) and hostile input.

use crate::arena::Arena;
use crate::config::Config;
use crate::records::Kind;
use crate::stream::Stream;
use std::string::String;
use std::vec::Vec;

/// What a document extracts to.
#[derive(Default, Debug)]
struct Extracted {
    text: String,
    meta: Vec<String>,
    tables: Vec<String>,
    warnings: Vec<String>,
    /// Text records handed out.
    pieces: usize,
}

fn run_cfg(doc: &[u8], mime: &[u8], cfg: &Config) -> Result<Extracted, crate::error::Error> {
    let mut arena = Arena::new();
    let mut s = Stream::open(doc, Some(mime), cfg, &mut arena)?;
    let mut x = Extracted::default();
    loop {
        let payload = |s: &Stream| String::from_utf8(s.payload().to_vec()).unwrap();
        match s.next(0)? {
            Kind::End => break,
            Kind::Text => {
                x.text.push_str(&payload(&s));
                x.pieces += 1;
            }
            Kind::Metadata => x.meta.push(payload(&s)),
            Kind::Table => x.tables.push(payload(&s)),
            Kind::Warning => x.warnings.push(payload(&s)),
            _ => {}
        }
    }
    Ok(x)
}

fn run(doc: &str) -> Extracted {
    run_cfg(doc.as_bytes(), b"text/html", &Config::default()).unwrap()
}

fn plain(doc: &str) -> String {
    let cfg = Config { plain: true, ..Config::default() };
    run_cfg(doc.as_bytes(), b"text/html", &cfg).unwrap().text
}

fn md(doc: &str) -> String {
    run(doc).text
}

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn corpus_doc(path: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/documents/{path}")).unwrap()
}

/// The shared corpus's end-to-end assertions for HTML (fixtures/html/*.json and the HTML
/// smoke test), checked on the native build.
#[test]
fn corpus_fixtures() {
    let mut paths: Vec<String> = std::fs::read_dir(format!("{CORPUS}/fixtures/html"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    paths.push(format!("{CORPUS}/fixtures/smoke/html_basic.json"));
    for path in paths {
        let f: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let doc = corpus_doc(f["document"]["path"].as_str().unwrap());
        let mime = f["document"]["media_type"].as_str().unwrap();
        let mut arena = Arena::new();
        let mut s = Stream::open(&doc, Some(mime.as_bytes()), &Config::default(), &mut arena).unwrap();
        assert_eq!(s.next(0).unwrap(), Kind::Document);
        let a = &f["assertions"];
        let want = format!("{{\"mime_type\":\"{}\"}}", a["expected_mime"].as_str().unwrap());
        assert_eq!(String::from_utf8(s.payload().to_vec()).unwrap(), want, "{path}");
        let x = run_cfg(&doc, mime.as_bytes(), &Config::default()).unwrap();
        let strings = |k: &str| -> Vec<String> {
            a[k].as_array().map(|v| v.iter().map(|s| s.as_str().unwrap().to_string()).collect()).unwrap_or_default()
        };
        assert!(x.text.len() as u64 >= a["min_content_length"].as_u64().unwrap_or(0), "{path}");
        for w in strings("content_contains_all") {
            assert!(x.text.contains(&w), "{path}: {w}");
        }
        let any = strings("content_contains_any");
        assert!(any.is_empty() || any.iter().any(|w| x.text.contains(w.as_str())), "{path}");
        assert!(x.tables.len() as u64 >= a["tables"]["min"].as_u64().unwrap_or(0), "{path}");
    }
}

#[test]
fn simple_table_as_markdown() {
    let x = run_cfg(&corpus_doc("web/simple_table.html"), b"text/html", &Config::default()).unwrap();
    assert!(
        x.text.starts_with(
            "# Sample Data Table\n\n| Product | Category | Price | Stock |\n| --- | --- | --- | --- |\n| Laptop |"
        ),
        "{}",
        x.text
    );
    assert!(x.text.contains("## Summary Statistics\n\n| Total Products: | 4 |"), "{}", x.text);
    assert_eq!(x.tables.len(), 2);
    assert!(x.meta.contains(&"{\"title\":\"Simple Table Test\"}".to_string()), "{:?}", x.meta);
}

/// Word tokens as `shared/tools/score` counts them (approximately: no NFKC, and combining
/// marks by block): lower-cased runs of letters, digits and marks; Han, kana and Thai
/// characters one by one.
fn words(text: &str) -> std::collections::HashMap<String, usize> {
    let cjk = |c: char| matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x0e00..=0x0e7f | 0xff66..=0xff9f);
    let mark = |c: char| {
        matches!(c as u32, 0x300..=0x36f | 0x483..=0x489 | 0x591..=0x5c7 | 0x610..=0x61a | 0x64b..=0x65f | 0x670 | 0x6d6..=0x6ed
            | 0x900..=0x903 | 0x93a..=0x94f | 0x951..=0x957 | 0x962..=0x963 | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff
            | 0xfe00..=0xfe0f | 0xfe20..=0xfe2f)
    };
    let mut out = std::collections::HashMap::new();
    let mut cur = String::new();
    for c in text.chars() {
        let c = match c as u32 {
            0xff01..=0xff5e => char::from_u32(c as u32 - 0xfee0).unwrap(),
            _ => c,
        };
        if (c.is_alphanumeric() || mark(c)) && !cjk(c) {
            cur.extend(c.to_lowercase());
            continue;
        }
        if !cur.is_empty() {
            *out.entry(std::mem::take(&mut cur)).or_insert(0) += 1;
        }
        if cjk(c) {
            *out.entry(c.to_string()).or_insert(0) += 1;
        }
    }
    if !cur.is_empty() {
        *out.entry(cur).or_insert(0) += 1;
    }
    out
}

/// (recall, precision) of `cand`'s words against `reference`'s.
fn recall_precision(reference: &str, cand: &str) -> (f64, f64) {
    let (r, c) = (words(reference), words(cand));
    let common: usize = r.iter().map(|(w, n)| (*n).min(c.get(w).copied().unwrap_or(0))).sum();
    let total = |m: &std::collections::HashMap<String, usize>| m.values().sum::<usize>().max(1) as f64;
    (common as f64 / total(&r), common as f64 / total(&c))
}

/// Every HTML document of the corpus that has a reference, by path under documents/.
fn corpus_pages() -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![format!("{CORPUS}/documents")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p.to_string_lossy().into_owned());
                continue;
            }
            let rel = p.strip_prefix(format!("{CORPUS}/documents/")).unwrap().to_string_lossy().into_owned();
            let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            let is_html = matches!(ext.as_str(), "html" | "htm" | "html4" | "html5" | "xhtml");
            if is_html && std::path::Path::new(&format!("{CORPUS}/references/{rel}.ref.txt")).exists() {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Word recall against `lynx -dump` for every HTML page of the corpus, in both output modes.
/// The bar applies to the default (Markdown) output; lynx prints the file names of images
/// without alt text, which Markdown keeps in `![](src)` and plain text (rightly) drops, so
/// plain recall is lower on image-heavy pages. Set PITH_HTML_OUT=dir to keep the outputs for
/// `shared/tools/score`.
#[test]
fn corpus_recall() {
    let keep = std::env::var("PITH_HTML_OUT").ok();
    let mut recalls = Vec::new();
    println!("{:<42} {:>9} {:>7} {:>9} {:>9} {:>9}", "document", "bytes", "ms", "recall", "precision", "plain rec");
    for rel in corpus_pages() {
        let doc = corpus_doc(&rel);
        let reference = std::fs::read_to_string(format!("{CORPUS}/references/{rel}.ref.txt")).unwrap();
        let t = std::time::Instant::now();
        let x = run_cfg(&doc, b"text/html", &Config::default()).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let p = run_cfg(&doc, b"text/html", &Config { plain: true, ..Config::default() }).unwrap();
        let (recall, precision) = recall_precision(&reference, &x.text);
        let (plain_recall, _) = recall_precision(&reference, &p.text);
        println!("{rel:<42} {:>9} {ms:>7.1} {recall:>9.4} {precision:>9.4} {plain_recall:>9.4}", doc.len());
        if let Some(dir) = &keep {
            let name = rel.replace('/', "__");
            std::fs::write(format!("{dir}/{name}.md"), &x.text).unwrap();
            std::fs::write(format!("{dir}/{name}.txt"), &p.text).unwrap();
        }
        // Text streams: a large page comes as many text records, not one at the end.
        assert!(doc.len() < 1 << 20 || x.pieces > 2, "{rel}: {} text records", x.pieces);
        recalls.push((recall, rel));
    }
    recalls.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = recalls[recalls.len() / 2].0;
    println!("median recall {median:.4} over {} pages", recalls.len());
    assert!(recalls.len() >= 20);
    for (r, rel) in &recalls {
        assert!(*r >= 0.95, "{rel}: recall {r:.4}");
    }
    assert!(median >= 0.98);
}

#[test]
fn blocks_and_whitespace() {
    assert_eq!(md("<p>  Hello\n   <b>big</b>  world </p><p>Two</p>"), "Hello **big** world\n\nTwo\n");
    assert_eq!(md("a<br>b<br><br>c<div>d</div>e"), "a\nb\n\nc\n\nd\n\ne\n");
    assert_eq!(md("<h1>Title</h1><h3>Sub <i>x</i><br>y</h3>text"), "# Title\n\n### Sub *x* y\n\ntext\n");
    assert_eq!(plain("<h1>Title</h1><p>a <b>b</b> <a href=x>c</a></p>"), "Title\n\na b c\n");
    assert_eq!(md("<pre>\n  line 1\n    line 2\n</pre>after"), "```\n  line 1\n    line 2\n```\n\nafter\n");
    assert_eq!(plain("<pre>\n  x  y\n</pre>"), "  x  y\n");
    assert_eq!(
        md("<p>x &amp; y &lt;z&gt; &copy 2024 &notit; &#x41;&#66;&#x80;&#0;&#xD800;</p>"),
        "x & y <z> © 2024 ¬it; AB€\u{fffd}\u{fffd}\n"
    );
    assert_eq!(md("<p>a<q>quoted</q> b</p>"), "a\"quoted\" b\n");
    assert_eq!(md("<p><em> </em>x<strong></strong></p>"), "x\n");
    assert_eq!(md("<p>in <code>a + b</code> and <del>old</del></p>"), "in `a + b` and ~~old~~\n");
    assert_eq!(md("<hr><p>x</p><hr>"), "---\n\nx\n\n---\n");
}

#[test]
fn lists_quotes_and_links() {
    assert_eq!(md("<ul><li>one<li>two<ul><li>inner</ul><li>three</ul>"), "- one\n- two\n  - inner\n- three\n");
    assert_eq!(md("<ol start=9><li>a<li value=20>b<li>c</ol>"), "9. a\n20. b\n21. c\n");
    assert_eq!(md("<ol><li><p>para one</p><p>para two</p></li></ol>"), "1. para one\n\n   para two\n");
    assert_eq!(md("<blockquote><p>q1</p><p>q2</p></blockquote>after"), "> q1\n>\n> q2\n\nafter\n");
    assert_eq!(plain("<blockquote>q</blockquote><ul><li>x</ul>"), "  q\n\n- x\n");
    assert_eq!(md("<a href='/x?a=1&amp;b=2&copy=3'>go <b>there</b></a>"), "[go **there**](/x?a=1&b=2&copy=3)\n");
    assert_eq!(md("<a href='#top'>top</a> <a href='a b(c)'>s</a>"), "top [s](a%20b%28c%29)\n");
    assert_eq!(
        md("<a href=x><img src=i.png alt=Logo></a><img src='data:image/png;base64,xx' alt=inline>"),
        "[![Logo](i.png)](x)inline\n"
    );
    // A block inside inline markup: the markup closes before the break and reopens after.
    assert_eq!(md("<b>one<div>two</div></b>"), "**one**\n\n**two**\n");
    assert_eq!(md("<dl><dt>term<dd>definition</dl>"), "term\ndefinition\n");
}

#[test]
fn implied_and_stray_end_tags() {
    assert_eq!(md("<p>one<p>two<div>three</p>four"), "one\n\ntwo\n\nthree\n\nfour\n");
    assert_eq!(md("</p>x</div></span></b>y"), "xy\n");
    assert_eq!(md("<b><i>bold italic</b> plain</i>"), "***bold italic*** plain\n");
    assert_eq!(md("<span><div>block</span> still</div>after"), "block still\n\nafter\n");
    assert_eq!(md("<select><option>a<option>b<optgroup label=g><option>c</select>"), "a\nb\nc\n");
    assert_eq!(md("<a href=1>one<a href=2>two</a>"), "[one](1)[two](2)\n");
}

#[test]
fn skipped_content() {
    let doc = "<head><title>T</title><style>p{}</style><script>var a='</p>';</script></head>\
        <body><noscript>no</noscript><template><p>tpl</p></template><p hidden>h</p>\
        <div style='color:red; DISPLAY : none'>dn</div><svg><text>svg</text><title>st</title></svg>\
        <iframe><p>frame</p></iframe><!-- <p>comment</p> --><p>visible</p></body>";
    assert_eq!(md(doc), "visible\n");
    assert_eq!(md("<math><mi>x</mi><mo>=</mo><mn>2</mn><annotation>x=2</annotation></math>"), "x=2\n");
    assert_eq!(md("<svg><![CDATA[ignored]]></svg><math><mtext><![CDATA[a<b]]></mtext></math>"), "a<b\n");
    assert_eq!(md("<textarea>\n  typed &lt;text&gt;</textarea>"), "typed <text>\n");
    assert_eq!(md("<xmp><b>&amp;</b></xmp>"), "```\n<b>&amp;</b>\n```\n");
    assert_eq!(md("<p>a<plaintext><b>raw"), "a\n\n```\n<b>raw\n```\n");
}

#[test]
fn tables() {
    let x = run("<table><caption>Cap</caption><tr><th>A<th>B<tr><td>1<td>2</table>");
    assert_eq!(x.text, "Cap\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n");
    assert_eq!(x.tables, ["{\"cells\":[[\"A\",\"B\"],[\"1\",\"2\"]],\"markdown\":\"| A | B |\\n| --- | --- |\\n| 1 | 2 |\\n\",\"page_number\":0}"]);
    assert_eq!(plain("<table><tr><td>a</td><td>b c</td></tr><tr><td colspan=2>d</td></tr></table>"), "a\tb c\nd\n");
    // A table inside a cell: its own record, and its text in the outer cell.
    let x = run("<table><tr><td>out<table><tr><td>in1<td>in2</table></td><td>z</table>");
    assert_eq!(x.tables.len(), 2);
    assert!(x.text.contains("| out in1 in2 | z |"), "{}", x.text);
    // Cells without rows, stray table parts, text in a table outside cells.
    assert_eq!(md("<td>no table</td><tr>x"), "no tablex\n");
    let x = run("<table>stray<td>cell</table>");
    assert_eq!(x.text, "stray\n\n| cell |\n| --- |\n");
}

#[test]
fn metadata() {
    let doc = "<html lang=de><head><title> A &amp; B </title><meta name=description content='Desc'>\
        <meta name=keywords content='a, b,,c'><meta property='og:title' content=OG><meta name='twitter:card' content=summary>\
        <link rel='canonical' href='https://x/'><base href='/base/'><meta name=author content=Me><meta name=author content=Other>\
        </head><body>text<meta property='og:image' content=late.png></body></html>";
    let x = run(doc);
    let m = x.meta.join("");
    for want in [
        "{\"format_type\":\"html\"}",
        "{\"encoding\":\"UTF-8\"}",
        "{\"title\":\"A & B\"}",
        "{\"description\":\"Desc\"}",
        "{\"keywords\":[\"a\",\"b\",\"c\"]}",
        "{\"author\":\"Me\"}",
        "{\"language\":\"de\"}",
        "{\"canonical\":\"https://x/\"}",
        "{\"base_href\":\"/base/\"}",
        "{\"og_title\":\"OG\"}",
        "{\"twitter_card\":\"summary\"}",
        "{\"og_image\":\"late.png\"}",
    ] {
        assert!(m.contains(want), "{want} in {m}");
    }
    assert_eq!(x.meta.iter().filter(|m| m.contains("author")).count(), 1);
    assert_eq!(x.text, "text\n");
}

#[test]
fn sniffing_and_mime() {
    for yes in [
        &b"<!DOCTYPE html><p>"[..],
        b"\xef\xbb\xbf  <!-- c --> <HTML lang=en>",
        b"<head><title>",
        b"\n<body>",
        b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>",
        b"<html",
        b"<HeAd/>",
        b"<body\x0c>",
        b"<!doctype HTML\n>",
        b"<!doctype html",
    ] {
        assert!(super::looks_like(yes), "{yes:?}");
    }
    for no in [
        &b"<p>fragment"[..],
        b"hello <html>",
        b"<htmlx>",
        b"<!-- never closed <html>",
        b"<?xml version='1.0'?><root/>",
        b"",
        b"<",
        b"xhtml>",
        b"<!doctype  html>",
        b"<!doctype head>",
        b"<!doctype body>",
        b"<!doctype htmlx>",
        b"<html\x00>",
        b"<title>",
        b"<image>",
    ] {
        assert!(!super::looks_like(no), "{no:?}");
    }
    let mut arena = Arena::new();
    let s = Stream::open(b"<!doctype html><p>hi", None, &Config::default(), &mut arena);
    assert!(s.is_ok());
    let x = run_cfg(b"<p>x", b"application/xhtml+xml", &Config::default()).unwrap();
    assert_eq!(x.text, "x\n");
}

#[test]
fn encodings() {
    // No declaration, not UTF-8: Windows-1252, with a warning.
    let x = run_cfg(b"<p>caf\xe9 \x93q\x94</p>", b"text/html", &Config::default()).unwrap();
    assert_eq!(x.text, "café “q”\n");
    assert_eq!(x.warnings.len(), 1);
    // Declared Latin-1 wins over bytes that happen to be valid UTF-8.
    let x = run_cfg(b"<meta charset=iso-8859-1><p>\xc3\xa9</p>", b"text/html", &Config::default()).unwrap();
    assert_eq!(x.text, "Ã©\n");
    assert!(x.warnings.is_empty());
    assert!(x.meta.contains(&"{\"encoding\":\"windows-1252\"}".to_string()));
    // UTF-16 with a BOM.
    let le: Vec<u8> =
        [0xff, 0xfe].into_iter().chain("<p>ħé 😀</p>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert_eq!(run_cfg(&le, b"text/html", &Config::default()).unwrap().text, "ħé 😀\n");
    let be: Vec<u8> = [0xfe, 0xff].into_iter().chain("<p>ħ</p>".encode_utf16().flat_map(u16::to_be_bytes)).collect();
    assert_eq!(run_cfg(&be, b"text/html", &Config::default()).unwrap().text, "ħ\n");
    // A CJK page this build cannot decode: ASCII and references survive, the rest is U+FFFD,
    // and a warning says why.
    let x = run_cfg(b"<meta charset=shift_jis><p>ID \x93\xfa\x96\x7b &#26085;</p>", b"text/html", &Config::default())
        .unwrap();
    #[cfg(not(feature = "cjk"))]
    {
        assert_eq!(x.text, "ID \u{fffd} 日\n");
        assert_eq!(x.warnings.len(), 1);
        assert!(x.warnings[0].contains("Shift_JIS"), "{:?}", x.warnings);
    }
    // With `cjk` it decodes (see also `cjk_pages`).
    #[cfg(feature = "cjk")]
    {
        assert_eq!(x.text, "ID 日本 日\n");
        assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    }
    // "replacement" labels are never decoded.
    let x = run_cfg(b"<meta charset=iso-2022-kr><p>ID \x93\xfa</p>", b"text/html", &Config::default()).unwrap();
    assert_eq!(x.text, "ID \u{fffd}\n");
    assert!(x.warnings[0].contains("replacement"), "{:?}", x.warnings);
    // A legacy code page, declared in the content type.
    let doc = b"<meta http-equiv=Content-Type content='text/html; charset=koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
    let x = run_cfg(doc, b"text/html", &Config::default()).unwrap();
    assert_eq!(x.text, "Привет\n");
    assert!(x.meta.contains(&"{\"encoding\":\"KOI8-R\"}".to_string()), "{:?}", x.meta);
    // Invalid UTF-8 in a page that declares UTF-8.
    let x = run_cfg(b"<meta charset=utf-8><p>a\xffb</p>", b"text/html", &Config::default()).unwrap();
    assert_eq!(x.text, "a\u{fffd}b\n");
}

/// Pages in the multi-byte CJK encodings decode through their `<meta charset>`, trail bytes
/// that look like markup (`\`, `|`, `@`) stay text, and the metadata names the encoding.
#[cfg(feature = "cjk")]
#[test]
fn cjk_pages() {
    let cases: [(&[u8], &str, &str); 5] = [
        // 表 is 0x95 0x5C in Shift_JIS: its trail byte is a backslash.
        (
            b"<meta charset=\"shift_jis\"><title>\x93\xfa\x96\x7b</title><p>\x95\x5c &amp; \xb1\xb2</p>",
            "Shift_JIS",
            "表 & ｱｲ",
        ),
        (b"<meta charset=gbk><p>\xb1\xb1\xbe\xa9 \x81\x30\x81\x30</p>", "GBK", "北京 \u{80}"),
        (b"<meta charset=big5><p>\xa4\xa4\xb0\xea \x88\x62</p>", "Big5", "中國 \u{ca}\u{304}"),
        (b"<meta charset=euc-kr><p>\xc7\xd1\xb1\xb9\xbe\xee \x8c\x63</p>", "EUC-KR", "한국어 똠"),
        (b"<meta charset=iso-2022-jp><p>\x1b$B\x46\x7c\x4b\x5c\x1b(B &lt;</p>", "ISO-2022-JP", "日本 <"),
    ];
    for (doc, name, text) in cases {
        let x = run_cfg(doc, b"text/html", &Config::default()).unwrap();
        assert!(x.text.ends_with(&format!("{text}\n")), "{name}: {:?}", x.text);
        assert!(x.warnings.is_empty(), "{name}: {:?}", x.warnings);
        let meta = format!("{{\"encoding\":\"{name}\"}}");
        assert!(x.meta.contains(&meta), "{:?}", x.meta);
    }
}

/// Runs hostile input: it must end in Ok or a clean error. (tests/hostile.rs runs the same
/// shapes through the module with a fuel budget linear in their size.)
fn survives(doc: &[u8], cfg: &Config) -> Result<Extracted, crate::error::Error> {
    run_cfg(doc, b"text/html", cfg)
}

#[test]
fn deep_nesting_is_linear_and_keeps_text() {
    let cfg = Config::default();
    for (open, close) in [
        ("<div>", "</div>"),
        ("<ul><li>", "</li></ul>"),
        ("<b>", "</b>"),
        ("<a href=x>", "</a>"),
        ("<blockquote>", "</blockquote>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<svg>", "</svg>"),
        ("<span>", ""),
        ("<p><i>", ""),
        ("<h1>", "</h1>"),
    ] {
        let n = 100_000;
        let doc = format!("{}deep text{}<p>after", open.repeat(n), close.repeat(n));
        let x = survives(doc.as_bytes(), &cfg).unwrap();
        if open != "<svg>" {
            assert!(x.text.contains("deep text"), "{open}: {}", &x.text[..x.text.len().min(200)]);
        }
        assert!(x.text.contains("after"), "{open}");
    }
    // Stray end tags by the million, and misnesting that keeps the stack full.
    let doc = format!("{}{}", "<div>".repeat(300), "</span></table></p>".repeat(300_000));
    survives(doc.as_bytes(), &cfg).unwrap();
    let doc = format!("<table><td>{}{}", "<span>".repeat(300), "</div>".repeat(300_000));
    survives(doc.as_bytes(), &cfg).unwrap();
}

#[test]
fn depth_limit_keeps_text() {
    let cfg = Config { max_depth: 3, ..Config::default() };
    let x = run_cfg(b"<div><div><div><div><ul><li>one<li>two</ul><table><tr><td>c</table></div>", b"text/html", &cfg)
        .unwrap();
    assert!(x.text.contains("one") && x.text.contains("two") && x.text.contains('c'), "{}", x.text);
}

#[test]
fn hostile_input_ends_cleanly() {
    let cfg = Config::default();
    let big = "x".repeat(10 << 20);
    let docs: Vec<Vec<u8>> = vec![
        format!("<a href=\"{big}\">link</a><img alt=\"{big}\">").into_bytes(),
        format!("<p title='{big}").into_bytes(),
        format!("<p {}>", "a ".repeat(1 << 20)).into_bytes(),
        "&amp;&lt;&#x10FFFF;&#99999999999999999999999;&#;&#x;&".repeat(100_000).into_bytes(),
        format!("&{}", "a".repeat(1 << 20)).into_bytes(),
        format!("<!--{}", "-".repeat(1 << 20)).into_bytes(),
        format!("<script>{}", "<!--<script>".repeat(100_000)).into_bytes(),
        format!("<table>{}</table>", "<td colspan=1000 rowspan=1000>".repeat(1000)).into_bytes(),
        (0..=255u8).cycle().take(1 << 20).collect(),
        b"\xff\xfe<\x00".to_vec(),
        b"\xfe\xff\x00".to_vec(),
        Vec::new(),
    ];
    for doc in &docs {
        if let Err(e) = survives(doc, &cfg) {
            assert_ne!(e.code(), crate::error::Code::Internal);
        }
    }
    // Every prefix of a real page.
    let page = corpus_doc("web/complex_table.html");
    for cut in 0..page.len() {
        survives(&page[..cut], &cfg).unwrap();
    }
}

#[test]
fn a_50_mb_line_streams_in_pieces() {
    let doc = "word ".repeat(10 << 20);
    let x = survives(doc.as_bytes(), &Config::default()).unwrap();
    assert_eq!(x.text.len(), doc.len());
    assert!(x.pieces > 100, "{}", x.pieces);
    let doc = "y".repeat(50 << 20);
    let x = survives(doc.as_bytes(), &Config::default()).unwrap();
    assert_eq!(x.text.len(), doc.len() + 1);
}

#[test]
fn limits_are_clean_errors_or_warnings() {
    let cfg = Config { max_output: 100, ..Config::default() };
    let err = run_cfg("<p>0123456789</p>".repeat(100).as_bytes(), b"text/html", &cfg).unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Limit);
    let cfg = Config { max_objects: 10, ..Config::default() };
    let x = run_cfg(b"<table><tr><td>a<td>b<tr><td colspan=20>wide</table><p>after", b"text/html", &cfg).unwrap();
    // The record keeps every cell; the spans are not spread, and there is no Markdown.
    assert_eq!(x.tables, ["{\"cells\":[[\"a\",\"b\"],[\"wide\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"]],\"markdown\":\"\",\"page_number\":0}"]);
    assert_eq!(x.warnings.len(), 1);
    assert!(x.text.contains("wide") && x.text.contains("after"));
}

/// Random tag soup from a small vocabulary (a fixed-seed xorshift), to shake out panics.
#[test]
fn tag_soup() {
    const PARTS: &[&str] = &[
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<li>",
        "<ul>",
        "</ul>",
        "<ol start=3>",
        "<table>",
        "</table>",
        "<tr>",
        "<td colspan=3>",
        "<th rowspan=2>",
        "</td>",
        "<b>",
        "</b>",
        "<i>",
        "<a href=x>",
        "</a>",
        "<pre>",
        "</pre>",
        "<h2>",
        "</h2>",
        "<br>",
        "<hr>",
        "<svg>",
        "</svg>",
        "<math>",
        "<![CDATA[c]]>",
        "<blockquote>",
        "</blockquote>",
        "<script>",
        "</script>",
        "<title>",
        "</title>",
        "<textarea>",
        "<!--",
        "-->",
        "<template>",
        "</template>",
        "text ",
        "&amp;",
        "&#x1F600;",
        "&notit;",
        "\u{e9}",
        "\r\n",
        "<caption>",
        "<select><option>",
        "<dd>",
        "<dt>",
        "<q>",
        "</q>",
        "<img alt=i src=s>",
        "<p hidden>",
        "<xmp>",
        "</xmp>",
        "<code>",
        "</code>",
        "<",
        ">",
        "&",
        "\"",
        "'",
        "=",
    ];
    let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15);
    for round in 0..3000 {
        let mut doc = String::new();
        for _ in 0..(round % 97) + 1 {
            doc.push_str(PARTS[rng.next() % PARTS.len()]);
        }
        let cfg =
            Config { plain: round % 2 == 0, max_depth: if round % 3 == 0 { 4 } else { 256 }, ..Config::default() };
        survives(doc.as_bytes(), &cfg).unwrap();
    }
}
