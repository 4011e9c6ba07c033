//! Document metadata: the Info dictionary first, the XMP packet for what it lacks (a small
//! scan of the packet for the few properties we report, as elements or as attributes of
//! `rdf:Description`), dates as ISO 8601.

use crate::error::{reserve_str, Result};
use crate::pdf::document::Document;
use crate::pdf::encodings::text_string;
use crate::pdf::lexer::find;
use crate::pdf::object::{Dict, Object};
use crate::sink::Sink;
use alloc::string::String;
use alloc::vec::Vec;

/// Output key, Info key, XMP property.
const FIELDS: [(&str, &[u8], &[u8]); 8] = [
    ("title", b"Title", b"dc:title"),
    ("author", b"Author", b"dc:creator"),
    ("subject", b"Subject", b"dc:description"),
    ("keywords", b"Keywords", b"pdf:Keywords"),
    ("creator", b"Creator", b"xmp:CreatorTool"),
    ("producer", b"Producer", b"pdf:Producer"),
    ("created", b"CreationDate", b"xmp:CreateDate"),
    ("modified", b"ModDate", b"xmp:ModifyDate"),
];

/// Writes `format_type`, the document fields, `page_count`, `pdf_version`, `encrypted` and
/// the first page's size in points.
pub fn write(doc: &Document, sink: &mut Sink) -> Result<()> {
    sink.meta_str("format_type", "pdf")?;
    let info = doc.info().unwrap_or(None).unwrap_or_default();
    let xmp = xmp_packet(doc);
    for (key, info_key, xmp_key) in FIELDS {
        let mut value = String::new();
        if let Some(v) = info.get(info_key) {
            if let Ok(Object::Str(s)) = doc.resolve(v) {
                text_string(&s, &mut value);
            }
        }
        if value.trim().is_empty() {
            value.clear();
            if let Some(x) = &xmp {
                xmp_value(x, xmp_key, &mut value)?;
            }
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if info_key.ends_with(b"Date") {
            let mut iso = String::new();
            if pdf_date(value.as_bytes(), &mut iso)? {
                sink.meta_str(key, &iso)?;
            } else {
                sink.meta_str(key, value)?;
            }
        } else {
            sink.meta_str(key, value)?;
        }
    }
    sink.meta_int("page_count", doc.page_count())?;
    if let Ok(v) = core::str::from_utf8(doc.version()) {
        if !v.is_empty() {
            sink.meta_str("pdf_version", v)?;
        }
    }
    sink.meta_bool("encrypted", doc.is_encrypted())?;
    if doc.page_count() > 0 {
        if let Ok(page) = doc.page(0) {
            let [x0, y0, x1, y1] = page.crop_box;
            let (mut w, mut h) = (x1 - x0, y1 - y0);
            if page.rotate % 180 != 0 {
                core::mem::swap(&mut w, &mut h);
            }
            sink.meta_int("page_width", points(w))?;
            sink.meta_int("page_height", points(h))?;
        }
    }
    Ok(())
}

fn points(v: f64) -> usize {
    if v.is_finite() && v > 0.0 {
        (v + 0.5).min(1e9) as usize
    } else {
        0
    }
}

/// The catalog's XMP stream, decoded (its absence or damage is no error).
fn xmp_packet(doc: &Document) -> Option<Vec<u8>> {
    let catalog: Dict = doc.catalog().ok()?;
    let meta = doc.resolve(catalog.get(b"Metadata")?).ok()?;
    doc.stream_data(meta.as_stream()?).ok()
}

/// The text of XMP property `name`: an element's text (the first `rdf:li` of an Alt, the
/// `rdf:li`s of a Seq or Bag joined with ", "), or an attribute `name="..."`.
fn xmp_value(x: &[u8], name: &[u8], out: &mut String) -> Result<()> {
    let mut open = Vec::new();
    open.push(b'<');
    open.extend_from_slice(name);
    let mut pos = 0;
    while let Some(at) = find(x, &open, pos) {
        pos = at + open.len();
        match x.get(pos) {
            Some(b'>') => {
                let mut close = Vec::new();
                close.extend_from_slice(b"</");
                close.extend_from_slice(name);
                let end = find(x, &close, pos).unwrap_or(x.len());
                return element_text(x.get(pos + 1..end).unwrap_or(&[]), out);
            }
            Some(c) if c.is_ascii_whitespace() || *c == b'/' => {
                // An element with attributes, e.g. <dc:title xml:lang="...">: text after '>'.
                let Some(gt) = find(x, b">", pos) else { break };
                if x.get(gt - 1) == Some(&b'/') {
                    continue;
                }
                let mut close = Vec::new();
                close.extend_from_slice(b"</");
                close.extend_from_slice(name);
                let end = find(x, &close, gt).unwrap_or(x.len());
                return element_text(x.get(gt + 1..end).unwrap_or(&[]), out);
            }
            _ => {}
        }
    }
    // Attribute form: name="value" or name='value'.
    let mut pos = 0;
    while let Some(at) = find(x, name, pos) {
        pos = at + name.len();
        let before = at.checked_sub(1).and_then(|i| x.get(i));
        if !before.is_some_and(|c| c.is_ascii_whitespace()) || x.get(pos) != Some(&b'=') {
            continue;
        }
        let Some(&quote) = x.get(pos + 1).filter(|&&q| q == b'"' || q == b'\'') else { continue };
        let start = pos + 2;
        let end = x.get(start..).and_then(|r| r.iter().position(|&c| c == quote)).map_or(x.len(), |e| start + e);
        return unescape(x.get(start..end).unwrap_or(&[]), out);
    }
    Ok(())
}

/// The text inside an element: `rdf:li` items joined with ", " (only the first of an Alt),
/// or its own text when it has none.
fn element_text(body: &[u8], out: &mut String) -> Result<()> {
    let alt = find(body, b"<rdf:Alt", 0).is_some();
    let mut pos = 0;
    let mut any = false;
    while let Some(at) = find(body, b"<rdf:li", pos) {
        let Some(gt) = find(body, b">", at) else { break };
        let end = find(body, b"</rdf:li", gt).unwrap_or(body.len());
        if any {
            reserve_str(out, 2)?;
            out.push_str(", ");
        }
        unescape(body.get(gt + 1..end).unwrap_or(&[]), out)?;
        any = true;
        pos = end;
        if alt {
            break;
        }
    }
    if !any && find(body, b"<", 0).is_none() {
        unescape(body, out)?;
    }
    Ok(())
}

/// XML text (UTF-8) with the predefined and numeric character references decoded.
fn unescape(s: &[u8], out: &mut String) -> Result<()> {
    let text = String::from_utf8_lossy(s);
    reserve_str(out, text.len())?;
    let mut rest = &*text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity.strip_prefix('#').and_then(|n| {
                let v = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse::<u32>().ok(),
                };
                v.and_then(char::from_u32)
            }),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Ok(())
}

