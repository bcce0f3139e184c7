//! Inner-product functional encryption from DDH (Abdalla–Bourse–De Caro–Pointcheval, PKC 2015),
//! generic over a [`PrimeGroup`].
//!
//! - Setup: `s ← Z_q^n`; `msk = s`; `mpk = (h_i = g^{s_i})`.
//! - KeyDer(msk, y): `sk_y = ⟨s, y⟩`. The key is one scalar; `y` travels with it (it is public to
//!   the decryptor).
//! - Enc(mpk, x): `r ← Z_q`; `ct_0 = g^r`, `ct_i = h_i^r · g^{x_i}`.
//! - Dec(ct, sk_y, y): `Π ct_i^{y_i} / ct_0^{sk_y} = g^{⟨x,y⟩}`, then a bounded discrete log
//!   ([`crate::fe::dlog`]).
//!
//! IND-CPA under DDH; a key for `y` reveals exactly `⟨x, y⟩` — which is the leak glasslayer
//! demonstrates: a server holding keys for the rows of its own `W1` learns `W1·x`.
//!
//! The parties ([`crate::roles`]) wrap these functions; [`MasterSecretKey`] has no accessor and
//! no `Debug` output of its contents.

use crate::fe::group::PrimeGroup;
use crate::fe::wire::{self, Kind, Reader};
use crate::{Error, Result};
use rand_core::CryptoRngCore;
use std::sync::{Arc, OnceLock};

pub mod sparse;

/// Largest vector length accepted by setup.
pub const MAX_DIM: usize = wire::MAX_DIM;

/// Public parameters `mpk = (h_1, …, h_n)` (the generator is fixed per group). The encryptor's
/// per-key tables ([`PrimeGroup::EncryptTables`]) are built on the first encryption and shared
/// by clones.
pub struct PublicParams<G: PrimeGroup> {
    h: Vec<G::Element>,
    tables: Arc<OnceLock<G::EncryptTables>>,
}

impl<G: PrimeGroup> Clone for PublicParams<G> {
    fn clone(&self) -> Self {
        PublicParams {
            h: self.h.clone(),
            tables: Arc::clone(&self.tables),
        }
    }
}

impl<G: PrimeGroup> PartialEq for PublicParams<G> {
    fn eq(&self, other: &Self) -> bool {
        self.h == other.h
    }
}

/// The master secret `s ∈ Z_q^n`. Opaque: no accessors, redacted `Debug`.
pub struct MasterSecretKey<G: PrimeGroup> {
    s: Vec<G::Scalar>,
}

/// A function key for `y`: `(y, sk_y = ⟨s, y⟩)`.
#[derive(Clone)]
pub struct FunctionKey<G: PrimeGroup> {
    y: Vec<i64>,
    sk: G::Scalar,
}

/// A ciphertext `(ct_0, ct_1, …, ct_n)`.
#[derive(Clone, PartialEq)]
pub struct Ciphertext<G: PrimeGroup> {
    c0: G::Element,
    c: Vec<G::Element>,
}

fn check_dim(n: usize) -> Result<()> {
    crate::limits::Limit::IpfeN.check(n)?;
    if n == 0 {
        return Err(Error::invalid(format!(
            "vector length {n} out of range 1..={MAX_DIM}"
        )));
    }
    Ok(())
}

fn check_len(what: &str, got: usize, n: usize) -> Result<()> {
    if got != n {
        return Err(Error::invalid(format!(
            "{what} has length {got}, expected {n}"
        )));
    }
    Ok(())
}

/// Setup for vectors of length `n`.
pub fn setup<G: PrimeGroup, R: CryptoRngCore + ?Sized>(
    n: usize,
    rng: &mut R,
) -> Result<(MasterSecretKey<G>, PublicParams<G>)> {
    check_dim(n)?;
    let s: Vec<G::Scalar> = (0..n).map(|_| G::random_scalar(rng)).collect();
    let h = {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            s.par_iter().map(G::pow_gen).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            s.iter().map(G::pow_gen).collect()
        }
    };
    Ok((MasterSecretKey { s }, PublicParams::new(h)))
}

/// Encrypt `x` (length `n`) under `pp`.
pub fn encrypt<G: PrimeGroup, R: CryptoRngCore + ?Sized>(
    pp: &PublicParams<G>,
    x: &[i64],
    rng: &mut R,
) -> Result<Ciphertext<G>> {
    check_len("plaintext", x.len(), pp.n())?;
    let r = G::random_scalar(rng);
    let c0 = G::pow_gen(&r);
    let c = G::encrypt_slots(&pp.h, pp.encrypt_tables(), &r, x);
    Ok(Ciphertext { c0, c })
}

/// `g^{⟨x, y⟩}` for each key (the group part of decryption, before the discrete log).
pub fn decrypt_to_group<G: PrimeGroup>(
    ct: &Ciphertext<G>,
    keys: &[FunctionKey<G>],
) -> Result<Vec<G::Element>> {
    for k in keys {
        check_len("function key", k.y.len(), ct.n())?;
    }
    Ok(G::decrypt_slots(ct, keys))
}

