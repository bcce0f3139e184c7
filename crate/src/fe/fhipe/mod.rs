//! Function-hiding inner-product encryption (Kim, Lewi, Mandal, Montgomery, Roy, Wu — SCN 2018)
//! over the BLS12-381 pairing `e: G1 × G2 → GT` (arkworks).
//!
//! - Setup: `B ← GL_n(Z_q)`, `B* = det(B)·(B⁻¹)ᵀ`; `msk = (g1, g2, B, B*)`. A secret-key scheme:
//!   the client holds `msk` ([`crate::roles::FhipeClient`]). `B` is kept as random triangular
//!   factors (module `basis`), so setup is `O(n²)`.
//! - KeyGen(msk, w): `α ← Z_q^*`; `K1 = g1^{α·det B}`, `K2 = g1^{α·w·B}`.
//! - Enc(msk, x): `β ← Z_q^*`; `C1 = g2^β`, `C2 = g2^{β·x·B*}`.
//! - Dec: `D1 = e(K1, C1)`, `D2 = Π_i e(K2_i, C2_i) = D1^{⟨w,x⟩}`; `z ∈ [−B, B]` with `D1^z = D2`.
//!
//! The server learns `⟨w_i, x⟩` for each key, but neither `w_i` nor `x`. Signed values work: `w`
//! and `x` are mapped to `Z_q` by `v ↦ v mod q` and the discrete log is signed.
//!
//! `g1`, `g2` are the standard generators: a random generator `g1' = g1^a` would only multiply
//! every key's uniform `α` by the same non-zero `a` (and `β` likewise), which leaves the
//! distribution of keys and ciphertexts unchanged — and fixed generators allow fixed-base tables.
//!
//! Decryption cost: `n + 1` pairings per inner product — one multi-Miller loop over the `n` pairs
//! and one for `D1`, two final exponentiations — with the ciphertext's `n + 1` G2 points prepared
//! once ([`PreparedCiphertext`]) and shared by every key. The base `D1` is different for every
//! (key, ciphertext) pair, so no discrete-log table can be shared across decryptions; each
//! decryption runs [`dlog::solve_growing`] (cost `O(√|z|)`).

mod basis;
pub mod pairing;
mod wide;

use crate::fe::dlog;
use crate::fe::wire::{self, Kind, Reader, BLS12_381_ID};
use crate::{Error, Result};
use ark_bls12_381::{Fr, G1Affine, G2Affine};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use basis::{random_nonzero, to_fr, Basis};
use pairing::{g1_mul, g2_mul, multi_pairing, prepare_g2, G2Prep, Gt};
use rand_core::CryptoRngCore;

/// Bytes of a compressed G1 point.
pub const G1_LEN: usize = 48;
/// Bytes of a compressed G2 point.
pub const G2_LEN: usize = 96;
/// Security of BLS12-381 after the recent NFS analyses (never rounded up to 128).
pub const SECURITY_BITS: &str = "≈117–120";

/// The FHIPE master secret key (the basis). Opaque: no accessors, redacted `Debug`.
pub struct FhipeMasterKey {
    basis: Basis,
}

/// A function key `(K1, K2)` for a hidden vector `w`.
#[derive(Clone, PartialEq, Eq)]
pub struct FhipeKey {
    k1: G1Affine,
    k2: Vec<G1Affine>,
}

/// A ciphertext `(C1, C2)` of a hidden vector `x`.
#[derive(Clone, PartialEq, Eq)]
pub struct FhipeCiphertext {
    c1: G2Affine,
    c2: Vec<G2Affine>,
}

/// A ciphertext with its G2 side prepared for the Miller loop, shared by all keys.
pub struct PreparedCiphertext {
    c1: G2Prep,
    c2: Vec<G2Prep>,
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
pub fn setup<R: CryptoRngCore + ?Sized>(n: usize, rng: &mut R) -> Result<FhipeMasterKey> {
    // n² field elements: the cap keeps setup at ≈ 32 MB (it was 8.6 GB at n = 16384).
    crate::limits::Limit::FhipeN.check(n)?;
    if n == 0 {
        return Err(Error::invalid("FHIPE dimension 0"));
    }
    Ok(FhipeMasterKey {
        basis: Basis::random(n, rng),
    })
}

impl FhipeMasterKey {
    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.basis.n()
    }

