//! A constant-time fixed-base table for one ristretto255 point, built with additions only.
//!
//! The IPFE client computes `r·H_i` for every slot of the public key with its secret encryption
//! randomness `r`. dalek's `RistrettoBasepointTable::create` stores affine points, so each table
//! costs 256 field inversions — ≈ 3 ms per table in wasm (2.4 s for 784 slots), which is why the
//! browser used to fall back to a variable-base multiplication per slot (≈ 110 µs each, 86 ms a
//! digit). This table keeps extended coordinates (no inversion) and uses only dalek's public
//! point API.
//!
//! Layout (signed radix 16, rows `S` digits apart, `S` = [`SPREAD`]):
//!
//! - `r = Σ_{i<64} d_i·16^i` with `d_i ∈ [−8, 8)` (recoded without branches: [`signed_radix16`]);
//! - row `k` (`k < 64/S`) holds `j·16^{S·k}·P` for `j = 1..=8`;
//! - `r·P = Σ_{p<S} 16^p·(Σ_k d_{S·k+p}·row_k)`, evaluated Horner-style from `p = S − 1` down:
//!   64 table additions and `4·(S − 1)` doublings.
//!
//! Build cost per table: `64/S` rows × (7 additions for the multiples, 1 + `4·(S − 1)` for the
//! next row's base). Size: `64/S · 8` points of 160 bytes (4 field elements of 40 bytes in both
//! the 32-bit and the 64-bit backend).
//!
//! Constant time with respect to the scalar: the digits are computed arithmetically, every
//! lookup reads all 8 entries of its row (`ct_eq` on `|d|`, the identity when `d = 0`) and
//! negates with `conditional_negate`; the sequence of additions and doublings is fixed. Nothing
//! branches on or indexes by a secret value.
//!
//! ## Choice of `S` (measured)
//!
//! Browser (headless Chromium, one Web Worker, `npm run bench -- --runs 5 --only ipfe-encrypt
//! --skip-native`, medians, 2-core machine shared with other jobs; n = 784):
//!
//! | `S` | rows | KB/point (MB for 784) | encrypt one digit | tables for 784 slots |
//! |---:|---:|---:|---:|---:|
//! | 1 | 64 | 80 (63) | 43.1 ms | 161 ms |
//! | **2** | 32 | 40 (31) | 44.2 ms | 120 ms |
//! | 4 | 16 | 20 (16) | 48.7 ms | 108 ms |
//!
//! `S = 2`: `S = 1` saves only its 4 doublings (2.5 %) for twice the memory and a third more
//! build time; `S = 4` costs 10 % per encryption. For comparison, before this table the browser
//! took 86 ms per digit (variable-base `r·H_i`, dalek's tables being too slow to build there).
//!
//! Natively dalek's `RistrettoBasepointTable` stays (`glasslayer bench fe --runs 5 --backends
//! ristretto255`, idle machine, 2 threads): encrypt 5.5 ms with it against 6.9–8.4 ms with this
//! table (dalek's entries are affine: mixed additions; its doublings are dedicated), tables
//! 430 ms against 41–45 ms — a one-time cost per key, amortised after ≈ 200 encryptions. See
//! `ristretto::EncryptTable`.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use subtle::{Choice, ConditionallyNegatable, ConditionallySelectable, ConstantTimeEq};

/// Digits per row group (`S` in the module documentation; chosen by measurement).
const SPREAD: usize = 2;
/// Signed radix-16 digits of a scalar.
const DIGITS: usize = 64;
/// Entries per row: multiples `1..=8`.
const ENTRIES: usize = 8;

/// `s = Σ_{i<64} d_i·16^i` with `d_i ∈ [−8, 8)`, without branches on `s`.
///
/// A canonical scalar is `< ℓ < 2^253`, so its top nibble is at most 1 and the final carry is
/// absorbed by `d_63 ≤ 2`.
pub(crate) fn signed_radix16(s: &Scalar) -> [i8; DIGITS] {
    let mut d = [0i8; DIGITS];
    for (pair, &byte) in d.chunks_exact_mut(2).zip(s.as_bytes()) {
        pair[0] = (byte & 15) as i8;
        pair[1] = (byte >> 4) as i8;
    }
    let mut carry = 0i8;
    for di in d.iter_mut() {
        // di + carry ∈ [0, 16]; subtract 16 when it is ≥ 8 (arithmetically, no branch).
        let v = *di + carry;
        carry = (v + 8) >> 4;
        *di = v - (carry << 4);
    }
    d
}

