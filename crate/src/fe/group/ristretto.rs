//! ristretto255 (curve25519-dalek): the prime-order group built on Curve25519, ≈ 126-bit
//! security, 32-byte canonical encodings. The default backend.
//!
//! - Encryption `ct_i = r·H_i + x_i·G`: a constant-time multiplication per slot from a
//!   fixed-base table per `H_i` built once per public key (`EncryptTable`), plus `x_i·G` from
//!   a small constant-time table; slots run in parallel natively.
//! - Decryption (server side, variable time: the server's inputs are its own): negate the slots
//!   once, then for each key the bucket multi-exponentiation `Σ |y_i|·(±ct_i)` ([`multiexp`]) and
//!   `sk_y·ct_0` from a table for `ct_0` built once per ciphertext (additions only:
//!   [`super::ristretto_window`]). Many keys with small weights
//!   on a short ciphertext (the gradient path) use a table of each slot's multiples instead.
//! - Discrete-log keys: batch compression of `2P` (`double_and_compress_batch`, one field
//!   inversion per batch); doubling is a bijection in a prime-order group, so the keys are a
//!   faithful hash of the canonical encoding.

use super::ristretto_window::WindowTable;
use super::{multiexp, split_sign, PrimeGroup};
use crate::fe::dlog::DlogGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey};
use crate::fe::wire::Reader;
use crate::fe::GroupChoice;
use crate::{Error, Result};
use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
#[cfg(not(target_arch = "wasm32"))]
use curve25519_dalek::ristretto::RistrettoBasepointTable;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use rand_core::CryptoRngCore;
use std::sync::OnceLock;
use subtle::{Choice, ConditionallyNegatable, ConditionallySelectable, ConstantTimeEq};

/// The ristretto255 group (a marker type; elements are `RistrettoPoint`s).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ristretto255;

/// `z` as a scalar mod ℓ (negative values wrap to ℓ − |z|).
pub(crate) fn scalar_i64(z: i64) -> Scalar {
    let (neg, mag) = split_sign(z);
    let s = Scalar::from(mag);
    if neg {
        -s
    } else {
        s
    }
}

/// Radix-16 digits covered by [`small_mul_base`]: `|z| < 2^{4·(SMALL_DIGITS−1)}`.
const SMALL_DIGITS: usize = 6;

/// `rows[k][d − 1] = d·16^k·G` for `d = 1..=8`.
fn small_table() -> &'static [[RistrettoPoint; 8]; SMALL_DIGITS] {
    static T: OnceLock<[[RistrettoPoint; 8]; SMALL_DIGITS]> = OnceLock::new();
    T.get_or_init(|| {
        let mut rows = [[RistrettoPoint::identity(); 8]; SMALL_DIGITS];
        let mut base = RISTRETTO_BASEPOINT_POINT;
        for row in rows.iter_mut() {
            let mut acc = base;
            for slot in row.iter_mut() {
                *slot = acc;
                acc += base;
            }
            // acc = 9·base; 16·base = acc + 7·base.
            base = acc + row[6];
        }
        rows
    })
}

/// `z·G` for `|z| < 2²⁰` in constant time with respect to `z` (signed radix-16 digits, each
/// row read with a constant-time select): 6 additions instead of dalek's 64. Callers branch only
/// on the public magnitude class (`|z| < 2²⁰`, e.g. pixel levels).
fn small_mul_base(z: i64) -> RistrettoPoint {
    let table = small_table();
    let neg = Choice::from(((z as u64) >> 63) as u8);
    let mut v = z.unsigned_abs() as i64;
    let mut acc = RistrettoPoint::identity();
    for row in table.iter() {
        let mut d = v & 15;
        let carry = (d + 8) >> 4;
        d -= carry << 4;
        v = (v >> 4) + carry;
        let d_neg = Choice::from(((d as u64) >> 63) as u8);
        let d_abs = d.unsigned_abs() as u8;
        let mut p = RistrettoPoint::identity();
        for (j, entry) in row.iter().enumerate() {
            p.conditional_assign(entry, d_abs.ct_eq(&(j as u8 + 1)));
        }
        p.conditional_negate(d_neg);
        acc += p;
    }
    acc.conditional_negate(neg);
    acc
}

