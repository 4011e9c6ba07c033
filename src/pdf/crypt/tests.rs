//! The security handler against files: encryption dictionaries qpdf 11.3 wrote for one small
//! PDF (Info /Title "pith crypt test", one Flate content stream) at every revision, with user
//! password "user" and owner password "owner", and the corpus's encrypted document, read with
//! an ad-hoc scan (the object parser is not this module's business).

use super::*;

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2));
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

struct Vector {
    v: i64,
    r: i64,
    length_bits: i64,
    method: Method,
    o: &'static str,
    u: &'static str,
    oe: &'static str,
    ue: &'static str,
    /// Object 2's encrypted /Title and object 5's encrypted content stream.
    title: &'static str,
    stream: &'static str,
}

const ID0: &str = "00112233445566778899aabbccddeeff";

const QPDF: [Vector; 5] = [
    Vector {
        v: 1,
        r: 2,
        length_bits: 40,
        method: Method::Rc4,
        o: "94e8094419662a774442fb072e3d9f19e9d130ec09a4d0061e78fe920f7ab62f",
        u: "b1f625689bca1356d125453c43cfa750c0296b5c271c03f1cc359fa658a4fa21",
        oe: "",
        ue: "",
        title: "cbcd82ea47928491d521737a24a7fa",
        stream: "36a689d8a6e7945532f2955b5b10e8db3bdb559d83448700e76c8a2693d6035fbbce2ba2efd0f7fe",
    },
    Vector {
        v: 2,
        r: 3,
        length_bits: 128,
        method: Method::Rc4,
        o: "0ba3835f88f90388e74e54584125ce142be0de24c6b0d37746e075b891756671",
        u: "d798239dd347dc3afe3dd10515bb58430122456a91bae5134273a6db134c87c4",
        oe: "",
        ue: "",
        title: "468bd217f23520f9df9dd21aac2c1c",
        stream: "cd0bae72ff62debfa64cd34f678f5ab13126e2fc279766c312d66fa599480a78138334a322f8bcdf",
    },
    Vector {
        v: 4,
        r: 4,
        length_bits: 128,
        method: Method::Aes128,
        o: "0ba3835f88f90388e74e54584125ce142be0de24c6b0d37746e075b891756671",
        u: "d798239dd347dc3afe3dd10515bb58430122456a91bae5134273a6db134c87c4",
        oe: "",
        ue: "",
        title: "72c5b9b3b2e2368c7eff4637b005596d9dd1015d65239e54a2a9fb632f3c509f",
        stream: "d0d4015027d7edfb2c58eb2e80ff3806d11f1cab29dc2f654c29abe544ba5fb5\
                 f2e9795ce9dda7980010832c1d6fa887a0f7b75447c6d2905a24a41c9b0109ad",
    },
    Vector {
        v: 5,
        r: 5,
        length_bits: 256,
        method: Method::Aes256,
        o: "d6ae279a8d909e54da10469a4c65039ef65021e3c9a2fd8f00e4d3e05540a32bdb6bcc124eca902ce787d693c2eb0e60",
        u: "783055d59d3bf4acdceb9d8f43baba80e3e3fa0c9621844a859eabd0bd3d9b05ddd68ed774914261fe88cf7aba9b447c",
        oe: "5df2b37b2fd5fe45e75c2da2f6ae04d561c7cb1bbc50c084e5cbe9bd59cb490e",
        ue: "ad1c6dabb2139ad338eb61a2b6f1a47636098d643902ba84f3fc0e2d63d039c7",
        title: "d863cc069c815c5a6995d1ba37cffe2a0a632f391e019ac36ab7fc2ceba60cb5",
        stream: "4b424ae19e7efcf852d7fcbaa12eab39f41a41a3ac629fb23b12a38178bd93a8\
                 1b4f9dda38d28dc2aebb6b2ddfc5160d00e7523ff8c6d899ca21ce8b128f36a5",
    },
    Vector {
        v: 5,
        r: 6,
        length_bits: 256,
        method: Method::Aes256,
        o: "c1ad60252e6fe7638ec34d594bf74c1f12737df1506621c2b34776a32c861a2111e0f4e1de3c07ae342a467d466c6017",
        u: "23b0c35a9b28ef34e019d0b2f34b269b77c0ff0f2000346bb0892a14fec1d5286e3e9596bb7a04c5fce00b5a6cd60112",
        oe: "dc14d0c99d2b467aac22b421390e1348ecf3d3cc039cf960cadacd10c2374efe",
        ue: "c8c90ebcd8870ddd76cdeb879f8ececce22f1557b203fb14e86b545f80cdfa02",
        title: "3c5452df32ca67dc059e8b7421c2d8ccb37814d1e0be2ee0bbdc196a50a9d8c2",
        stream: "ffecd8e8867148508d5e972dd225393879889ca4390f30259106a29f6188eef8\
                 58ba227a049cd2b5d0f9974e2813fd6d34de3b9765a44e18f762286d159688fa",
    },
];