/// One row: `[1·B, 2·B, …, 8·B]`.
type Row = [RistrettoPoint; ENTRIES];

/// `d·B` from a row, reading every entry: the identity for `d = 0`, negated for `d < 0`.
/// Requires `d ∈ [−8, 8]`.
fn select(row: &Row, d: i8) -> RistrettoPoint {
    let mask = d >> 7; // −1 when d < 0, else 0 (arithmetic shift)
    let abs = ((d + mask) ^ mask) as u8;
    let mut p = RistrettoPoint::identity();
    for (j, entry) in (1u8..).zip(row.iter()) {
        p.conditional_assign(entry, abs.ct_eq(&j));
    }
    p.conditional_negate(Choice::from((mask as u8) & 1));
    p
}

/// `2^k·P` by repeated addition (dalek exposes no public doubling for ristretto points).
fn times_pow2(mut p: RistrettoPoint, k: usize) -> RistrettoPoint {
    for _ in 0..k {
        p = p + p;
    }
    p
}

/// A constant-time fixed-base table for one point with rows `S` digits apart (see the module
/// documentation; `S` divides 64).
pub struct FixedBaseTable<const S: usize = SPREAD> {
    rows: Vec<Row>,
}

impl<const S: usize> FixedBaseTable<S> {
    /// Tabulate `P`: additions only, no inversions.
    pub fn new(p: &RistrettoPoint) -> Self {
        let row_count = DIGITS / S;
        let mut rows = Vec::with_capacity(row_count);
        let mut base = *p;
        for _ in 0..row_count {
            let mut row = [base; ENTRIES];
            let mut acc = base;
            for entry in row.iter_mut().skip(1) {
                acc += base;
                *entry = acc;
            }
            // acc = 8·base; the next row's base is 16^S·base.
            base = times_pow2(acc + acc, 4 * (S - 1));
            rows.push(row);
        }
        FixedBaseTable { rows }
    }