/// The encryptor's constant-time fixed-base table for one `h_i` (for `r·h_i` with the secret
/// encryption randomness `r`), by measurement (`npm run bench -- --only ipfe-encrypt`,
/// `glasslayer bench fe --backends ristretto255`, n = 784, idle 2-core machine):
///
/// - wasm: [`super::ristretto_fixed::FixedBaseTable`] (extended coordinates, additions only):
///   tables 121 ms, encrypt 44 ms in Chromium. dalek's table costs 256 field inversions to
///   build (≈ 2.4 s for 784 tables in wasm), so the browser used to multiply variable-base
///   (86 ms a digit).
/// - native: dalek's `RistrettoBasepointTable` (affine entries: mixed additions, dedicated
///   doublings): encrypt 5.5 ms against 6.9–8.4 ms with `FixedBaseTable`; its build (430 ms
///   against 41–45 ms, 2 threads) is paid once per public key and amortised after ≈ 200
///   encryptions — a CryptoNN client encrypts every training sample under one key.
#[cfg(target_arch = "wasm32")]
pub type EncryptTable = super::ristretto_fixed::FixedBaseTable;
/// See the wasm variant.
#[cfg(not(target_arch = "wasm32"))]
pub type EncryptTable = RistrettoBasepointTable;

#[cfg(target_arch = "wasm32")]
fn build_table(h: &RistrettoPoint) -> EncryptTable {
    EncryptTable::new(h)
}

#[cfg(target_arch = "wasm32")]
fn table_mul(t: &EncryptTable, r: &Scalar) -> RistrettoPoint {
    t.mul(r)
}

#[cfg(not(target_arch = "wasm32"))]
fn build_table(h: &RistrettoPoint) -> EncryptTable {
    RistrettoBasepointTable::create(h)
}

#[cfg(not(target_arch = "wasm32"))]
fn table_mul(t: &EncryptTable, r: &Scalar) -> RistrettoPoint {
    r * t
}

/// Largest weight magnitude for which [`Ristretto255::decrypt_slots`] may tabulate every
/// slot's multiples.
const SMALL_MULTIPLES_MAX: u64 = 64;

/// Bound of the constant-time small path.
const SMALL_LIMIT: u64 = 1 << (4 * (SMALL_DIGITS - 1));

impl DlogGroup for Ristretto255 {
    type Element = RistrettoPoint;

    fn identity() -> RistrettoPoint {
        RistrettoPoint::identity()
    }
    fn generator() -> RistrettoPoint {
        RISTRETTO_BASEPOINT_POINT
    }
    fn op(a: &RistrettoPoint, b: &RistrettoPoint) -> RistrettoPoint {
        a + b
    }
    fn inverse(a: &RistrettoPoint) -> RistrettoPoint {
        -a
    }
    fn hash_keys(elems: &[RistrettoPoint]) -> Vec<u64> {
        RistrettoPoint::double_and_compress_batch(elems)
            .iter()
            .map(|c| {
                let b = c.as_bytes();
                u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            })
            .collect()
    }
}

impl PrimeGroup for Ristretto255 {
    const NAME: &'static str = "ristretto255";
    const ID: u8 = 1;
    const SECURITY_BITS: u32 = 126;
    const CHOICE: GroupChoice = GroupChoice::Ristretto255;
    const ELEMENT_LEN: usize = 32;

    type Scalar = Scalar;

    fn random_scalar<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Scalar {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }

    fn pow_gen(s: &Scalar) -> RistrettoPoint {
        s * RISTRETTO_BASEPOINT_TABLE
    }

    fn pow_gen_i64(z: i64) -> RistrettoPoint {
        if z.unsigned_abs() < SMALL_LIMIT {
            small_mul_base(z)
        } else {
            &scalar_i64(z) * RISTRETTO_BASEPOINT_TABLE
        }
    }

    fn key_scalar(s: &[Scalar], y: &[i64]) -> Scalar {
        s.iter().zip(y).map(|(s, &y)| s * scalar_i64(y)).sum()
    }

    /// A constant-time fixed-base table per `h_i` (`EncryptTable` below), built once per public
    /// key (in parallel natively).
    type EncryptTables = Vec<EncryptTable>;

