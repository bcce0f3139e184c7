//! The decoder targets shared by the property tests (`tests/hostile_decoders.rs`, natively and
//! under wasm32) and the long fuzz run (`examples/fuzz.rs`, `npm run fuzz`).
//!
//! A target is a decoder of bytes that cross a boundary, a few valid encodings to mutate (the
//! seeds) and a check: decoding arbitrary or mutated bytes never panics, a failure is the
//! decoder's typed error, and whatever decodes re-encodes to exactly the same bytes.
#![allow(dead_code)]

use glasslayer::data::cifar::Cifar10;
use glasslayer::data::mnist::Mnist;
use glasslayer::fe::group::{ModP2048, PrimeGroup, Ristretto255};
use glasslayer::fe::ipfe::{Ciphertext, FunctionKey, PublicParams};
use glasslayer::fe::wire::{frames, unframes};
use glasslayer::fe::{FhipeCiphertext, FhipeKey};
use glasslayer::roles::{Authority, Client, FhipeClient};
use glasslayer::Error;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A structured mutation of a valid encoding. Positions are taken modulo the buffer length.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip one bit.
    Flip { at: usize, bit: u8 },
    /// Overwrite one byte.
    Set { at: usize, byte: u8 },
    /// Keep the first `len` bytes.
    Truncate { len: usize },
    /// Append bytes.
    Extend { bytes: Vec<u8> },
    /// Remove `len` bytes at `at`.
    Delete { at: usize, len: usize },
    /// Insert bytes at `at`.
    Insert { at: usize, bytes: Vec<u8> },
    /// Write a 32-bit size field (little or big endian) at `at`: the interesting values are
    /// 0, 1, 2^31 − 1, 2^32 − 1, the wrapping counts and the caps ± 1.
    SizeField {
        at: usize,
        value: u32,
        big_endian: bool,
    },
    /// Copy `len` bytes from `from` over `at` (reuses valid sub-encodings in the wrong place).
    Splice { from: usize, at: usize, len: usize },
}

/// Size values that have broken or could break size arithmetic.
pub const INTERESTING_U32: &[u32] = &[
    0,
    1,
    2,
    3,
    27,
    28,
    255,
    256,
    784,
    1023,
    1024,
    1025,
    4095,
    4096,
    4097,
    65_535,
    65_536,
    100_000,
    100_001,
    1 << 20,
    5_478_275, // 5 478 275 · 784 ≡ 304 (mod 2^32)
    268_435_505,
    (1 << 31) - 1,
    1 << 31,
    u32::MAX - 1,
    u32::MAX,
];

/// Apply one mutation in place.
pub fn apply(buf: &mut Vec<u8>, m: &Mutation) {
    let len = buf.len();
    match m {
        Mutation::Flip { at, bit } => {
            if len > 0 {
                buf[at % len] ^= 1 << (bit % 8);
            }
        }
        Mutation::Set { at, byte } => {
            if len > 0 {
                buf[at % len] = *byte;
            }
        }
        Mutation::Truncate { len: l } => buf.truncate(l % (len + 1)),
        Mutation::Extend { bytes } => buf.extend_from_slice(bytes),
        Mutation::Delete { at, len: l } => {
            if len > 0 {
                let a = at % len;
                let b = (a + l % 64).min(len);
                buf.drain(a..b);
            }
        }
        Mutation::Insert { at, bytes } => {
            let a = at % (len + 1);
            buf.splice(a..a, bytes.iter().copied());
        }
        Mutation::SizeField {
            at,
            value,
            big_endian,
        } => {
            if len >= 4 {
                let a = at % (len - 3);
                let b = if *big_endian {
                    value.to_be_bytes()
                } else {
                    value.to_le_bytes()
                };
                buf[a..a + 4].copy_from_slice(&b);
            }
        }
        Mutation::Splice { from, at, len: l } => {
            if len > 0 {
                let (f, a) = (from % len, at % len);
                let l = (l % 128).min(len - f).min(len - a);
                let part = buf[f..f + l].to_vec();
                buf[a..a + l].copy_from_slice(&part);
            }
        }
    }
}

