//! One PDF document: its cross-reference, objects fetched on demand (object streams decoded
//! once and cached), streams decrypted and decoded within the decompression budget, and the
//! page tree flattened into a list at open so any page can be read on its own.

use crate::config::Config;
use crate::error::{corrupt, limit, oom, Error, Result};
use crate::pdf::filters::{self, Filter, Params};
use crate::pdf::object::{Dict, Object, Ref, Stream};
use crate::pdf::parser::Parser;
use crate::pdf::security::Security;
use crate::pdf::xref::{self, Entry, Xref};
use crate::pdf::Warnings;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, Ref as CellRef, RefCell};

/// References followed in a row before giving up (a chain longer than this is a loop).
const MAX_CHAIN: u32 = 32;
/// Nested fetches (a stream's Length in an object stream whose Length...).
const MAX_FETCH_DEPTH: u32 = 8;

pub struct Document<'a> {
    data: &'a [u8],
    cfg: Config,
    xref: Xref,
    trailer: Dict,
    /// The table rebuilt by scanning, once an offset proved wrong; `scan_state` is 0 (not
    /// tried), 1 (running or failed) or 2 (done).
    scanned: RefCell<Option<Rc<Xref>>>,
    scan_state: Cell<u8>,
    /// Decoded object streams by number (few per document: a list is enough).
    object_streams: RefCell<Vec<(u32, Rc<ObjectStream>)>>,
    security: Option<Security>,
    pages: Vec<PageRef>,
    nodes: Vec<Node>,
    /// Bytes decoded so far, against `max_decompressed`.
    used: Cell<u64>,
    warnings: RefCell<Warnings>,
    version: Vec<u8>,
}

/// A decoded object stream: its data and where each object starts in it.
struct ObjectStream {
    data: Vec<u8>,
    /// (object number, offset from the start of `data`)
    offsets: Vec<(u32, usize)>,
}

struct PageRef {
    /// The page object (a reference, or a dictionary placed directly in Kids).
    obj: Object,
    /// Its parent in `nodes`, for inherited attributes.
    node: Option<usize>,
}

/// A `/Pages` node's inheritable attributes.
struct Node {
    parent: Option<usize>,
    resources: Option<Object>,
    media_box: Option<Object>,
    crop_box: Option<Object>,
    rotate: Option<Object>,
}

#[derive(Debug)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    pub dict: Dict,
    /// Inherited and resolved.
    pub resources: Dict,
    pub media_box: [f64; 4],
    pub crop_box: [f64; 4],
    /// 0, 90, 180 or 270.
    pub rotate: i32,
}

const LETTER: [f64; 4] = [0.0, 0.0, 612.0, 792.0];

