//! A variable-time fixed-base table for one ristretto255 point, built with additions only.
//!
//! The server multiplies one ciphertext's `ct_0` by the secret part `sk_y` of every function key
//! it holds (128 keys for the forward pass, up to 128 per feature ciphertext on the gradient
//! path). dalek's `RistrettoBasepointTable::create` stores affine points and so pays one field
//! inversion per entry (256 per table) — for a table used ~128 times, that is most of the cost.
//! This table keeps extended coordinates (no inversion) and uses signed radix-2⁶ digits:
//!
//! - rows `t = 0..43`, row `t` holds `d·2^{6t}·P` for `d = 1..=32` (32 additions per row, and the
//!   next row's base `2^{6(t+1)}·P = 32·2^{6t}·P + 32·2^{6t}·P` costs one more);
//! - `s·P = Σ_t sign(d_t)·row_t[|d_t| − 1]` with `s = Σ_t d_t·2^{6t}`, `d_t ∈ [−32, 32)`:
//!   at most 43 additions, no doublings.
//!
//! The generic [`super::multiexp::WindowTable`] (unsigned digits, any group) does the same job
//! with twice the entries per row; measured on the 128-key forward decryption it is ≈ 25 %
//! slower (`glasslayer bench fe`: 18–20 ms against 14–16 ms), hence this ristretto-only twin.
//!
//! Variable time (the digit values choose the table entries and skip zeros): for the server's
//! own computations only, never for a client secret.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

/// Window width in bits.
const W: usize = 6;
/// Entries per row: multiples `1..=2^{W−1}`.
const HALF: usize = 1 << (W - 1);
/// Rows: enough windows for a 253-bit scalar plus the final carry.
const ROWS: usize = 256_usize.div_ceil(W);

/// `s = Σ_t d_t·2^{W·t}` with `d_t ∈ [−2^{W−1}, 2^{W−1})` (a reduced scalar is < 2²⁵³, so the
/// top window absorbs the last carry).
fn signed_digits(s: &Scalar) -> [i8; ROWS] {
    let bytes = s.as_bytes();
    let bit = |i: usize| -> u32 {
        bytes
            .get(i / 8)
            .map_or(0, |b| u32::from((b >> (i % 8)) & 1))
    };
    let mut digits = [0i8; ROWS];
    let mut carry = 0i32;
    for (t, d) in digits.iter_mut().enumerate() {
        let mut v = carry;
        for k in 0..W {
            v += (bit(W * t + k) as i32) << k;
        }
        carry = i32::from(v >= HALF as i32);
        v -= carry << W;
        *d = v as i8;
    }
    digits
}

/// Fixed-base table for one point (see the module documentation).
pub(crate) struct WindowTable {
    rows: Vec<[RistrettoPoint; HALF]>,
}

impl WindowTable {
    /// `ROWS · (HALF + 1)` additions (≈ 1.4k), no inversions.
    pub(crate) fn new(p: &RistrettoPoint) -> Self {
        let mut rows = Vec::with_capacity(ROWS);
        let mut base = *p;
        for _ in 0..ROWS {
            let mut row = [RistrettoPoint::identity(); HALF];
            let mut acc = base;
            for slot in row.iter_mut() {
                *slot = acc;
                acc += base;
            }
            let top = row[HALF - 1];
            base = top + top;
            rows.push(row);
        }
        Self { rows }
    }

    /// `s·P`, variable time.
    pub(crate) fn mul(&self, s: &Scalar) -> RistrettoPoint {
        let mut acc = RistrettoPoint::identity();
        for (row, &d) in self.rows.iter().zip(signed_digits(s).iter()) {
            if d == 0 {
                continue;
            }
            let Some(entry) = row.get(usize::from(d.unsigned_abs()) - 1) else {
                continue;
            };
            if d > 0 {
                acc += entry;
            } else {
                acc -= entry;
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

    #[test]
    fn digits_recompose_the_scalar() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let mut scalars = vec![Scalar::ZERO, Scalar::ONE, -Scalar::ONE, Scalar::from(31u64)];
        scalars.extend([Scalar::from(32u64), Scalar::from(u64::MAX)]);
        for _ in 0..50 {
            let mut wide = [0u8; 64];
            rng.fill_bytes(&mut wide);
            scalars.push(Scalar::from_bytes_mod_order_wide(&wide));
        }
        let radix = Scalar::from(1u64 << W);
        for s in scalars {
            let d = signed_digits(&s);
            assert!(d.iter().all(|&d| (-(HALF as i8)..HALF as i8).contains(&d)));
            let mut back = Scalar::ZERO;
            for &d in d.iter().rev() {
                let term = if d < 0 {
                    -Scalar::from(u64::from(d.unsigned_abs()))
                } else {
                    Scalar::from(d as u64)
                };
                back = back * radix + term;
            }
            assert_eq!(back, s);
        }
    }

    #[test]
    fn table_multiplication_matches_dalek() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        let p = RISTRETTO_BASEPOINT_POINT * Scalar::from_bytes_mod_order_wide(&wide);
        let table = WindowTable::new(&p);
        let mut scalars = vec![Scalar::ZERO, Scalar::ONE, -Scalar::ONE, Scalar::from(32u64)];
        for _ in 0..40 {
            rng.fill_bytes(&mut wide);
            scalars.push(Scalar::from_bytes_mod_order_wide(&wide));
        }
        for s in scalars {
            assert_eq!(table.mul(&s), p * s);
        }
    }
}