/// A decoder under test.
pub struct Target {
    /// Short name (printed by the fuzz run).
    pub name: &'static str,
    /// Valid encodings to mutate.
    pub seeds: Vec<Vec<u8>>,
    /// Decode; `Err` describes a broken property (a panic is caught by the caller).
    pub check: fn(&[u8]) -> Result<(), String>,
    /// Where the size fields of the seeds are (offsets of u32 counts/dimensions), for the
    /// structured [`Mutation::SizeField`].
    pub size_fields: &'static [(usize, bool)],
}

fn roundtrip<T>(
    what: &str,
    bytes: &[u8],
    decode: impl Fn(&[u8]) -> glasslayer::Result<T>,
    encode: impl Fn(&T) -> Vec<u8>,
    decode_errors_only: bool,
) -> Result<(), String> {
    match decode(bytes) {
        Ok(v) => {
            let again = encode(&v);
            if again != bytes {
                return Err(format!(
                    "{what}: decoded {} bytes but re-encodes to {} different bytes",
                    bytes.len(),
                    again.len()
                ));
            }
            Ok(())
        }
        Err(Error::Decode(_)) => Ok(()),
        Err(e) if !decode_errors_only => match e {
            Error::Data(_) | Error::InvalidInput(_) | Error::Limit { .. } => Ok(()),
            other => Err(format!("{what}: unexpected error kind {other:?}")),
        },
        Err(e) => Err(format!(
            "{what}: a failure must be Error::Decode, got {e:?}"
        )),
    }
}

fn check_pp<G: PrimeGroup>(b: &[u8]) -> Result<(), String> {
    roundtrip(
        "public params",
        b,
        PublicParams::<G>::from_bytes,
        |v| v.to_bytes(),
        true,
    )
}
fn check_key<G: PrimeGroup>(b: &[u8]) -> Result<(), String> {
    roundtrip(
        "function key",
        b,
        FunctionKey::<G>::from_bytes,
        |v| v.to_bytes(),
        true,
    )
}
fn check_ct<G: PrimeGroup>(b: &[u8]) -> Result<(), String> {
    roundtrip(
        "ciphertext",
        b,
        Ciphertext::<G>::from_bytes,
        |v| v.to_bytes(),
        true,
    )
}
fn check_fhipe_key(b: &[u8]) -> Result<(), String> {
    roundtrip("FHIPE key", b, FhipeKey::from_bytes, |v| v.to_bytes(), true)
}
fn check_fhipe_ct(b: &[u8]) -> Result<(), String> {
    roundtrip(
        "FHIPE ciphertext",
        b,
        FhipeCiphertext::from_bytes,
        |v| v.to_bytes(),
        true,
    )
}
fn check_frames(b: &[u8]) -> Result<(), String> {
    roundtrip(
        "key frames",
        b,
        |b| {
            Ok(unframes(b)?
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>())
        },
        |v| frames(v.iter().cloned()),
        true,
    )
}
/// `k u16 LE ‖ images ‖ labels` (the split point is `k` modulo the length).
fn check_idx(b: &[u8]) -> Result<(), String> {
    if b.len() < 2 {
        return Ok(());
    }
    let rest = &b[2..];
    let k = usize::from(u16::from_le_bytes([b[0], b[1]])) % (rest.len() + 1);
    let (img, lab) = rest.split_at(k);
    match Mnist::parse(img, lab) {
        Ok(m) => {
            if m.to_idx() != (img.to_vec(), lab.to_vec()) {
                return Err("MNIST IDX: re-encodes differently".into());
            }
            if !m.is_empty() {
                let last = m.len() - 1;
                let _ = (m.image(last), m.label(last));
            }
            Ok(())
        }
        Err(Error::Data(_) | Error::Limit { .. }) => Ok(()),
        Err(e) => Err(format!("MNIST IDX: unexpected error {e:?}")),
    }
}
fn check_bundle(b: &[u8]) -> Result<(), String> {
    match Mnist::from_bundle(b) {
        Ok(m) => {
            if m.to_bundle() != b {
                return Err("digit bundle: re-encodes differently".into());
            }
            if !m.is_empty() {
                let last = m.len() - 1;
                let _ = (m.image(last), m.label(last));
            }
            Ok(())
        }
        Err(Error::Data(_) | Error::Limit { .. }) => Ok(()),
        Err(e) => Err(format!("digit bundle: unexpected error {e:?}")),
    }
}
fn check_cifar(b: &[u8]) -> Result<(), String> {
    match Cifar10::parse(b.to_vec()) {
        Ok(c) => {
            if c.as_bytes() != b {
                return Err("CIFAR-10: re-encodes differently".into());
            }
            let last = c.len() - 1;
            c.gray(last)
                .map_err(|e| format!("CIFAR-10: gray({last}): {e}"))?;
            c.label(last)
                .map_err(|e| format!("CIFAR-10: label({last}): {e}"))?;
            if c.gray(c.len()).is_ok() || c.label(usize::MAX).is_ok() {
                return Err("CIFAR-10: an image past the end".into());
            }
            Ok(())
        }
        Err(Error::Data(_)) => Ok(()),
        Err(e) => Err(format!("CIFAR-10: unexpected error {e:?}")),
    }
}
/// `width u16 LE ‖ height u16 LE ‖ rgba` for the canvas preprocessing.
fn check_canvas(b: &[u8]) -> Result<(), String> {
    if b.len() < 4 {
        return Ok(());
    }
    let w = usize::from(u16::from_le_bytes([b[0], b[1]]));
    let h = usize::from(u16::from_le_bytes([b[2], b[3]]));
    match glasslayer::digit::preprocess_rgba(&b[4..], w, h) {
        Ok(v) if v.len() == 784 && v.iter().all(|p| (0.0..=1.0).contains(p)) => Ok(()),
        Ok(_) => Err("canvas: output is not 784 values in [0, 1]".into()),
        Err(_) => Ok(()),
    }
}