    /// `s·P` in constant time with respect to `s`.
    pub fn mul(&self, s: &Scalar) -> RistrettoPoint {
        let digits = signed_radix16(s);
        let mut acc = RistrettoPoint::identity();
        for phase in (0..S).rev() {
            if phase + 1 < S {
                acc = times_pow2(acc, 4);
            }
            for (row, group) in self.rows.iter().zip(digits.chunks_exact(S)) {
                // `phase < S` = the chunk length: the lookup cannot fail.
                let d = group.get(phase).copied().unwrap_or(0);
                acc += select(row, d);
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    use rand::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    fn random_scalar(rng: &mut ChaCha20Rng) -> Scalar {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }

    /// Scalars whose signed digits hit the extremes: every nibble 8 (digit −8 with carry),
    /// every nibble 7 (digit 7), alternating, and ℓ − 1, 0, 1, small values.
    fn edge_scalars() -> Vec<Scalar> {
        let from_nibble = |n: u8| {
            let mut b = [n * 0x11; 32];
            b[31] = 0x0f & n; // stay below 2^252 < ℓ
            Scalar::from_canonical_bytes(b).unwrap()
        };
        let mut alt = [0x78u8; 32];
        alt[31] = 0x08;
        vec![
            Scalar::ZERO,
            Scalar::ONE,
            -Scalar::ONE, // ℓ − 1
            -Scalar::from(8u64),
            Scalar::from(7u64),
            Scalar::from(8u64),
            Scalar::from(15u64),
            Scalar::from(16u64),
            Scalar::from(u64::MAX),
            from_nibble(7),
            from_nibble(8),
            from_nibble(0xf),
            Scalar::from_canonical_bytes(alt).unwrap(),
        ]
    }

    #[test]
    fn digits_are_in_range_and_recompose_the_scalar() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let mut scalars = edge_scalars();
        scalars.extend((0..100).map(|_| random_scalar(&mut rng)));
        let sixteen = Scalar::from(16u64);
        let mut seen_min = false;
        let mut seen_max = false;
        for s in scalars {
            let d = signed_radix16(&s);
            assert!(d.iter().all(|&v| (-8..8).contains(&v)), "{d:?}");
            seen_min |= d.contains(&-8);
            seen_max |= d.contains(&7);
            let back = d.iter().rev().fold(Scalar::ZERO, |acc, &v| {
                let term = Scalar::from(u64::from(v.unsigned_abs()));
                acc * sixteen + if v < 0 { -term } else { term }
            });
            assert_eq!(back, s);
        }
        assert!(
            seen_min && seen_max,
            "the edge scalars reach digits −8 and 7"
        );
    }

    #[test]
    fn select_reads_the_right_multiple() {
        let row: Row =
            std::array::from_fn(|j| RISTRETTO_BASEPOINT_POINT * Scalar::from(j as u64 + 1));
        for d in -8i8..=8 {
            let want = RISTRETTO_BASEPOINT_POINT * Scalar::from(u64::from(d.unsigned_abs()));
            let want = if d < 0 { -want } else { want };
            assert_eq!(select(&row, d), want, "d = {d}");
        }
    }

    #[test]
    fn table_multiplication_equals_variable_base() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        let mut scalars = edge_scalars();
        scalars.extend((0..30).map(|_| random_scalar(&mut rng)));
        for p in [
            RISTRETTO_BASEPOINT_POINT,
            RISTRETTO_BASEPOINT_POINT * random_scalar(&mut rng),
        ] {
            let t1 = FixedBaseTable::<1>::new(&p);
            let t2 = FixedBaseTable::<2>::new(&p);
            let t4 = FixedBaseTable::<4>::new(&p);
            for s in &scalars {
                let want = p * s;
                assert_eq!(t1.mul(s), want, "S = 1, s = {s:?}");
                assert_eq!(t2.mul(s), want, "S = 2, s = {s:?}");
                assert_eq!(t4.mul(s), want, "S = 4, s = {s:?}");
            }
        }
        let identity = FixedBaseTable::<SPREAD>::new(&RistrettoPoint::identity());
        assert_eq!(
            identity.mul(&random_scalar(&mut rng)),
            RistrettoPoint::identity()
        );
    }
}

/// Differential property test against dalek: random and structured scalars (0, ±1, 2ᵏ, 2ᵏ − 1,
/// ℓ − 2ᵏ, all-0xff bytes reduced, all nibbles 8) times random points.
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::fe::group::ristretto_window::WindowTable;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    pub(crate) fn structured_scalar(kind: u8, k: u32, bytes: [u8; 32]) -> Scalar {
        let two_k = Scalar::from(2u64).pow_vartime_u32(k % 253);
        match kind % 8 {
            0 => Scalar::ZERO,
            1 => Scalar::ONE,
            2 => -Scalar::ONE,
            3 => two_k,
            4 => two_k - Scalar::ONE,
            5 => -two_k,
            6 => Scalar::from_bytes_mod_order([if k % 2 == 0 { 0xff } else { 0x88 }; 32]),
            _ => Scalar::from_bytes_mod_order(bytes),
        }
    }

    trait PowU32 {
        fn pow_vartime_u32(&self, e: u32) -> Self;
    }
    impl PowU32 for Scalar {
        fn pow_vartime_u32(&self, e: u32) -> Self {
            (0..e).fold(Scalar::ONE, |acc, _| acc * self)
        }
    }

    #[test]
    fn fixed_base_and_window_tables_match_dalek() {
        let strategy = (
            any::<u64>(),
            prop::collection::vec((any::<u8>(), any::<u32>(), any::<[u8; 32]>()), 8),
        );
        TestRunner::new(Config {
            cases: if cfg!(target_arch = "wasm32") {
                20
            } else {
                100
            },
            failure_persistence: None,
            ..Config::default()
        })
        .run(&strategy, |(p, scalars)| {
            let point = RISTRETTO_BASEPOINT_POINT * Scalar::from(p | 1);
            let fixed = FixedBaseTable::<SPREAD>::new(&point);
            let fixed1 = FixedBaseTable::<1>::new(&point);
            let window = WindowTable::new(&point);
            for (kind, k, bytes) in scalars {
                let s = structured_scalar(kind, k, bytes);
                let expect = point * s;
                prop_assert_eq!(fixed.mul(&s), expect);
                prop_assert_eq!(fixed1.mul(&s), expect);
                prop_assert_eq!(window.mul(&s), expect);
            }
            Ok(())
        })
        .unwrap();
    }
}