    /// KeyGen: a key for `w`.
    pub fn keygen<R: CryptoRngCore + ?Sized>(&self, w: &[i64], rng: &mut R) -> Result<FhipeKey> {
        check_len("key vector", w.len(), self.n())?;
        let alpha = random_nonzero(rng);
        let mut scalars = self.basis.times_b_int(w);
        scalars.iter_mut().for_each(|s| *s *= alpha);
        scalars.push(alpha * self.basis.det());
        let mut points = g1_mul(&scalars);
        let k1 = points.pop().unwrap_or_default();
        Ok(FhipeKey { k1, k2: points })
    }

    /// Enc: a ciphertext of `x`.
    pub fn encrypt<R: CryptoRngCore + ?Sized>(
        &self,
        x: &[i64],
        rng: &mut R,
    ) -> Result<FhipeCiphertext> {
        check_len("plaintext", x.len(), self.n())?;
        let beta = random_nonzero(rng);
        let x: Vec<Fr> = x.iter().map(|&v| to_fr(v)).collect();
        let scale = beta * self.basis.det();
        let mut scalars = self.basis.inverse_times(&x);
        scalars.iter_mut().for_each(|s| *s *= scale);
        scalars.push(beta);
        let mut points = g2_mul(&scalars);
        let c1 = points.pop().unwrap_or_default();
        Ok(FhipeCiphertext { c1, c2: points })
    }
}

impl std::fmt::Debug for FhipeMasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FhipeMasterKey {{ n: {}, basis: <redacted> }}", self.n())
    }
}

/// Prepare a ciphertext's G2 side once for any number of keys.
pub fn prepare(ct: &FhipeCiphertext) -> PreparedCiphertext {
    let mut all = ct.c2.clone();
    all.push(ct.c1);
    let mut prepared = prepare_g2(&all);
    let c1 = prepared.pop().unwrap_or_else(|| G2Prep::from(ct.c1));
    PreparedCiphertext { c1, c2: prepared }
}

impl PreparedCiphertext {
    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.c2.len()
    }

    /// Dec: `z` with `e(K1, C1)^z = Π e(K2_i, C2_i)`, `|z| ≤ bound`.
    pub fn decrypt(&self, key: &FhipeKey, bound: u64) -> Result<i64> {
        check_len("FHIPE key", key.k2.len(), self.n())?;
        let d1 = multi_pairing(&[(&key.k1, &self.c1)]);
        let pairs: Vec<(&G1Affine, &G2Prep)> = key.k2.iter().zip(&self.c2).collect();
        let d2 = multi_pairing(&pairs);
        dlog::solve_growing::<Gt>(&d1, &d2, bound)
    }
}

/// Dec for one key (prepares the ciphertext; use [`prepare`] for many keys).
pub fn decrypt(ct: &FhipeCiphertext, key: &FhipeKey, bound: u64) -> Result<i64> {
    prepare(ct).decrypt(key, bound)
}

fn write_points<P: CanonicalSerialize>(points: &[P], out: &mut Vec<u8>) {
    for p in points {
        // Writing into a Vec cannot fail.
        let _ = p.serialize_compressed(&mut *out);
    }
}

/// The header's `n`, refused above [`crate::limits::MAX_FHIPE_N`] before anything is allocated.
fn fhipe_header(r: &mut Reader<'_>, kind: Kind) -> Result<usize> {
    let n = r.header(kind, BLS12_381_ID)?;
    if n > crate::limits::MAX_FHIPE_N {
        return Err(Error::Decode(format!(
            "FHIPE dimension {n} is over the limit {}",
            crate::limits::MAX_FHIPE_N
        )));
    }
    Ok(n)
}

fn check_expected(what: &str, n: usize, expected_n: Option<usize>) -> Result<()> {
    match expected_n {
        Some(e) if e != n => Err(Error::invalid(format!(
            "{what} has length {n}, expected {e}"
        ))),
        _ => Ok(()),
    }
}