    fn encrypt_tables(h: &[RistrettoPoint]) -> Vec<EncryptTable> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            h.par_iter().map(build_table).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            h.iter().map(build_table).collect()
        }
    }

    fn encrypt_slots(
        h: &[RistrettoPoint],
        tables: &Vec<EncryptTable>,
        r: &Scalar,
        x: &[i64],
    ) -> Vec<RistrettoPoint> {
        // `tables` has one table per slot (built from these `h`); the variable-base fallback
        // is for a caller that passes fewer.
        let slot = |(i, (h, &x)): (usize, (&RistrettoPoint, &i64))| {
            let hr = match tables.get(i) {
                Some(t) => table_mul(t, r),
                None => h * r,
            };
            hr + Self::pow_gen_i64(x)
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            h.par_iter()
                .zip(x.par_iter())
                .enumerate()
                .map(slot)
                .collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            h.iter().zip(x.iter()).enumerate().map(slot).collect()
        }
    }

    fn decrypt_slots(ct: &Ciphertext<Self>, keys: &[FunctionKey<Self>]) -> Vec<RistrettoPoint> {
        let slots = ct.slots();
        // A table for ct_0 pays off from ≈ 32 keys (it costs ≈ 1.4k additions, a lookup ≈ 43).
        let c0_table = (keys.len() >= 32).then(|| WindowTable::new(ct.c0()));
        let mask = |key: &FunctionKey<Self>| match &c0_table {
            Some(t) => t.mul(key.sk()),
            None => ct.c0() * key.sk(),
        };
        // Many keys with small weights on a short ciphertext (CryptoNN's gradient path: 4-bit δ
        // over a batch): a table of every slot's multiples 1..=K once (n·(K−1) additions), then
        // one addition per non-zero weight; the bucket method costs ≈ 2K more per key.
        let max_mag = keys
            .iter()
            .flat_map(|k| k.y())
            .map(|y| y.unsigned_abs())
            .max()
            .unwrap_or(0);
        let table_cost = slots.len() as u64 * max_mag.saturating_sub(1);
        if (1..=SMALL_MULTIPLES_MAX).contains(&max_mag)
            && table_cost < keys.len() as u64 * 2 * max_mag
        {
            let k = max_mag as usize;
            let mut multiples = Vec::with_capacity(slots.len() * k);
            for p in slots {
                let mut acc = *p;
                multiples.push(acc);
                for _ in 1..k {
                    acc += p;
                    multiples.push(acc);
                }
            }
            return keys
                .iter()
                .map(|key| {
                    let mut sum = RistrettoPoint::identity();
                    for (i, &y) in key.y().iter().enumerate() {
                        if y == 0 {
                            continue;
                        }
                        let Some(m) = multiples.get(i * k + y.unsigned_abs() as usize - 1) else {
                            continue;
                        };
                        if y > 0 {
                            sum += m;
                        } else {
                            sum -= m;
                        }
                    }
                    sum - mask(key)
                })
                .collect();
        }
        let any_negative = keys.iter().any(|k| k.y().iter().any(|&v| v < 0));
        let negated: Vec<RistrettoPoint> = if any_negative {
            slots.iter().map(|p| -p).collect()
        } else {
            Vec::new()
        };
        let mut terms: Vec<(&RistrettoPoint, u64)> = Vec::with_capacity(slots.len());
        keys.iter()
            .map(|key| {
                terms.clear();
                for (i, (&y, slot)) in key.y().iter().zip(slots).enumerate() {
                    let (neg, mag) = split_sign(y);
                    let base = if neg { negated.get(i) } else { Some(slot) };
                    if let (Some(base), true) = (base, mag != 0) {
                        terms.push((base, mag));
                    }
                }
                multiexp::multiexp::<Self>(&terms) - mask(key)
            })
            .collect()
    }

    fn write_element(e: &RistrettoPoint, out: &mut Vec<u8>) {
        out.extend_from_slice(e.compress().as_bytes());
    }

    fn read_element(bytes: &[u8]) -> Result<RistrettoPoint> {
        CompressedRistretto::from_slice(bytes)
            .ok()
            .and_then(|c| c.decompress())
            .ok_or_else(|| Error::Decode("not a canonical ristretto255 point".into()))
    }

    fn write_scalar(s: &Scalar, out: &mut Vec<u8>) {
        out.extend_from_slice(s.as_bytes());
    }

    fn read_scalar(r: &mut Reader<'_>) -> Result<Scalar> {
        let b = r.array::<32>()?;
        Option::from(Scalar::from_canonical_bytes(b))
            .ok_or_else(|| Error::Decode("not a canonical ristretto255 scalar".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_constant_time_path_matches_the_basepoint_table() {
        let mut values: Vec<i64> = (-300..=300).collect();
        values.extend([
            7,
            8,
            9,
            15,
            16,
            17,
            255,
            256,
            4095,
            4096,
            65535,
            65536,
            (SMALL_LIMIT - 1) as i64,
            SMALL_LIMIT as i64,
            -(SMALL_LIMIT as i64) + 1,
            -(SMALL_LIMIT as i64),
            0x7_7777,
            -0x8_8888,
            i64::MAX,
            i64::MIN + 1,
        ]);
        for z in values {
            let expect = &scalar_i64(z) * RISTRETTO_BASEPOINT_TABLE;
            assert_eq!(Ristretto255::pow_gen_i64(z), expect, "z = {z}");
            if z.unsigned_abs() < SMALL_LIMIT {
                assert_eq!(small_mul_base(z), expect, "z = {z}");
            }
        }
    }
}
