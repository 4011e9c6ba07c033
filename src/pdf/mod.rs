//! PDF: the object layer (lexer, parser, cross-reference, filters, security handler), the
//! font layer (encodings, glyph names, CMaps, metrics) and the text layer (content-stream
//! interpreter and layout). `crate::formats::pdf` drives them one page per step.

pub mod cmap;
pub mod content;
pub mod crypt;
pub mod document;
pub mod encodings;
pub mod filters;
pub mod font;
pub mod glyphs;
pub mod interp;
pub mod layout;
pub mod lexer;
pub mod metadata;
pub mod metrics;
pub mod object;
pub mod parser;
pub mod security;
pub mod tables;
pub mod text;
pub mod xref;

use alloc::vec::Vec;

/// Warnings collected while reading a document; each distinct message is reported once.
#[derive(Default, Debug)]
pub struct Warnings {
    pub list: Vec<&'static str>,
}

impl Warnings {
    pub fn add(&mut self, message: &'static str) {
        if !self.list.contains(&message) {
            self.list.push(message);
        }
    }
}