fn read_point<P: CanonicalDeserialize>(bytes: &[u8], what: &str) -> Result<P> {
    P::deserialize_compressed(bytes).map_err(|e| {
        Error::Decode(format!(
            "{what}: not a valid compressed point in the prime-order subgroup ({e})"
        ))
    })
}

impl FhipeKey {
    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.k2.len()
    }

    /// Size of the encoding in bytes.
    pub fn byte_len(&self) -> usize {
        9 + (self.n() + 1) * G1_LEN
    }

    /// Encode (see [`crate::fe::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = wire::header(
            Kind::FhipeKey,
            BLS12_381_ID,
            self.n(),
            (self.n() + 1) * G1_LEN,
        );
        write_points(std::slice::from_ref(&self.k1), &mut out);
        write_points(&self.k2, &mut out);
        out
    }

    /// Decode and validate (on the curve, in the prime-order subgroup).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::from_bytes_expecting(bytes, None)
    }

    /// As [`FhipeKey::from_bytes`], refusing a key whose length is not `expected_n` right after
    /// the header, before any point is decoded.
    pub fn from_bytes_expecting(bytes: &[u8], expected_n: Option<usize>) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let n = fhipe_header(&mut r, Kind::FhipeKey)?;
        check_expected("FHIPE key", n, expected_n)?;
        r.expect_at_least(n + 1, G1_LEN)?;
        let k1 = read_point(r.bytes(G1_LEN)?, "FHIPE key K1")?;
        let k2 = (0..n)
            .map(|_| read_point(r.bytes(G1_LEN)?, "FHIPE key K2"))
            .collect::<Result<Vec<_>>>()?;
        r.finish()?;
        Ok(FhipeKey { k1, k2 })
    }
}

impl std::fmt::Debug for FhipeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FhipeKey {{ n: {} }}", self.n())
    }
}

impl FhipeCiphertext {
    /// The vector length `n`.
    pub fn n(&self) -> usize {
        self.c2.len()
    }

    /// Size of the encoding in bytes.
    pub fn byte_len(&self) -> usize {
        9 + (self.n() + 1) * G2_LEN
    }

    /// Encode (see [`crate::fe::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = wire::header(
            Kind::FhipeCiphertext,
            BLS12_381_ID,
            self.n(),
            (self.n() + 1) * G2_LEN,
        );
        write_points(std::slice::from_ref(&self.c1), &mut out);
        write_points(&self.c2, &mut out);
        out
    }

    /// Decode and validate (on the curve, in the prime-order subgroup).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::from_bytes_expecting(bytes, None)
    }

    /// As [`FhipeCiphertext::from_bytes`], refusing a ciphertext whose length is not
    /// `expected_n` right after the header, before any G2 point is decoded (≈ 0.5 ms each in wasm).
    pub fn from_bytes_expecting(bytes: &[u8], expected_n: Option<usize>) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let n = fhipe_header(&mut r, Kind::FhipeCiphertext)?;
        check_expected("FHIPE ciphertext", n, expected_n)?;
        r.expect_at_least(n + 1, G2_LEN)?;
        let c1 = read_point(r.bytes(G2_LEN)?, "FHIPE ciphertext C1")?;
        let chunks: Vec<&[u8]> = (0..n).map(|_| r.bytes(G2_LEN)).collect::<Result<_>>()?;
        r.finish()?;
        let parse = |b: &&[u8]| read_point::<G2Affine>(b, "FHIPE ciphertext C2");
        #[cfg(not(target_arch = "wasm32"))]
        let c2 = {
            use rayon::prelude::*;
            chunks.par_iter().map(parse).collect::<Result<Vec<_>>>()?
        };
        #[cfg(target_arch = "wasm32")]
        let c2 = chunks.iter().map(parse).collect::<Result<Vec<_>>>()?;
        Ok(FhipeCiphertext { c1, c2 })
    }
}

impl std::fmt::Debug for FhipeCiphertext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FhipeCiphertext {{ n: {} }}", self.n())
    }
}

wire::serde_via_bytes!(FhipeKey);
wire::serde_via_bytes!(FhipeCiphertext);
