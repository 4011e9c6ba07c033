//! One slide (or notes page): its shapes in reading order, each rendered to Markdown (or
//! plain text), tables kept as rows for their table records.
//!
//! A single pass over the events with an explicit stack of open groups, so group nesting
//! costs no recursion; the nesting is still checked against `max_depth`. Shapes are sorted
//! by the top-left corner of their frame (`a:off`: y, then x) within their group, and a
//! group's shapes move together at the group's own position. Tops within the same quarter
//! inch count as one row, so boxes set side by side (whose tops differ by a hair) read
//! left to right. A shape without a frame
//! (placeholders inherit theirs from the layout) keeps its place after the shape before
//! it. In `mc:AlternateContent` only the first `mc:Choice` is read, or the `mc:Fallback`
//! when there is no choice, never both.

use crate::config::Config;
use crate::error::{limit, oom, reserve_str, Result};
use crate::xml::{Event, Name, Reader, Tag};
use alloc::string::String;
use alloc::vec::Vec;

const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const A_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/main";
const P: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
const P_STRICT: &str = "http://purl.oclc.org/ooxml/presentationml/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// List levels shown as indentation at most (DrawingML has nine).
const MAX_LEVEL: usize = 8;
/// A quarter inch in EMU: the height of a row of shapes when sorting.
const ROW: i64 = 228_600;

fn a(n: &Name, local: &str) -> bool {
    n.local == local && (n.ns == A || n.ns == A_STRICT)
}

fn p(n: &Name, local: &str) -> bool {
    n.local == local && (n.ns == P || n.ns == P_STRICT)
}

/// What a placeholder (`p:ph`) is, as far as the text goes.
#[derive(Clone, Copy, PartialEq, Default)]
enum Role {
    /// Not a placeholder, or one without a role of its own (subtitle, footer, ...).
    #[default]
    Other,
    /// The title of a title slide (`ctrTitle`): `# `.
    MainTitle,
    /// A slide title: `## `.
    Title,
    /// Body and content placeholders, whose paragraphs are bulleted by the master.
    Body,
}

/// A paragraph's own bullet setting.
#[derive(Clone, Copy, PartialEq)]
enum Bullet {
    Inherit,
    None,
    Char,
    Number,
}

/// A shape, rendered.
#[cfg_attr(test, derive(Debug))]
pub struct Shape {
    /// (y, x) of its frame.
    key: (i64, i64),
    positioned: bool,
    pub text: String,
    pub table: Option<Vec<Vec<String>>>,
}

/// An open group (the slide's shape tree is the outermost).
struct Group {
    key: Option<(i64, i64)>,
    shapes: Vec<Shape>,
}

/// The shape being read.
struct Current {
    key: Option<(i64, i64)>,
    role: Role,
    text: String,
    /// Whether the last paragraph written was a list item (a blank line separates a list
    /// from the paragraphs around it).
    in_list: bool,
    table: Option<Vec<Vec<String>>>,
    /// Cells in `table`.
    cells: usize,
    /// The table cell being read, if any.
    cell: Option<String>,
}

/// The paragraph being read.
struct Para {
    text: String,
    level: usize,
    bullet: Bullet,
}

