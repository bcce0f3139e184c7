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
pub mod validate;
mod wide;

use crate::fe::dlog;
use crate::fe::wire::{self, Kind, Reader, BLS12_381_ID};
use crate::{Error, Result};
use ark_bls12_381::{Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use basis::{random_nonzero, to_fr, Basis};
use pairing::{g1_mul, g2_mul, multi_pairing_lines, G2Lines, Gt};
use rand_core::CryptoRngCore;
use rand_core::{OsRng, SeedableRng};

/// Bytes of a G1 point on the wire (uncompressed: `x ‖ y`, big-endian, zcash flag bits).
pub const G1_LEN: usize = 96;
/// Bytes of a G2 point on the wire (uncompressed).
pub const G2_LEN: usize = 192;
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

/// A ciphertext with its G2 side prepared for the Miller loop (normalised lines, see
/// [`G2Lines`]), shared by all keys.
pub struct PreparedCiphertext {
    c1: G2Lines,
    c2: Vec<G2Lines>,
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
    #[cfg(not(target_arch = "wasm32"))]
    let mut prepared = {
        // Chunks in parallel, one batched inversion per chunk and step.
        use rayon::prelude::*;
        all.par_chunks(64)
            .flat_map_iter(G2Lines::batch_affine)
            .collect::<Vec<_>>()
    };
    #[cfg(target_arch = "wasm32")]
    let mut prepared = G2Lines::batch_affine(&all);
    let c1 = prepared.pop().unwrap_or_else(|| G2Lines::new(ct.c1.into()));
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
        let d1 = multi_pairing_lines(&[(&key.k1, &self.c1)]);
        let pairs: Vec<(&G1Affine, &G2Lines)> = key.k2.iter().zip(&self.c2).collect();
        let d2 = multi_pairing_lines(&pairs);
        dlog::solve_growing::<Gt>(&d1, &d2, bound)
    }
}

/// Dec for one key (prepares the ciphertext; use [`prepare`] for many keys).
pub fn decrypt(ct: &FhipeCiphertext, key: &FhipeKey, bound: u64) -> Result<i64> {
    prepare(ct).decrypt(key, bound)
}

fn write_points<C: SWCurveConfig>(points: &[Affine<C>], out: &mut Vec<u8>)
where
    Affine<C>: CanonicalSerialize,
{
    for p in points {
        // Writing into a Vec cannot fail.
        let _ = p.serialize_uncompressed(&mut *out);
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

/// Decode one uncompressed point and check it is on the curve: canonical coordinates (`< p`),
/// no compression or sort flag, the infinity flag only with all-zero coordinates. Membership in
/// the prime-order subgroup is checked for all points of an object at once ([`check_subgroup`]).
fn read_point<C: SWCurveConfig>(bytes: &[u8], what: &str) -> Result<Affine<C>>
where
    Affine<C>: CanonicalDeserialize,
{
    let bad = |why: String| Error::Decode(format!("{what}: {why}"));
    if bytes.first().is_some_and(|b| b & 0xa0 != 0) {
        return Err(bad("not an uncompressed point encoding".into()));
    }
    let p = Affine::<C>::deserialize_with_mode(bytes, Compress::No, Validate::No)
        .map_err(|e| bad(format!("not a valid uncompressed point ({e})")))?;
    if !p.is_on_curve() {
        return Err(bad("the point is not on the curve".into()));
    }
    Ok(p)
}

/// The batched prime-order subgroup test of [`validate`] (error `< 2^−64`) with fresh weights
/// from the OS/browser CSPRNG.
fn check_subgroup<C: SWCurveConfig>(points: &[Affine<C>], m: u32, what: &str) -> Result<()> {
    let mut rng = rand_chacha::ChaCha20Rng::from_rng(OsRng)
        .map_err(|e| Error::invalid(format!("no randomness for validation: {e}")))?;
    if validate::in_subgroup_batch(points, m, validate::rounds(m), &mut rng) {
        Ok(())
    } else {
        Err(Error::Decode(format!(
            "{what}: a point is not in the prime-order subgroup"
        )))
    }
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

    /// Decode and validate: every point on the curve, and all of them in the prime-order
    /// subgroup (one batched test, [`validate`]).
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
        let mut points = (0..=n)
            .map(|_| read_point(r.bytes(G1_LEN)?, "FHIPE key"))
            .collect::<Result<Vec<G1Affine>>>()?;
        r.finish()?;
        check_subgroup(&points, validate::G1_MIN_COFACTOR_PRIME, "FHIPE key")?;
        let k1 = points.remove(0);
        Ok(FhipeKey { k1, k2: points })
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

    /// Decode and validate: every point on the curve, and all of them in the prime-order
    /// subgroup (one batched test, [`validate`]).
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
        let chunks: Vec<&[u8]> = (0..=n).map(|_| r.bytes(G2_LEN)).collect::<Result<_>>()?;
        r.finish()?;
        let parse = |b: &&[u8]| read_point::<ark_bls12_381::g2::Config>(b, "FHIPE ciphertext");
        let mut points = chunks.iter().map(parse).collect::<Result<Vec<_>>>()?;
        check_subgroup(&points, validate::G2_MIN_COFACTOR_PRIME, "FHIPE ciphertext")?;
        let c1 = points.remove(0);
        Ok(FhipeCiphertext { c1, c2: points })
    }
}

impl std::fmt::Debug for FhipeCiphertext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FhipeCiphertext {{ n: {} }}", self.n())
    }
}

wire::serde_via_bytes!(FhipeKey);
wire::serde_via_bytes!(FhipeCiphertext);