const CONTENT: &[u8] = b"BT /F1 12 Tf 10 10 Td (Hello) Tj ET";

struct Owned {
    o: Vec<u8>,
    u: Vec<u8>,
    oe: Vec<u8>,
    ue: Vec<u8>,
    id0: Vec<u8>,
}

fn open(v: &Vector, password: &[u8]) -> Result<Decryptor> {
    let b = Owned { o: unhex(v.o), u: unhex(v.u), oe: unhex(v.oe), ue: unhex(v.ue), id0: unhex(ID0) };
    let params = EncryptParams {
        v: v.v,
        r: v.r,
        length_bits: v.length_bits,
        o: &b.o,
        u: &b.u,
        oe: &b.oe,
        ue: &b.ue,
        perms: &[],
        p: -4,
        encrypt_metadata: true,
        stream_method: v.method,
        string_method: v.method,
        id0: &b.id0,
    };
    Decryptor::new(&params, password)
}

fn inflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("a zlib stream")
}

#[test]
fn every_revision_opens_with_user_and_owner_password() {
    for v in &QPDF {
        for password in [&b"user"[..], b"owner"] {
            let d = open(v, password).unwrap_or_else(|e| panic!("R{} {:?}", v.r, e));
            assert_eq!(d.decrypt_string(2, 0, &unhex(v.title)).unwrap(), b"pith crypt test", "R{}", v.r);
            assert_eq!(inflate(&d.decrypt_stream(5, 0, &unhex(&v.stream.replace(' ', ""))).unwrap()), CONTENT);
        }
    }
}

#[test]
fn wrong_or_missing_password_is_refused() {
    for v in &QPDF {
        for password in [&b""[..], b"wrong", b"use", b"userx"] {
            let e = open(v, password).unwrap_err();
            assert_eq!(e.code(), Code::PasswordRequired, "R{} {:?}", v.r, password);
        }
    }
}

#[test]
fn wrong_object_number_gives_other_bytes() {
    let d = open(&QPDF[2], b"user").unwrap();
    assert_ne!(d.decrypt_string(3, 0, &unhex(QPDF[2].title)).unwrap(), b"pith crypt test");
}

#[test]
fn short_and_odd_aes_data() {
    let d = open(&QPDF[2], b"user").unwrap();
    assert!(d.decrypt_string(2, 0, &[]).unwrap().is_empty());
    assert!(d.decrypt_string(2, 0, &[1; 15]).unwrap().is_empty());
    assert!(d.decrypt_string(2, 0, &[1; 16]).unwrap().is_empty());
    // A trailing partial block is dropped, bad padding kept: no error either way.
    let title = unhex(QPDF[2].title);
    let mut longer = title.clone();
    longer.extend_from_slice(&[7; 5]);
    assert_eq!(d.decrypt_string(2, 0, &longer).unwrap(), b"pith crypt test");
    let garbage = d.decrypt_string(2, 0, &[9; 48]).unwrap();
    assert!(garbage.len() >= 16);
}

#[test]
fn unknown_revision_is_unsupported() {
    let v = Vector { r: 7, ..QPDF[4] };
    assert_eq!(open(&v, b"user").unwrap_err().code(), Code::Unsupported);
    // Truncated O and U strings refuse the password instead of panicking.
    let v = Vector { o: "0011", u: "2233", oe: "", ue: "", ..QPDF[4] };
    assert_eq!(open(&v, b"user").unwrap_err().code(), Code::PasswordRequired);
    let v = Vector { o: "0011", u: "2233", ..QPDF[1] };
    assert_eq!(open(&v, b"user").unwrap_err().code(), Code::PasswordRequired);
}

// The corpus file (pdf/password_protected.pdf is the same file): R4 AESV2 with an empty
// user password, which is why poppler could write its reference text.
const CORPUS: &str = "../shared/corpus/documents/pdfs/copy_protected.pdf";

/// The dictionary text of `num 0 obj`.
fn object(pdf: &[u8], num: u32) -> &[u8] {
    let head = format!("\n{num} 0 obj");
    let at = pdf.windows(head.len()).position(|w| w == head.as_bytes()).expect("object") + head.len();
    let end = pdf[at..].windows(6).position(|w| w == b"endobj").unwrap() + at;
    &pdf[at..end]
}