/// Reads the shapes of a slide part. `notes` keeps only the notes placeholder's text (a
/// notes page also holds the slide image and header/footer placeholders).
pub fn read(src: &str, cfg: &Config, notes: bool) -> Result<Vec<Shape>> {
    let mut reader = Reader::new(cfg);
    let mut groups: Vec<Group> = Vec::new();
    let mut current: Option<Current> = None;
    let mut para: Option<Para> = None;
    let mut row: Option<Vec<String>> = None;
    // For each open mc:AlternateContent: whether one of its branches was taken.
    let mut alternates: Vec<bool> = Vec::new();
    let mut keep = !notes;
    loop {
        match reader.next(src)? {
            Event::Start(t) => {
                let n = t.name;
                if n.ns == MC {
                    match n.local {
                        "AlternateContent" => {
                            alternates.try_reserve(1).map_err(|_| oom())?;
                            alternates.push(false);
                        }
                        "Choice" | "Fallback" => match alternates.last_mut() {
                            Some(taken) if *taken => reader.skip(src)?,
                            Some(taken) => *taken = true,
                            None => {}
                        },
                        _ => {}
                    }
                } else if p(&n, "spTree") || p(&n, "grpSp") {
                    if groups.len() >= cfg.max_depth as usize {
                        return Err(limit("pptx: groups nested deeper than max_depth"));
                    }
                    groups.try_reserve(1).map_err(|_| oom())?;
                    groups.push(Group { key: None, shapes: Vec::new() });
                } else if p(&n, "sp") || p(&n, "graphicFrame") || p(&n, "cxnSp") || p(&n, "pic") {
                    keep = !notes;
                    current = Some(Current {
                        key: None,
                        role: Role::Other,
                        text: String::new(),
                        in_list: false,
                        table: None,
                        cells: 0,
                        cell: None,
                    });
                } else if a(&n, "off") {
                    let at = position(&t)?;
                    match (&mut current, groups.last_mut()) {
                        (Some(c), _) if c.key.is_none() => c.key = Some(at),
                        (None, Some(g)) if g.key.is_none() => g.key = Some(at),
                        _ => {}
                    }
                } else if let Some(c) = current.as_mut() {
                    match start_in_shape(&t, c, &mut para, &mut row, &mut keep, notes)? {
                        Then::Continue => {}
                        Then::Skip => reader.skip(src)?,
                        Then::ReadText => {
                            if let Some(pa) = para.as_mut() {
                                reader.read_text(src, &mut pa.text)?;
                            }
                        }
                    }
                }
            }
            Event::End(n) => {
                if n.ns == MC && n.local == "AlternateContent" {
                    alternates.pop();
                } else if p(&n, "spTree") || p(&n, "grpSp") {
                    let Some(mut g) = groups.pop() else { continue };
                    reading_order(&mut g.shapes)?;
                    let key = g.key.unwrap_or((0, 0));
                    match groups.last_mut() {
                        Some(parent) => {
                            let positioned = g.key.is_some();
                            for mut s in g.shapes {
                                (s.key, s.positioned) = (key, positioned);
                                push(parent, s)?;
                            }
                        }
                        None => return Ok(g.shapes),
                    }
                } else if p(&n, "sp") || p(&n, "graphicFrame") || p(&n, "cxnSp") || p(&n, "pic") {
                    let (Some(c), Some(g)) = (current.take(), groups.last_mut()) else { continue };
                    if keep && (!c.text.is_empty() || c.table.is_some()) {
                        let shape = Shape {
                            key: c.key.unwrap_or((0, 0)),
                            positioned: c.key.is_some(),
                            text: c.text,
                            table: c.table,
                        };
                        push(g, shape)?;
                    }
                } else if let Some(c) = current.as_mut() {
                    end_in_shape(&n, c, &mut para, &mut row, cfg)?;
                }
            }
            Event::Eof => {
                // A part without a shape tree, or one cut short: what was read.
                let mut shapes = Vec::new();
                while let Some(g) = groups.pop() {
                    shapes = g.shapes;
                }
                return Ok(shapes);
            }
            _ => {}
        }
    }
}

/// Adds a finished shape to its group; one without a frame of its own follows the shape
/// before it.
fn push(g: &mut Group, mut s: Shape) -> Result<()> {
    if !s.positioned {
        s.key = g.shapes.last().map_or((0, 0), |prev| prev.key);
    }
    g.shapes.try_reserve(1).map_err(|_| oom())?;
    g.shapes.push(s);
    Ok(())
}

/// Sorts shapes by row, then x; shapes in the same place keep their order. A heap sort of
/// (key, index) pairs: a few hundred bytes of code where the standard library's sorts cost
/// kilobytes, and O(n log n) however many shapes a hostile slide holds.
fn reading_order(shapes: &mut Vec<Shape>) -> Result<()> {
    let mut keys: Vec<((i64, i64), usize)> = Vec::new();
    keys.try_reserve_exact(shapes.len()).map_err(|_| oom())?;
    keys.extend(shapes.iter().enumerate().map(|(i, s)| ((s.key.0.div_euclid(ROW), s.key.1), i)));
    heap_sort(&mut keys);
    let mut taken: Vec<Option<Shape>> = Vec::new();
    taken.try_reserve_exact(shapes.len()).map_err(|_| oom())?;
    taken.extend(shapes.drain(..).map(Some));
    shapes.extend(keys.iter().filter_map(|&(_, i)| taken.get_mut(i).and_then(Option::take)));
    Ok(())
}