impl<'a> Document<'a> {
    /// Reads the cross-reference, the trailer, the security handler and the page tree.
    /// PASSWORD_REQUIRED when the document is encrypted and neither the configured
    /// password nor the empty one opens it.
    pub fn open(data: &'a [u8], cfg: &Config) -> Result<Document<'a>> {
        let mut used = 0u64;
        let read = xref::read(data, cfg, &mut used)?;
        let broken = read.is_none();
        let mut doc = Document {
            data,
            cfg: cfg.clone(),
            xref: read.unwrap_or_default(),
            trailer: Dict::new(),
            scanned: RefCell::new(None),
            scan_state: Cell::new(0),
            object_streams: RefCell::new(Vec::new()),
            security: None,
            pages: Vec::new(),
            nodes: Vec::new(),
            used: Cell::new(used),
            warnings: RefCell::new(Warnings::default()),
            version: header_version(data),
        };
        doc.trailer = core::mem::take(&mut doc.xref.trailer);
        if !broken {
            doc.open_security()?;
        }
        let root_ok =
            !broken && doc.catalog_ref().is_some_and(|r| doc.get(r).ok().is_some_and(|o| o.as_dict().is_some()));
        if !root_ok {
            if let Some(scanned) = doc.recovered()? {
                doc.trailer = scanned.trailer.clone();
            }
            if doc.security.is_none() && doc.trailer.get(b"Encrypt").is_some() {
                doc.open_security()?;
                // Object streams read before the key was known were read still encrypted:
                // read them again.
                doc.object_streams.borrow_mut().clear();
                *doc.scanned.borrow_mut() = None;
                doc.scan_state.set(0);
            }
        }
        let catalog = doc.catalog()?;
        if let Some(v) = catalog.name(b"Version") {
            // A later update may raise the version (never lower it).
            if v.len() <= 8 && v > doc.version.as_slice() && v.first().is_some_and(u8::is_ascii_digit) {
                doc.version = v.to_vec();
            }
        }
        doc.collect_pages(&catalog)?;
        Ok(doc)
    }

    fn open_security(&mut self) -> Result<()> {
        if let Some(enc) = self.trailer.get(b"Encrypt").cloned() {
            let security = Security::open(self, &enc, &self.cfg.password)?;
            self.security = Some(security);
        }
        Ok(())
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// "1.7" from the header (or the catalog's /Version when later).
    pub fn version(&self) -> &[u8] {
        &self.version
    }

    pub fn trailer(&self) -> &Dict {
        &self.trailer
    }

    pub fn is_encrypted(&self) -> bool {
        self.security.is_some()
    }

    pub fn warn(&self, message: &'static str) {
        if let Ok(mut w) = self.warnings.try_borrow_mut() {
            w.add(message);
        }
    }

    pub fn warnings(&self) -> CellRef<'_, Warnings> {
        self.warnings.borrow()
    }

    /// The warnings so far, leaving none behind (so a streaming caller reports each once).
    pub fn take_warnings(&self) -> Warnings {
        self.warnings.try_borrow_mut().map(|mut w| core::mem::take(&mut *w)).unwrap_or_default()
    }

    fn catalog_ref(&self) -> Option<Ref> {
        self.trailer.get(b"Root").and_then(Object::as_ref)
    }

    /// The document catalog.
    pub fn catalog(&self) -> Result<Dict> {
        match self.trailer.get(b"Root") {
            Some(root) => match self.resolve(root)? {
                Object::Dict(d) => Ok(d),
                _ => Err(corrupt("pdf: no document catalog")),
            },
            None => Err(corrupt("pdf: no document catalog")),
        }
    }

    /// The Info dictionary, if any.
    pub fn info(&self) -> Result<Option<Dict>> {
        Ok(match self.trailer.get(b"Info") {
            Some(i) => match self.resolve(i)? {
                Object::Dict(d) => Some(d),
                _ => None,
            },
            None => None,
        })
    }

    /// Follows reference chains (bounded); a missing or free object is Null.
    pub fn resolve(&self, obj: &Object) -> Result<Object> {
        let Object::Ref(mut r) = *obj else { return Ok(obj.clone()) };
        for _ in 0..MAX_CHAIN {
            match self.get(r)? {
                Object::Ref(next) => r = next,
                o => return Ok(o),
            }
        }
        Ok(Object::Null)
    }

    pub fn get(&self, r: Ref) -> Result<Object> {
        self.fetch(r, 0)
    }

    fn fetch(&self, r: Ref, depth: u32) -> Result<Object> {
        if depth > MAX_FETCH_DEPTH {
            return Ok(Object::Null);
        }
        if let Some(o) = self.lookup(&self.xref, r, depth)? {
            return Ok(o);
        }
        // The table is wrong about this object (or silent on it): ask the scanned one.
        if let Some(scanned) = self.recovered()? {
            if let Some(o) = self.lookup(&scanned, r, depth)? {
                self.warn("the cross-reference table is damaged; objects were found by scanning the file");
                return Ok(o);
            }
        }
        Ok(Object::Null)
    }

    fn lookup(&self, table: &Xref, r: Ref, depth: u32) -> Result<Option<Object>> {
        match table.entry(r.num) {
            Entry::None => Ok(None),
            Entry::Offset { pos, .. } => self.at_offset(r, pos, depth),
            Entry::InStream { stream, index } => self.in_stream(r.num, stream, index, depth),
        }
    }

    /// The scanned cross-reference, built on first need (once).
    fn recovered(&self) -> Result<Option<Rc<Xref>>> {
        match self.scan_state.get() {
            2 => return Ok(self.scanned.borrow().clone()),
            1 => return Ok(None),
            _ => {}
        }
        self.scan_state.set(1);
        let mut table = xref::scan(self.data, &self.cfg)?;
        if table.entries.is_empty() {
            return Ok(None);
        }
        for num in core::mem::take(&mut table.object_streams) {
            let Entry::Offset { pos, .. } = table.entry(num) else { continue };
            let Ok(Some(Object::Stream(s))) = self.at_offset(Ref { num, gen: 0 }, pos, 1) else { continue };
            let Ok(os) = self.decode_object_stream(num, &s) else { continue };
            for (i, &(n, _)) in os.offsets.iter().enumerate() {
                if table.entry(n) == Entry::None && n < self.cfg.max_objects {
                    let n = n as usize;
                    if n >= table.entries.len() {
                        table.entries.try_reserve(n + 1 - table.entries.len()).map_err(|_| oom())?;
                        table.entries.resize(n + 1, Entry::None);
                    }
                    if let Some(slot) = table.entries.get_mut(n) {
                        *slot = Entry::InStream { stream: num, index: i as u32 };
                    }
                }
            }
        }
        let table = Rc::new(table);
        *self.scanned.borrow_mut() = Some(table.clone());
        self.scan_state.set(2);
        Ok(Some(table))
    }

    /// The object at a file offset, if the offset really holds object `r`.
    fn at_offset(&self, r: Ref, pos: usize, depth: u32) -> Result<Option<Object>> {
        let Some((found, obj, body)) = xref::indirect(self.data, pos, self.cfg.max_depth)? else { return Ok(None) };
        if found.num != r.num {
            return Ok(None);
        }
        let mut obj = match (obj, body) {
            (Object::Dict(dict), Some(start)) => {
                let length = match dict.get(b"Length") {
                    Some(Object::Ref(l)) if l.num != r.num => self.fetch(*l, depth + 1)?.as_int(),
                    Some(o) => o.as_int(),
                    None => None,
                };
                let (start, end) = xref::stream_extent(self.data, start, length);
                // Cross-reference streams are never encrypted.
                let owner = (dict.name(b"Type") != Some(b"XRef")).then_some(found);
                Object::Stream(Stream { dict, start, end, owner })
            }
            (o, _) => o,
        };
        if let Some(sec) = &self.security {
            if sec.encrypt_ref != Some(found) {
                sec.decrypt_strings(&mut obj, found, self.cfg.max_depth)?;
            }
        }
        Ok(Some(obj))
    }

    /// Object `num`, expected at `index` of object stream `stream`.
    fn in_stream(&self, num: u32, stream: u32, index: u32, depth: u32) -> Result<Option<Object>> {
        let Some(os) = self.object_stream(stream, depth)? else { return Ok(None) };
        let at = match os.offsets.get(index as usize) {
            Some(&(n, at)) if n == num => at,
            // A wrong index: the header lists every object the stream holds.
            _ => match os.offsets.iter().find(|&&(n, _)| n == num) {
                Some(&(_, at)) => at,
                None => return Ok(None),
            },
        };
        let mut p = Parser::file(&os.data, self.cfg.max_depth);
        p.set_pos(at);
        Ok(Some(p.object()?))
    }

    fn object_stream(&self, num: u32, depth: u32) -> Result<Option<Rc<ObjectStream>>> {
        if let Some((_, os)) = self.object_streams.borrow().iter().find(|(n, _)| *n == num) {
            return Ok(Some(os.clone()));
        }
        let Object::Stream(s) = self.fetch(Ref { num, gen: 0 }, depth + 1)? else { return Ok(None) };
        match self.decode_object_stream(num, &s) {
            Ok(os) => Ok(Some(os)),
            Err(e) if e.code() == crate::error::Code::Corrupt => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Decodes an object stream and reads its header of `N` (number, offset) pairs; cached.
    fn decode_object_stream(&self, num: u32, s: &Stream) -> Result<Rc<ObjectStream>> {
        let data = self.stream_data(s)?;
        let n = s.dict.int(b"N").unwrap_or(0).clamp(0, i64::from(self.cfg.max_objects)) as usize;
        let first = usize::try_from(s.dict.int(b"First").unwrap_or(0)).unwrap_or(usize::MAX);
        let mut offsets = Vec::new();
        offsets.try_reserve(n.min(data.len() / 2)).map_err(|_| oom())?;
        let mut pos = 0;
        for _ in 0..n {
            let p = crate::pdf::lexer::skip_white(&data, pos);
            let Some((obj, p)) = crate::pdf::lexer::uint(&data, p) else { break };
            let p = crate::pdf::lexer::skip_white(&data, p);
            let Some((off, p)) = crate::pdf::lexer::uint(&data, p) else { break };
            pos = p;
            let (Ok(obj), Ok(off)) = (u32::try_from(obj), usize::try_from(off)) else { continue };
            offsets.try_reserve(1).map_err(|_| oom())?;
            offsets.push((obj, first.saturating_add(off)));
        }
        let os = Rc::new(ObjectStream { data, offsets });
        let mut cache = self.object_streams.borrow_mut();
        cache.try_reserve(1).map_err(|_| oom())?;
        cache.push((num, os.clone()));
        Ok(os)
    }

    /// The stream's data, decrypted and decoded through its filter chain; image codecs
    /// (DCT, JPX, JBIG2, CCITT) are left encoded. Counts against `max_decompressed` for the
    /// whole document.
    pub fn stream_data(&self, s: &Stream) -> Result<Vec<u8>> {
        let raw = self.data.get(s.start..s.end).unwrap_or(&[]);
        let filters = self.resolve(s.dict.get(b"Filter").unwrap_or(&Object::Null))?;
        let list: &[Object] = match &filters {
            Object::Array(a) => a,
            f @ Object::Name(_) => core::slice::from_ref(f),
            _ => &[],
        };
        let parms = self.resolve(s.dict.get(b"DecodeParms").or_else(|| s.dict.get(b"DP")).unwrap_or(&Object::Null))?;
        let parm = |i: usize| -> Result<Option<Dict>> {
            let p = match &parms {
                Object::Array(a) => match a.get(i) {
                    Some(o) => self.resolve(o)?,
                    None => Object::Null,
                },
                o if i == 0 => o.clone(),
                _ => Object::Null,
            };
            Ok(match p {
                Object::Dict(d) => Some(d),
                _ => None,
            })
        };
        let mut decrypted = None;
        if let (Some(sec), Some(owner)) = (&self.security, s.owner) {
            let identity = list.first().and_then(Object::as_name) == Some(b"Crypt")
                && parm(0)?.is_none_or(|d| d.name(b"Name").is_none_or(|n| n == b"Identity"));
            if !identity && sec.applies_to(&s.dict) {
                decrypted = Some(sec.decrypt_stream(owner, raw)?);
            }
        }
        let mut out: Option<Vec<u8>> = None;
        let mut damaged = false;
        for (i, f) in list.iter().enumerate() {
            let Some(filter) = f.as_name().and_then(Filter::by_name) else {
                self.warn("a stream has an unknown filter; its data was skipped");
                return Ok(Vec::new());
            };
            if matches!(filter, Filter::Image(_)) {
                break;
            }
            if filter == Filter::Crypt {
                continue;
            }
            let budget = u64::from(self.cfg.max_decompressed).saturating_sub(self.used.get());
            let input = out.as_deref().or(decrypted.as_deref()).unwrap_or(raw);
            let params = parm(i)?;
            let next =
                filters::decode(filter, input, &Params::from_dict(params.as_ref()), budget as usize, &mut damaged)?;
            self.used.set(self.used.get().saturating_add(next.len() as u64));
            out = Some(next);
        }
        if damaged {
            self.warn("a damaged stream was read as far as it goes");
        }
        match out.or(decrypted) {
            Some(v) => Ok(v),
            None => {
                let mut v = Vec::new();
                crate::error::push_bytes(&mut v, raw)?;
                Ok(v)
            }
        }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Page `index` (0-based) with its inherited attributes resolved.
    pub fn page(&self, index: usize) -> Result<Page> {
        let pr = self.pages.get(index).ok_or_else(|| corrupt("pdf: no such page"))?;
        let dict = match self.resolve(&pr.obj)? {
            Object::Dict(d) => d,
            Object::Stream(s) => s.dict,
            _ => Dict::new(),
        };
        let inherited = |key: &[u8], pick: fn(&Node) -> &Option<Object>| -> Option<Object> {
            if let Some(v) = dict.get(key) {
                return Some(v.clone());
            }
            let mut node = pr.node;
            for _ in 0..self.nodes.len() {
                let n = self.nodes.get(node?)?;
                if let Some(v) = pick(n) {
                    return Some(v.clone());
                }
                node = n.parent;
            }
            None
        };
        let resources = match inherited(b"Resources", |n| &n.resources) {
            Some(r) => match self.resolve(&r)? {
                Object::Dict(d) => d,
                _ => Dict::new(),
            },
            None => Dict::new(),
        };
        let media_box = match inherited(b"MediaBox", |n| &n.media_box) {
            Some(b) => self.rect(&b)?.unwrap_or(LETTER),
            None => LETTER,
        };
        let crop_box = match inherited(b"CropBox", |n| &n.crop_box) {
            Some(b) => self.rect(&b)?.unwrap_or(media_box),
            None => media_box,
        };
        let rotate = match inherited(b"Rotate", |n| &n.rotate) {
            Some(r) => self.resolve(&r)?.as_int().unwrap_or(0),
            None => 0,
        };
        // Multiples of 90 only; anything else is rounded down to one, as viewers do.
        let rotate = (rotate.rem_euclid(360) / 90 * 90) as i32;
        Ok(Page { number: index as u32 + 1, dict, resources, media_box, crop_box, rotate })
    }

    /// A rectangle `[x0 y0 x1 y1]`, normalised so x0 <= x1 and y0 <= y1.
    fn rect(&self, obj: &Object) -> Result<Option<[f64; 4]>> {
        let arr = self.resolve(obj)?;
        let Some(a) = arr.as_array() else { return Ok(None) };
        let mut v = [0.0; 4];
        if a.len() != 4 {
            return Ok(None);
        }
        for (slot, o) in v.iter_mut().zip(a) {
            match self.resolve(o)?.as_f64() {
                Some(x) if x.is_finite() => *slot = x,
                _ => return Ok(None),
            }
        }
        let [x0, y0, x1, y1] = v;
        Ok(Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]))
    }

    /// All of the page's content streams decoded and joined with a newline. A stream that
    /// is missing or not a stream is skipped with a warning.
    pub fn page_contents(&self, page: &Page) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let contents = match page.dict.get(b"Contents") {
            Some(c) => self.resolve(c)?,
            None => return Ok(out),
        };
        let parts: &[Object] = match &contents {
            Object::Array(a) => a,
            other => core::slice::from_ref(other),
        };
        for part in parts.iter().take(self.cfg.max_objects as usize) {
            let Object::Stream(s) = self.resolve(part)? else {
                if !part.is_null() {
                    self.warn("a page's content is not a stream; it was skipped");
                }
                continue;
            };
            let data = self.stream_data(&s)?;
            if !out.is_empty() {
                crate::error::push_bytes(&mut out, b"\n")?;
            }
            if out.is_empty() {
                out = data;
            } else {
                crate::error::push_bytes(&mut out, &data)?;
            }
        }
        Ok(out)
    }

    /// Flattens the page tree (cycle-safe, depth- and size-bounded). A document whose tree
    /// yields nothing gets its pages from a scan of the objects for `/Type /Page`.
    fn collect_pages(&mut self, catalog: &Dict) -> Result<()> {
        let mut seen = Bitset::default();
        let mut stack: Vec<(Object, Option<usize>, u32)> = Vec::new();
        if let Some(p) = catalog.get(b"Pages") {
            stack.push((p.clone(), None, 0));
        }
        let mut visits = 0u32;
        while let Some((obj, parent, depth)) = stack.pop() {
            visits += 1;
            if visits > self.cfg.max_objects {
                return Err(limit("pdf: more objects than max_objects"));
            }
            if depth > self.cfg.max_depth {
                return Err(limit("pdf: page tree deeper than max_depth"));
            }
            if let Object::Ref(r) = obj {
                if !seen.insert(r.num)? {
                    self.warn("the page tree refers to a page twice; the repeat was skipped");
                    continue;
                }
            }
            let resolved = self.resolve(&obj)?;
            let Some(d) = resolved.as_dict() else { continue };
            let kids = match d.get(b"Kids") {
                Some(k) if d.name(b"Type") != Some(b"Page") => Some(self.resolve(k)?),
                _ => None,
            };
            match kids {
                Some(Object::Array(kids)) => {
                    self.nodes.try_reserve(1).map_err(|_| oom())?;
                    let idx = self.nodes.len();
                    self.nodes.push(Node {
                        parent,
                        resources: d.get(b"Resources").cloned(),
                        media_box: d.get(b"MediaBox").cloned(),
                        crop_box: d.get(b"CropBox").cloned(),
                        rotate: d.get(b"Rotate").cloned(),
                    });
                    stack.try_reserve(kids.len()).map_err(|_| oom())?;
                    for kid in kids.into_iter().rev() {
                        stack.push((kid, Some(idx), depth + 1));
                    }
                }
                _ if d.name(b"Type") == Some(b"Pages") => {}
                _ => self.add_page(obj, parent)?,
            }
        }
        if self.pages.is_empty() {
            self.pages_by_scan()?;
        }
        Ok(())
    }

    fn add_page(&mut self, obj: Object, node: Option<usize>) -> Result<()> {
        if self.pages.len() >= self.cfg.max_pages as usize {
            return Err(limit("pdf: more pages than max_pages"));
        }
        self.pages.try_reserve(1).map_err(|_| oom())?;
        self.pages.push(PageRef { obj, node });
        Ok(())
    }

    fn pages_by_scan(&mut self) -> Result<()> {
        let count = self.xref.entries.len().max(self.recovered()?.map_or(0, |x| x.entries.len()));
        let mut found = Vec::new();
        for num in 0..count.min(self.cfg.max_objects as usize) {
            let r = Ref { num: num as u32, gen: 0 };
            if let Ok(o) = self.get(r) {
                if o.as_dict().is_some_and(|d| d.name(b"Type") == Some(b"Page")) {
                    found.try_reserve(1).map_err(|_| oom())?;
                    found.push(r);
                }
            }
        }
        if !found.is_empty() {
            self.warn("the page tree is damaged; pages were found by scanning the objects");
        }
        for r in found {
            self.add_page(Object::Ref(r), None)?;
        }
        Ok(())
    }
}

/// The version in the `%PDF-x.y` header.
fn header_version(data: &[u8]) -> Vec<u8> {
    let at = xref::header_offset(data) + 5;
    let v = data.get(at..).unwrap_or(&[]);
    let len = v.iter().take(4).take_while(|c| c.is_ascii_digit() || **c == b'.').count();
    v.get(..len).unwrap_or(&[]).to_vec()
}

/// Object numbers seen, one bit each.
#[derive(Default)]
struct Bitset(Vec<u64>);

impl Bitset {
    /// Marks `n`; false when it was already marked.
    fn insert(&mut self, n: u32) -> Result<bool> {
        let (word, bit) = ((n / 64) as usize, n % 64);
        if word >= self.0.len() {
            self.0.try_reserve(word + 1 - self.0.len()).map_err(|_| oom())?;
            self.0.resize(word + 1, 0);
        }
        let Some(w) = self.0.get_mut(word) else { return Ok(false) };
        let fresh = *w & 1 << bit == 0;
        *w |= 1 << bit;
        Ok(fresh)
    }
}

/// Errors that mean "this part is broken" rather than "stop": callers skip such parts.
pub fn is_corrupt(e: &Error) -> bool {
    e.code() == crate::error::Code::Corrupt
}

/// Builds small PDFs for the tests: objects in order, then a classic cross-reference table.
#[cfg(test)]
pub(crate) mod build {
    use alloc::vec::Vec;