impl<G: PrimeGroup> MasterSecretKey<G> {
    /// The vector length.
    pub fn n(&self) -> usize {
        self.s.len()
    }

    /// KeyDer: the function key for `y`.
    pub fn derive_key(&self, y: &[i64]) -> Result<FunctionKey<G>> {
        check_len("key vector", y.len(), self.s.len())?;
        Ok(FunctionKey {
            y: y.to_vec(),
            sk: G::key_scalar(&self.s, y),
        })
    }
}

impl<G: PrimeGroup> std::fmt::Debug for MasterSecretKey<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MasterSecretKey<{}> {{ n: {}, s: <redacted> }}",
            G::NAME,
            self.s.len()
        )
    }
}

impl<G: PrimeGroup> PublicParams<G> {
    fn new(h: Vec<G::Element>) -> Self {
        PublicParams {
            h,
            tables: Arc::new(OnceLock::new()),
        }
    }

    /// The encryptor's per-key tables (built on first use).
    pub fn encrypt_tables(&self) -> &G::EncryptTables {
        self.tables.get_or_init(|| G::encrypt_tables(&self.h))
    }

    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.h.len()
    }

    /// `h_i = g^{s_i}`.
    pub fn elements(&self) -> &[G::Element] {
        &self.h
    }

    /// Encode (see [`crate::fe::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = wire::header(
            Kind::PublicParams,
            G::ID,
            self.n(),
            self.n() * G::ELEMENT_LEN,
        );
        for e in &self.h {
            G::write_element(e, &mut out);
        }
        out
    }

    /// Decode and validate.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let n = r.header(Kind::PublicParams, G::ID)?;
        r.expect_at_least(n, G::ELEMENT_LEN)?;
        let h = (0..n)
            .map(|_| G::read_element(r.bytes(G::ELEMENT_LEN)?))
            .collect::<Result<Vec<_>>>()?;
        r.finish()?;
        Ok(PublicParams::new(h))
    }
}

impl<G: PrimeGroup> std::fmt::Debug for PublicParams<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicParams<{}> {{ n: {} }}", G::NAME, self.n())
    }
}

impl<G: PrimeGroup> FunctionKey<G> {
    /// The vector `y` this key decrypts `⟨x, y⟩` for.
    pub fn y(&self) -> &[i64] {
        &self.y
    }

    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.y.len()
    }

    pub(crate) fn sk(&self) -> &G::Scalar {
        &self.sk
    }

    /// Encode (see [`crate::fe::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = wire::header(Kind::FunctionKey, G::ID, self.n(), self.n() * 8 + 64);
        for v in &self.y {
            out.extend_from_slice(&v.to_le_bytes());
        }
        G::write_scalar(&self.sk, &mut out);
        out
    }

    /// Decode and validate.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let n = r.header(Kind::FunctionKey, G::ID)?;
        r.expect_at_least(n, 8)?;
        let y = (0..n).map(|_| r.i64()).collect::<Result<Vec<_>>>()?;
        let sk = G::read_scalar(&mut r)?;
        r.finish()?;
        Ok(FunctionKey { y, sk })
    }
}

impl<G: PrimeGroup> std::fmt::Debug for FunctionKey<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FunctionKey<{}> {{ n: {}, sk: <redacted> }}",
            G::NAME,
            self.n()
        )
    }
}

impl<G: PrimeGroup> Ciphertext<G> {
    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.c.len()
    }

    /// `ct_0 = g^r`.
    pub fn c0(&self) -> &G::Element {
        &self.c0
    }

    /// `ct_i = h_i^r · g^{x_i}`.
    pub fn slots(&self) -> &[G::Element] {
        &self.c
    }

    /// Size of the encoding in bytes.
    pub fn byte_len(&self) -> usize {
        9 + (self.n() + 1) * G::ELEMENT_LEN
    }

    /// Encode (see [`crate::fe::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = wire::header(
            Kind::Ciphertext,
            G::ID,
            self.n(),
            (self.n() + 1) * G::ELEMENT_LEN,
        );
        G::write_element(&self.c0, &mut out);
        for e in &self.c {
            G::write_element(e, &mut out);
        }
        out
    }

    /// Decode and validate.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let n = r.header(Kind::Ciphertext, G::ID)?;
        r.expect_at_least(n + 1, G::ELEMENT_LEN)?;
        let c0 = G::read_element(r.bytes(G::ELEMENT_LEN)?)?;
        let c = (0..n)
            .map(|_| G::read_element(r.bytes(G::ELEMENT_LEN)?))
            .collect::<Result<Vec<_>>>()?;
        r.finish()?;
        Ok(Ciphertext { c0, c })
    }
}

impl<G: PrimeGroup> std::fmt::Debug for Ciphertext<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ciphertext<{}> {{ n: {} }}", G::NAME, self.n())
    }
}

wire::serde_via_bytes!(PublicParams<G: PrimeGroup>);
wire::serde_via_bytes!(FunctionKey<G: PrimeGroup>);
wire::serde_via_bytes!(Ciphertext<G: PrimeGroup>);
