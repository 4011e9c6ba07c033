//! Document properties from `meta.xml` (`office:meta`): Dublin Core fields, the
//! generator, dates as written (ISO 8601) and the statistics the writing application left.

use super::body::META;
use crate::config::Config;
use crate::error::{reserve_str, Result};
use crate::sink::Sink;
use crate::xml::{self, Event, Reader};
use alloc::string::String;
use alloc::vec::Vec;

const DC: &str = "http://purl.org/dc/elements/1.1/";
/// Bytes of a property kept (a title is a line, not a document).
const MAX_FIELD: usize = 4096;
/// Keywords kept.
const MAX_KEYWORDS: usize = 256;

/// The elements read, in the order of the values below. `author` is the initial creator;
/// `dc:creator` is who saved last, the author only when no initial creator is given.
const FIELDS: [(&str, &str); 8] = [
    (DC, "title"),
    (DC, "subject"),
    (META, "initial-creator"),
    (DC, "creator"),
    (DC, "description"),
    (META, "creation-date"),
    (DC, "date"),
    (META, "generator"),
];

pub fn emit(src: &str, cfg: &Config, sink: &mut Sink) -> Result<()> {
    let mut values: [String; FIELDS.len()] = Default::default();
    let mut keywords: Vec<String> = Vec::new();
    let mut stats: [Option<usize>; 2] = [None, None];
    let mut r = Reader::new(cfg);
    loop {
        let t = match r.next(src)? {
            Event::Start(t) => t,
            Event::Eof => break,
            _ => continue,
        };
        if t.name.is(META, "document-statistic") {
            for (i, key) in ["page-count", "word-count"].into_iter().enumerate() {
                if let (Some(v), Some(slot)) = (t.attr(META, key)?, stats.get_mut(i)) {
                    *slot = Some(super::lists::number(&v) as usize);
                }
            }
            continue;
        }
        let keyword = t.name.is(META, "keyword");
        let field = FIELDS.iter().position(|&(ns, local)| t.name.is(ns, local));
        if !keyword && field.is_none() {
            continue;
        }
        let mut text = String::new();
        r.read_text(src, &mut text)?;
        let value = cut(xml::trim(&text));
        if value.is_empty() {
            continue;
        }
        let mut owned = String::new();
        reserve_str(&mut owned, value.len())?;
        owned.push_str(value);
        match field.and_then(|i| values.get_mut(i)) {
            Some(slot) => *slot = owned,
            None if keywords.len() < MAX_KEYWORDS => {
                keywords.try_reserve(1).map_err(|_| crate::error::oom())?;
                keywords.push(owned);
            }
            None => {}
        }
    }
    let [title, subject, initial, creator, description, created, modified, generator] = &values;
    let author = if initial.is_empty() { creator } else { initial };
    for (key, value) in [
        ("title", title),
        ("subject", subject),
        ("author", author),
        ("last_modified_by", creator),
        ("description", description),
        ("created", created),
        ("modified", modified),
        ("application", generator),
    ] {
        if !value.is_empty() {
            sink.meta_str(key, value)?;
        }
    }
    if !keywords.is_empty() {
        let list: Vec<&str> = keywords.iter().map(String::as_str).collect();
        sink.meta_list("keywords", &list)?;
    }
    for (key, value) in ["page_count", "word_count"].into_iter().zip(stats) {
        if let Some(v) = value {
            sink.meta_int(key, v)?;
        }
    }
    Ok(())
}

fn cut(s: &str) -> &str {
    let mut end = s.len().min(MAX_FIELD);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}