fn rng(tag: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([tag; 32])
}

fn ipfe_seeds<G: PrimeGroup>(tag: u8) -> [Vec<Vec<u8>>; 3] {
    let mut pps = Vec::new();
    let mut keys = Vec::new();
    let mut cts = Vec::new();
    for n in [1usize, 3] {
        let (authority, pp) = Authority::<G>::setup_with_rng(n, &mut rng(tag + n as u8)).unwrap();
        let y: Vec<i64> = (0..n as i64).map(|i| 5 - 7 * i).collect();
        let x: Vec<i64> = (0..n as i64).map(|i| 200 - 3 * i).collect();
        keys.push(authority.function_key(&y).unwrap().to_bytes());
        cts.push(Client::new(pp.clone()).encrypt(&x).unwrap().to_bytes());
        pps.push(pp.to_bytes());
    }
    [pps, keys, cts]
}

fn idx_seed(count: usize) -> Vec<u8> {
    let labels: Vec<u8> = (0..count).map(|i| (i % 10) as u8).collect();
    let images: Vec<u8> = (0..count * 784).map(|i| (i % 251) as u8).collect();
    let m = Mnist::from_raw(&images, &labels).unwrap();
    let (img, lab) = m.to_idx();
    let mut out = (img.len() as u16).to_le_bytes().to_vec();
    out.extend(img);
    out.extend(lab);
    out
}

fn canvas_seed() -> Vec<u8> {
    let (w, h) = (12u16, 10u16);
    let mut out = w.to_le_bytes().to_vec();
    out.extend(h.to_le_bytes());
    for p in 0..usize::from(w) * usize::from(h) {
        out.extend([0, 0, 0, if p % 5 < 2 { 255 } else { 0 }]);
    }
    out
}