fn after<'a>(text: &'a [u8], key: &str) -> &'a [u8] {
    let at = text.windows(key.len()).position(|w| w == key.as_bytes()).unwrap_or_else(|| panic!("{key}"));
    let rest = &text[at + key.len()..];
    let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &rest[skip..]
}

fn hex_string(text: &[u8]) -> Vec<u8> {
    let end = text.iter().position(|&b| b == b'>').unwrap();
    unhex(std::str::from_utf8(&text[1..end]).unwrap())
}

fn int(text: &[u8]) -> i64 {
    let n = text.iter().take_while(|b| b.is_ascii_digit() || **b == b'-').count();
    std::str::from_utf8(&text[..n]).unwrap().parse().unwrap()
}

fn literal_string(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 1;
    while text[i] != b')' {
        if text[i] == b'\\' {
            i += 1;
            match text[i] {
                b'0'..=b'7' => {
                    let n = text[i..].iter().take(3).take_while(|b| (b'0'..=b'7').contains(b)).count();
                    out.push(u8::from_str_radix(std::str::from_utf8(&text[i..i + n]).unwrap(), 8).unwrap());
                    i += n;
                    continue;
                }
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                c => out.push(c),
            }
        } else {
            out.push(text[i]);
        }
        i += 1;
    }
    out
}

#[test]
fn corpus_document_opens_with_the_empty_password() {
    let pdf = std::fs::read(CORPUS).expect("the shared corpus");
    let trailer = after(&pdf, "/Encrypt ");
    let enc = object(&pdf, int(trailer) as u32);
    let info = object(&pdf, int(after(&pdf, "/Info ")) as u32);
    let (o, u, id0) = (hex_string(after(enc, "/O ")), hex_string(after(enc, "/U ")), hex_string(after(&pdf, "/ID [ ")));
    assert_eq!(
        (int(after(enc, "/V ")), int(after(enc, "/R ")), after(enc, "/CFM ").starts_with(b"/AESV2")),
        (4, 4, true)
    );
    let params = EncryptParams {
        v: 4,
        r: 4,
        length_bits: int(after(enc, "/Length ")),
        o: &o,
        u: &u,
        oe: &[],
        ue: &[],
        perms: &[],
        p: int(after(enc, "/P ")) as i32,
        encrypt_metadata: true,
        stream_method: Method::Aes128,
        string_method: Method::Aes128,
        id0: &id0,
    };
    for password in [&b""[..], b"a password it does not need"] {
        let d = Decryptor::new(&params, password).unwrap();
        let producer = d.decrypt_string(191, 0, &literal_string(after(info, "/Producer "))).unwrap();
        assert_eq!(producer, b"macOS Version 12.5 (Build 21G72) Quartz PDFContext");
        // Object 4: << /Filter /FlateDecode /Length 6000 >>, a page's content stream.
        let obj = object(&pdf, 4);
        let at = obj.windows(7).position(|w| w == b"stream\n" || w == b"stream\r").unwrap() + 7;
        let at = if obj[at - 1] == b'\r' && obj[at] == b'\n' { at + 1 } else { at };
        let data = &obj[at..at + 6000];
        let content = inflate(&d.decrypt_stream(4, 0, data).unwrap());
        assert!(content.windows(2).any(|w| w == b"BT"), "a content stream");
    }
}

#[test]
fn never_panics_on_random_parameters() {
    let mut rng = crate::testing::Rng::new(99);
    let methods = [Method::None, Method::Rc4, Method::Aes128, Method::Aes256];
    for round in 0..300u32 {
        let mut bytes = |max: usize| -> Vec<u8> { (0..rng.next() % max).map(|_| rng.next() as u8).collect() };
        let (o, u, oe, ue, id0, data) = (bytes(60), bytes(60), bytes(40), bytes(40), bytes(20), bytes(80));
        // The revision 6 hash is slow by design: try it in a few rounds only.
        let r = if round.is_multiple_of(20) { 6 } else { [1, 2, 3, 4, 5, 7][rng.next() % 6] };
        let params = EncryptParams {
            v: (rng.next() % 6) as i64,
            r,
            length_bits: [0, 8, 40, 64, 128, 256, -5, 1 << 40][rng.next() % 8],
            o: &o,
            u: &u,
            oe: &oe,
            ue: &ue,
            perms: &[],
            p: rng.next() as i32,
            encrypt_metadata: rng.next().is_multiple_of(2),
            stream_method: methods[rng.next() % 4],
            string_method: methods[rng.next() % 4],
            id0: &id0,
        };
        if let Ok(d) = Decryptor::new(&params, &data[..data.len() % 8]) {
            let _ = d.decrypt_stream(rng.next() as u32, rng.next() as u16, &data);
            let _ = d.decrypt_string(1, 0, &data);
        }
    }
}
