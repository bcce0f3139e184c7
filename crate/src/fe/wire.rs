//! The byte format of FE objects, and serde through it.
//!
//! Every object starts with a 9-byte header:
//! `b"GL"`, format version (1), kind (public params 1, function key 2, ciphertext 3, FHIPE key 4,
//! FHIPE ciphertext 5), group id (ristretto255 1, ffdhe2048 2, ffdhe3072 3, BLS12-381 4), and the
//! dimension `n` (u32, little endian). The body is fixed-size group elements (canonical
//! encodings) and, for IPFE keys, the `n` coefficients of `y` (i64 LE) and the key scalar.
//!
//! Decoding never panics and never allocates more than the input justifies: sizes are checked
//! before any allocation, every element is validated (canonical, in the prime-order group), and
//! trailing bytes are an error. Every failure is [`Error::Decode`].
//!
//! serde: human-readable formats (JSON) get a hex string, binary formats the raw bytes.

use crate::{Error, Result};

/// Format version.
pub const VERSION: u8 = 1;
/// Largest dimension accepted when decoding ([`crate::limits::MAX_IPFE_N`]; FHIPE objects are
/// further capped at [`crate::limits::MAX_FHIPE_N`]).
pub const MAX_DIM: usize = crate::limits::MAX_IPFE_N;

/// What an encoded object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// IPFE public parameters.
    PublicParams = 1,
    /// IPFE function key.
    FunctionKey = 2,
    /// IPFE ciphertext.
    Ciphertext = 3,
    /// FHIPE function key.
    FhipeKey = 4,
    /// FHIPE ciphertext.
    FhipeCiphertext = 5,
}

/// Group id of BLS12-381 (FHIPE).
pub const BLS12_381_ID: u8 = 4;

/// Start an encoding: header with kind, group and dimension.
pub fn header(kind: Kind, group: u8, n: usize, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + capacity);
    out.extend_from_slice(b"GL");
    out.push(VERSION);
    out.push(kind as u8);
    out.push(group);
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out
}

/// A bounds-checked cursor over untrusted bytes.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Start reading `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Read and check the header; returns the dimension `n` (1 ≤ n ≤ [`MAX_DIM`]).
    pub fn header(&mut self, kind: Kind, group: u8) -> Result<usize> {
        let magic = self.bytes(2)?;
        if magic != b"GL" {
            return Err(Error::Decode(
                "not a glasslayer FE object (bad magic)".into(),
            ));
        }
        let version = self.u8()?;
        if version != VERSION {
            return Err(Error::Decode(format!(
                "unsupported format version {version}"
            )));
        }
        let k = self.u8()?;
        if k != kind as u8 {
            return Err(Error::Decode(format!(
                "expected a {kind:?} (kind {}), found kind {k}",
                kind as u8
            )));
        }
        let g = self.u8()?;
        if g != group {
            return Err(Error::Decode(format!(
                "object is for group id {g}, expected {group}"
            )));
        }
        let n = self.u32()? as usize;
        if n == 0 || n > MAX_DIM {
            return Err(Error::Decode(format!(
                "dimension {n} out of range 1..={MAX_DIM}"
            )));
        }
        Ok(n)
    }

    /// The next `len` bytes.
    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| Error::Decode("truncated input".into()))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// A little-endian u16.
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// A little-endian u32.
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A little-endian i64.
    pub fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Fail unless at least `count` items of `size` bytes remain (checked before allocating).
    pub fn expect_at_least(&self, count: usize, size: usize) -> Result<()> {
        match count.checked_mul(size) {
            Some(need) if need <= self.remaining() => Ok(()),
            _ => Err(Error::Decode("truncated input".into())),
        }
    }

    /// Fail if bytes remain.
    pub fn finish(&self) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(Error::Decode(format!(
                "{} trailing bytes",
                self.remaining()
            )))
        }
    }
}

/// Key frames: `u32 LE length ‖ bytes`, repeated (how a list of keys travels between parties).
pub fn frames(items: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        out.extend_from_slice(&(item.len() as u32).to_le_bytes());
        out.extend_from_slice(&item);
    }
    out
}

/// Split key frames (the inverse of [`frames`]); a truncated list is [`Error::Decode`]. Never
/// allocates more than one slice reference per 4 input bytes.
pub fn unframes(mut buf: &[u8]) -> Result<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let (head, rest) = buf
            .split_first_chunk::<4>()
            .ok_or_else(|| Error::Decode("truncated key list".into()))?;
        let len = usize::try_from(u32::from_le_bytes(*head))
            .map_err(|_| Error::Decode("truncated key list".into()))?;
        if rest.len() < len {
            return Err(Error::Decode("truncated key list".into()));
        }
        let (item, tail) = rest.split_at(len);
        out.push(item);
        buf = tail;
    }
    Ok(out)
}

/// Serialize bytes: hex for human-readable formats, raw otherwise.
pub fn serialize_bytes<S: serde::Serializer>(
    bytes: &[u8],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        s.serialize_str(&hex::encode(bytes))
    } else {
        s.serialize_bytes(bytes)
    }
}

/// Deserialize bytes written by [`serialize_bytes`] (hex string, byte string or byte sequence).
pub fn deserialize_bytes<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<u8>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a hex string or bytes")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Vec<u8>, E> {
            hex::decode(v).map_err(|e| E::custom(Error::Decode(format!("bad hex: {e}"))))
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> std::result::Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: serde::de::Error>(
            self,
            v: Vec<u8>,
        ) -> std::result::Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<u8>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
    if d.is_human_readable() {
        d.deserialize_str(V)
    } else {
        d.deserialize_bytes(V)
    }
}

/// Implement serde for a type with `to_bytes()` / `from_bytes()`.
macro_rules! serde_via_bytes {
    ($ty:ident $(< $g:ident : $bound:path >)?) => {
        impl$(<$g: $bound>)? serde::Serialize for $ty$(<$g>)? {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                $crate::fe::wire::serialize_bytes(&self.to_bytes(), s)
            }
        }
        impl<'de $(, $g: $bound)?> serde::Deserialize<'de> for $ty$(<$g>)? {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let bytes = $crate::fe::wire::deserialize_bytes(d)?;
                Self::from_bytes(&bytes).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    };
}
pub(crate) use serde_via_bytes;