/// Every decoder target, with its seeds (deterministic).
pub fn targets() -> Vec<Target> {
    // Wire header: magic(2) version(1) kind(1) group(1) n(u32 LE at 5).
    const WIRE: &[(usize, bool)] = &[(5, false)];
    let [r_pp, r_key, r_ct] = ipfe_seeds::<Ristretto255>(1);
    let [m_pp, m_key, m_ct] = ipfe_seeds::<ModP2048>(11);
    let fhipe = FhipeClient::with_replay_seed(2, [7; 32]).unwrap();
    let fhipe1 = FhipeClient::with_replay_seed(1, [8; 32]).unwrap();
    let fk = vec![
        fhipe.keygen(&[3, -4]).unwrap().to_bytes(),
        fhipe1.keygen(&[9]).unwrap().to_bytes(),
    ];
    let fc = vec![
        fhipe.encrypt(&[10, 20]).unwrap().to_bytes(),
        fhipe1.encrypt(&[-5]).unwrap().to_bytes(),
    ];
    let frame_seeds = vec![
        frames(r_key.clone()),
        frames(fk.clone()),
        frames(vec![vec![], vec![1, 2, 3]]),
        Vec::new(),
    ];
    let one = Mnist::from_raw(&[9u8; 784], &[4]).unwrap();
    let three = Mnist::from_raw(&vec![200u8; 3 * 784], &[0, 5, 9]).unwrap();
    let mut cifar = vec![3u8];
    cifar.extend((0..3 * 1024).map(|i| (i % 256) as u8));
    let mut cifar2 = cifar.clone();
    cifar2.extend_from_slice(&cifar);
    vec![
        Target {
            name: "ipfe-public-params-ristretto255",
            seeds: r_pp,
            check: check_pp::<Ristretto255>,
            size_fields: WIRE,
        },
        Target {
            name: "ipfe-function-key-ristretto255",
            seeds: r_key,
            check: check_key::<Ristretto255>,
            size_fields: WIRE,
        },
        Target {
            name: "ipfe-ciphertext-ristretto255",
            seeds: r_ct,
            check: check_ct::<Ristretto255>,
            size_fields: WIRE,
        },
        Target {
            name: "ipfe-public-params-ffdhe2048",
            seeds: m_pp,
            check: check_pp::<ModP2048>,
            size_fields: WIRE,
        },
        Target {
            name: "ipfe-function-key-ffdhe2048",
            seeds: m_key,
            check: check_key::<ModP2048>,
            size_fields: WIRE,
        },
        Target {
            name: "ipfe-ciphertext-ffdhe2048",
            seeds: m_ct,
            check: check_ct::<ModP2048>,
            size_fields: WIRE,
        },
        Target {
            name: "fhipe-key",
            seeds: fk,
            check: check_fhipe_key,
            size_fields: WIRE,
        },
        Target {
            name: "fhipe-ciphertext",
            seeds: fc,
            check: check_fhipe_ct,
            size_fields: WIRE,
        },
        Target {
            name: "key-frames",
            seeds: frame_seeds,
            check: check_frames,
            size_fields: &[(0, false)],
        },
        Target {
            name: "mnist-idx",
            seeds: vec![idx_seed(1), idx_seed(2)],
            check: check_idx,
            // count in the image header (2 + 4) and in the label header (after the images)
            size_fields: &[(6, true), (2 + 16 + 784 + 4, true)],
        },
        Target {
            name: "digit-bundle",
            seeds: vec![one.to_bundle(), three.to_bundle()],
            check: check_bundle,
            size_fields: &[(0, false)],
        },
        Target {
            name: "cifar10",
            seeds: vec![cifar, cifar2],
            check: check_cifar,
            size_fields: &[],
        },
        Target {
            name: "canvas",
            seeds: vec![canvas_seed()],
            check: check_canvas,
            size_fields: &[],
        },
    ]
}