fn heap_sort<T: Ord + Copy>(v: &mut [T]) {
    fn sift<T: Ord + Copy>(v: &mut [T], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v.get(child) < v.get(child + 1) {
                child += 1;
            }
            if v.get(root) >= v.get(child) {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

fn position(t: &Tag) -> Result<(i64, i64)> {
    let coord = |v: Option<alloc::borrow::Cow<str>>| {
        let v = v.unwrap_or_default();
        let (neg, digits) = match v.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, &*v),
        };
        let n = digits
            .bytes()
            .take_while(u8::is_ascii_digit)
            .fold(0i64, |n, c| n.saturating_mul(10).saturating_add((c - b'0') as i64));
        if neg {
            -n
        } else {
            n
        }
    };
    Ok((coord(t.attr("", "y")?), coord(t.attr("", "x")?)))
}

/// What the reader does after an element inside a shape started.
enum Then {
    Continue,
    /// Its content is not wanted.
    Skip,
    /// Its text goes to the paragraph.
    ReadText,
}

fn start_in_shape(
    t: &Tag,
    c: &mut Current,
    para: &mut Option<Para>,
    row: &mut Option<Vec<String>>,
    keep: &mut bool,
    notes: bool,
) -> Result<Then> {
    let n = &t.name;
    if p(n, "ph") {
        let kind = t.attr("", "type")?;
        c.role = match kind.as_deref() {
            Some("title") => Role::Title,
            Some("ctrTitle") => Role::MainTitle,
            // Notes are prose, though their placeholder is a body.
            None | Some("body" | "obj") if !notes => Role::Body,
            _ => Role::Other,
        };
        *keep = !notes || kind.as_deref() == Some("body");
    } else if a(n, "p") {
        *para = Some(Para { text: String::new(), level: 0, bullet: Bullet::Inherit });
    } else if let Some(pa) = para.as_mut() {
        if a(n, "pPr") {
            let level = t.attr("", "lvl")?;
            pa.level = level.and_then(|l| l.bytes().next()).map_or(0, |d| d.wrapping_sub(b'0') as usize).min(MAX_LEVEL);
        } else if a(n, "buNone") {
            pa.bullet = Bullet::None;
        } else if a(n, "buChar") || a(n, "buBlip") {
            pa.bullet = Bullet::Char;
        } else if a(n, "buAutoNum") {
            pa.bullet = Bullet::Number;
        } else if a(n, "t") {
            return Ok(Then::ReadText);
        } else if a(n, "br") {
            reserve_str(&mut pa.text, 1)?;
            pa.text.push('\n');
        }
    } else if a(n, "tbl") {
        c.table = Some(Vec::new());
    } else if a(n, "tr") {
        *row = Some(Vec::new());
    } else if a(n, "tc") {
        // A cell another one spans over: its slot stays empty.
        let covered = |v: Option<alloc::borrow::Cow<str>>| v.is_some_and(|v| v == "1" || v == "true");
        if covered(t.attr("", "hMerge")?) || covered(t.attr("", "vMerge")?) {
            if let Some(r) = row.as_mut() {
                r.try_reserve(1).map_err(|_| oom())?;
                r.push(String::new());
            }
            return Ok(Then::Skip);
        }
        c.cell = Some(String::new());
    }
    Ok(Then::Continue)
}

fn end_in_shape(
    n: &Name,
    c: &mut Current,
    para: &mut Option<Para>,
    row: &mut Option<Vec<String>>,
    cfg: &Config,
) -> Result<()> {
    if a(n, "p") {
        let Some(pa) = para.take() else { return Ok(()) };
        let text = crate::xml::trim(&pa.text);
        if text.is_empty() {
            return Ok(());
        }
        match c.cell.as_mut() {
            Some(cell) => {
                reserve_str(cell, text.len() + 1)?;
                if !cell.is_empty() {
                    cell.push('\n');
                }
                cell.push_str(text);
            }
            None => paragraph(c, text, pa.level, pa.bullet, cfg.plain)?,
        }
    } else if a(n, "tc") {
        if let (Some(cell), Some(r)) = (c.cell.take(), row.as_mut()) {
            r.try_reserve(1).map_err(|_| oom())?;
            r.push(cell);
        }
    } else if a(n, "tr") {
        if let (Some(r), Some(t)) = (row.take(), c.table.as_mut()) {
            c.cells = c.cells.saturating_add(r.len());
            if c.cells > cfg.max_objects as usize {
                return Err(limit("pptx: table cells beyond max_objects"));
            }
            t.try_reserve(1).map_err(|_| oom())?;
            t.push(r);
        }
    }
    Ok(())
}

/// Writes a paragraph of a shape's text body.
fn paragraph(c: &mut Current, text: &str, level: usize, bullet: Bullet, plain: bool) -> Result<()> {
    let title = matches!(c.role, Role::Title | Role::MainTitle);
    let list = !title
        && match bullet {
            Bullet::None => false,
            Bullet::Char | Bullet::Number => true,
            Bullet::Inherit => level > 0 || c.role == Role::Body,
        };
    let out = &mut c.text;
    reserve_str(out, text.len() + 2 * MAX_LEVEL + 8)?;
    if !out.is_empty() {
        // A title's paragraphs are one heading; a list is set off from other paragraphs.
        out.push_str(match () {
            _ if title => " ",
            _ if plain || list == c.in_list => "\n",
            _ => "\n\n",
        });
    } else if title && !plain {
        out.push_str(if c.role == Role::MainTitle { "# " } else { "## " });
    }
    c.in_list = list;
    if title && !plain {
        // A heading is one line.
        for ch in text.chars() {
            out.push(if ch == '\n' { ' ' } else { ch });
        }
        return Ok(());
    }
    if list && !plain {
        for _ in 0..level {
            out.push_str("  ");
        }
        out.push_str(if bullet == Bullet::Number { "1. " } else { "- " });
    }
    out.push_str(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn slide(tree: &str) -> String {
        format!("<p:sld {NS}><p:cSld><p:spTree>{tree}</p:spTree></p:cSld></p:sld>")
    }

    fn sp(ph: &str, off: Option<(i64, i64)>, paras: &str) -> String {
        let ph = if ph.is_empty() { String::new() } else { format!("<p:ph {ph}/>") };
        let xfrm = off.map_or(String::new(), |(x, y)| format!(r#"<a:xfrm><a:off x="{x}" y="{y}"/></a:xfrm>"#));
        format!("<p:sp><p:nvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{xfrm}</p:spPr><p:txBody>{paras}</p:txBody></p:sp>")
    }

    fn texts(src: &str, cfg: &Config) -> Vec<String> {
        read(src, cfg, false).unwrap().into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn reading_order_headings_and_lists() {
        let src = slide(&[
            sp("", Some((0, 3_000_000)), "<a:p><a:r><a:t>bottom</a:t></a:r></a:p>"),
            sp(r#"type="title""#, None, "<a:p><a:r><a:t>The </a:t></a:r><a:r><a:t>title</a:t></a:r></a:p>"),
            sp(
                r#"idx="1""#,
                Some((0, 1_000_000)),
                r#"<a:p><a:pPr><a:buNone/></a:pPr><a:r><a:t>intro</a:t></a:r></a:p><a:p><a:r><a:t>one</a:t></a:r></a:p><a:p><a:pPr lvl="1"/><a:r><a:t>two</a:t></a:r><a:br/><a:r><a:t>more</a:t></a:r></a:p><a:p/>"#,
            ),
            sp("", Some((5_000_000, 1_100_000)), r#"<a:p><a:pPr><a:buAutoNum type="arabicPeriod"/></a:pPr><a:r><a:t>first</a:t></a:r></a:p>"#),
        ]
        .concat());
        let got = texts(&src, &Config::default());
        assert_eq!(got, ["intro\n\n- one\n  - two\nmore", "1. first", "bottom", "## The title"]);
        let plain = texts(&src, &Config { plain: true, ..Config::default() });
        assert_eq!(plain, ["intro\none\ntwo\nmore", "first", "bottom", "The title"]);
    }

    #[test]
    fn groups_move_together_and_alternates_count_once() {
        let src = slide(&[
            sp("", Some((0, 500_000)), "<a:p><a:r><a:t>middle</a:t></a:r></a:p>"),
            format!(
                r#"<p:grpSp><p:grpSpPr><a:xfrm><a:off x="0" y="900000"/></a:xfrm></p:grpSpPr>{}{}</p:grpSp>"#,
                sp("", Some((0, 2_000_000)), "<a:p><a:r><a:t>g2</a:t></a:r></a:p>"),
                sp("", Some((0, 1_000_000)), "<a:p><a:r><a:t>g1</a:t></a:r></a:p>"),
            ),
            format!(
                r#"<mc:AlternateContent><mc:Choice Requires="p14">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent>"#,
                sp("", Some((0, 100_000)), "<a:p><a:r><a:t>choice</a:t></a:r></a:p>"),
                sp("", Some((0, 100_000)), "<a:p><a:r><a:t>fallback</a:t></a:r></a:p>"),
            ),
        ]
        .concat());
        assert_eq!(texts(&src, &Config::default()), ["choice", "middle", "g1", "g2"]);
    }

    #[test]
    fn tables_with_merged_cells() {
        let tc = |attrs: &str, t: &str| {
            format!("<a:tc {attrs}><a:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p><a:p><a:r><a:t>{t}2</a:t></a:r></a:p></a:txBody></a:tc>")
        };
        let tbl = format!(
            r#"<p:graphicFrame><p:xfrm><a:off x="1" y="1"/></p:xfrm><a:graphic><a:graphicData><a:tbl><a:tr>{}{}{}</a:tr><a:tr>{}{}{}</a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>"#,
            tc(r#"gridSpan="2""#, "A"),
            tc(r#"hMerge="1""#, "x"),
            tc(r#"rowSpan="2""#, "C"),
            tc("", "D"),
            tc("", "E"),
            tc(r#"vMerge="1""#, "y"),
        );
        let shapes = read(&slide(&tbl), &Config::default(), false).unwrap();
        assert_eq!(shapes.len(), 1);
        let rows = shapes[0].table.as_ref().unwrap();
        assert_eq!(rows, &[vec!["A\nA2", "", "C\nC2"], vec!["D\nD2", "E\nE2", ""]]);
    }

    #[test]
    fn notes_keep_the_body_placeholder() {
        let src = slide(
            &[
                sp(r#"type="sldImg""#, None, ""),
                sp(r#"type="body" idx="1""#, None, "<a:p><a:r><a:t>Speaker note</a:t></a:r></a:p>"),
                sp(r#"type="sldNum" idx="5""#, None, "<a:p><a:fld><a:t>3</a:t></a:fld></a:p>"),
            ]
            .concat(),
        );
        let shapes = read(&src, &Config::default(), true).unwrap();
        assert_eq!(shapes.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["Speaker note"]);
    }

    #[test]
    fn heap_sort_orders() {
        let mut rng = crate::testing::Rng::new(3);
        for n in 0..50 {
            let mut v: Vec<(u8, usize)> = (0..n).map(|i| ((rng.next() % 5) as u8, i)).collect();
            let mut want = v.clone();
            want.sort();
            heap_sort(&mut v);
            assert_eq!(v, want);
        }
    }

    #[test]
    fn deep_groups_are_a_limit() {
        let deep = format!("{}{}", "<p:grpSp>".repeat(300), "</p:grpSp>".repeat(300));
        let err = read(&slide(&deep), &Config::default(), false).unwrap_err();
        assert_eq!(err.code(), Code::Limit);
        let shallow = Config { max_depth: 1000, ..Config::default() };
        let few = Config { max_depth: 20, ..shallow.clone() };
        let deep = format!(
            "{}{}{}",
            "<p:grpSp>".repeat(30),
            sp("", None, "<a:p><a:r><a:t>x</a:t></a:r></a:p>"),
            "</p:grpSp>".repeat(30)
        );
        assert_eq!(texts(&slide(&deep), &shallow), ["x"]);
        assert_eq!(read(&slide(&deep), &few, false).unwrap_err().code(), Code::Limit);
    }
}