/// `D:YYYYMMDDHHmmSSOHH'mm'` (every part after the year optional) to
/// `YYYY-MM-DDTHH:MM:SS+HH:MM`; an XMP date (already ISO 8601) is kept. False when the
/// value is no date.
pub fn pdf_date(v: &[u8], out: &mut String) -> Result<bool> {
    let v = v.strip_prefix(b"D:").unwrap_or(v);
    if v.len() >= 10 && v.get(4) == Some(&b'-') {
        reserve_str(out, v.len())?;
        out.push_str(&String::from_utf8_lossy(v));
        return Ok(true);
    }
    let digits = v.iter().take(14).take_while(|c| c.is_ascii_digit()).count();
    if digits < 4 {
        return Ok(false);
    }
    let part = |i: usize, default: &'static [u8; 2]| -> [u8; 2] {
        match v.get(i..i + 2) {
            Some([a, b]) if i + 2 <= digits => [*a, *b],
            _ => *default,
        }
    };
    let mut s: Vec<u8> = Vec::with_capacity(25);
    s.extend_from_slice(v.get(..4).unwrap_or(b"0000"));
    for (sep, i, default) in
        [(b'-', 4, b"01"), (b'-', 6, b"01"), (b'T', 8, b"00"), (b':', 10, b"00"), (b':', 12, b"00")]
    {
        s.push(sep);
        s.extend_from_slice(&part(i, default));
    }
    let tz = v.get(digits..).unwrap_or(&[]);
    match tz.first() {
        Some(b'Z') => s.push(b'Z'),
        Some(&sign @ (b'+' | b'-')) => {
            let d: Vec<u8> = tz.iter().skip(1).filter(|c| c.is_ascii_digit()).take(4).copied().collect();
            if d.len() >= 2 {
                s.push(sign);
                s.extend_from_slice(d.get(..2).unwrap_or(b"00"));
                s.push(b':');
                s.extend_from_slice(d.get(2..4).unwrap_or(b"00"));
            }
        }
        _ => {}
    }
    reserve_str(out, s.len())?;
    out.push_str(&String::from_utf8_lossy(&s));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> String {
        let mut out = String::new();
        assert!(pdf_date(s.as_bytes(), &mut out).unwrap(), "{s}");
        out
    }

    #[test]
    fn dates() {
        assert_eq!(date("D:20230105143000+01'00'"), "2023-01-05T14:30:00+01:00");
        assert_eq!(date("D:20230105143000-05'30"), "2023-01-05T14:30:00-05:30");
        assert_eq!(date("D:20230105143000Z"), "2023-01-05T14:30:00Z");
        assert_eq!(date("D:2023"), "2023-01-01T00:00:00");
        assert_eq!(date("20201231"), "2020-12-31T00:00:00");
        assert_eq!(date("2021-03-04T05:06:07Z"), "2021-03-04T05:06:07Z");
        assert!(!pdf_date(b"yesterday", &mut String::new()).unwrap());
    }

    #[test]
    fn xmp_properties() {
        let x = br#"<x:xmpmeta><rdf:RDF><rdf:Description pdf:Producer="Skia &amp; co" xmp:CreatorTool='Writer'>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">A &lt;title&gt;</rdf:li><rdf:li xml:lang="de">Titel</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>Ann</rdf:li><rdf:li>Bob &#x263A;</rdf:li></rdf:Seq></dc:creator>
            <pdf:Keywords>one, two</pdf:Keywords>
            </rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let get = |k: &[u8]| {
            let mut s = String::new();
            xmp_value(x, k, &mut s).unwrap();
            s
        };
        assert_eq!(get(b"dc:title"), "A <title>");
        assert_eq!(get(b"dc:creator"), "Ann, Bob \u{263A}");
        assert_eq!(get(b"pdf:Keywords"), "one, two");
        assert_eq!(get(b"pdf:Producer"), "Skia & co");
        assert_eq!(get(b"xmp:CreatorTool"), "Writer");
        assert_eq!(get(b"dc:description"), "");
    }
}