    #[derive(Default)]
    pub struct Pdf {
        pub out: Vec<u8>,
        pub offsets: Vec<(u32, usize)>,
    }

    impl Pdf {
        pub fn new() -> Pdf {
            let mut p = Pdf::default();
            p.out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
            p
        }

        pub fn obj(&mut self, num: u32, body: &str) -> &mut Pdf {
            self.offsets.push((num, self.out.len()));
            self.out.extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
            self
        }

        pub fn stream(&mut self, num: u32, dict: &str, data: &[u8]) -> &mut Pdf {
            self.offsets.push((num, self.out.len()));
            self.out
                .extend_from_slice(format!("{num} 0 obj\n<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes());
            self.out.extend_from_slice(data);
            self.out.extend_from_slice(b"\nendstream\nendobj\n");
            self
        }

        /// A classic table for every object written, and the trailer.
        pub fn finish(&mut self, trailer: &str) -> Vec<u8> {
            let size = self.offsets.iter().map(|o| o.0).max().unwrap_or(0) + 1;
            let at = self.out.len();
            let mut t = format!("xref\n0 {size}\n0000000000 65535 f \n");
            for n in 1..size {
                match self.offsets.iter().rev().find(|o| o.0 == n) {
                    Some((_, off)) => t.push_str(&format!("{off:010} 00000 n \n")),
                    None => t.push_str("0000000000 65535 f \n"),
                }
            }
            t.push_str(&format!("trailer\n<< /Size {size} {trailer} >>\nstartxref\n{at}\n%%EOF\n"));
            let mut out = self.out.clone();
            out.extend_from_slice(t.as_bytes());
            out
        }

        /// A document of `pages` pages, page n showing "Page n" in /F1.
        pub fn simple(pages: u32) -> Vec<u8> {
            let mut p = Pdf::new();
            let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 10 + 2 * i)).collect();
            p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
            p.obj(
                2,
                &format!(
                    "<< /Type /Pages /Kids [{}] /Count {pages} /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> >>",
                    kids.join(" ")
                ),
            );
            p.obj(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
            for i in 0..pages {
                let content = format!("BT /F1 12 Tf 72 720 Td (Page {}) Tj ET", i + 1);
                p.obj(10 + 2 * i, &format!("<< /Type /Page /Parent 2 0 R /Contents {} 0 R >>", 11 + 2 * i));
                p.stream(11 + 2 * i, "", content.as_bytes());
            }
            p.finish("/Root 1 0 R")
        }
    }
}

#[cfg(test)]
mod tests;
