//! Montgomery arithmetic modulo an odd prime `p` of `N·64` bits (N = 32 for 2048 bits, 48 for
//! 3072 bits). Elements are little-endian limb vectors holding `a·R mod p` (`R = 2^{64N}`),
//! always fully reduced, so equal elements have equal limbs (a canonical form).
//!
//! `mul(aR, bR) = abR mod p` by CIOS (coarsely integrated operand scanning): `2N²` word
//! multiplications, no division.

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// The largest supported modulus, in 64-bit limbs.
pub(crate) const MAX_LIMBS: usize = 48;

pub(crate) struct Mont {
    pub(crate) p: Vec<u64>,
    pub(crate) p_big: BigUint,
    n: usize,
    /// `−p⁻¹ mod 2⁶⁴`.
    pinv: u64,
    /// `R² mod p`.
    r2: Vec<u64>,
    /// `R mod p` (the Montgomery form of 1).
    pub(crate) one: Vec<u64>,
    /// `R⁻¹ mod p` (the generic path for sizes other than 32 and 48 limbs).
    r_inv: BigUint,
}

#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = acc as u128 + (a as u128) * (b as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

impl Mont {
    pub(crate) fn new(p: &BigUint) -> Self {
        let mut limbs = p.to_u64_digits();
        let n = limbs.len();
        assert!(n <= MAX_LIMBS && n > 0, "modulus too large");
        limbs.resize(n, 0);
        let p0 = limbs[0];
        // Newton iteration for p0⁻¹ mod 2⁶⁴ (p0 odd).
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        }
        let r = BigUint::one() << (64 * n);
        let to_limbs = |x: BigUint| {
            let mut v = x.to_u64_digits();
            v.resize(n, 0);
            v
        };
        Mont {
            p: limbs,
            p_big: p.clone(),
            n,
            pinv: inv.wrapping_neg(),
            r2: to_limbs((&r * &r) % p),
            one: to_limbs(&r % p),
            r_inv: (&r % p).modinv(p).unwrap_or_default(),
        }
    }

    /// `a·b·R⁻¹ mod p`.
    pub(crate) fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        match self.n {
            32 => mul_n::<32>(a, b, &self.p, self.pinv),
            48 => mul_n::<48>(a, b, &self.p, self.pinv),
            // Other sizes (unused by the RFC 7919 groups): plain `a·b·R⁻¹ mod p`. Padding to
            // MAX_LIMBS limbs would change R (the property tests caught that).
            _ => {
                let big = |x: &[u64]| {
                    x.iter()
                        .rev()
                        .fold(BigUint::zero(), |acc, &l| (acc << 64) + l)
                };
                let v = (big(a) * big(b) * &self.r_inv) % &self.p_big;
                let mut out = v.to_u64_digits();
                out.resize(self.n, 0);
                out
            }
        }
    }

    /// `a²·R⁻¹ mod p`: the off-diagonal products once and doubled, then a separate Montgomery
    /// reduction (≈ 1.5·N² word products instead of 2·N²).
    pub(crate) fn sqr(&self, a: &[u64]) -> Vec<u64> {
        match self.n {
            32 => sqr_n::<32>(a, &self.p, self.pinv),
            48 => sqr_n::<48>(a, &self.p, self.pinv),
            _ => self.mul(a, a),
        }
    }

    /// The Montgomery form of `x < p`.
    pub(crate) fn to_mont(&self, x: &BigUint) -> Vec<u64> {
        let mut v = x.to_u64_digits();
        v.resize(self.n, 0);
        self.mul(&v, &self.r2)
    }

    /// The canonical value of a Montgomery form.
    pub(crate) fn to_canonical(&self, a: &[u64]) -> BigUint {
        let mut one = vec![0u64; self.n];
        one[0] = 1;
        let v = self.mul(a, &one);
        let mut bytes = Vec::with_capacity(self.n * 8);
        for l in &v {
            bytes.extend_from_slice(&l.to_le_bytes());
        }
        BigUint::from_bytes_le(&bytes)
    }

    /// Modular inverse of a Montgomery form (`None` for 0).
    pub(crate) fn invert(&self, a: &[u64]) -> Option<Vec<u64>> {
        let x = self.to_canonical(a);
        if x.is_zero() {
            return None;
        }
        x.modinv(&self.p_big).map(|inv| self.to_mont(&inv))
    }

    /// Invert every element with one inversion (Montgomery's trick); `None` if any is zero.
    pub(crate) fn batch_invert(&self, xs: &[Vec<u64>]) -> Option<Vec<Vec<u64>>> {
        if xs.is_empty() {
            return Some(Vec::new());
        }
        let mut prefix = Vec::with_capacity(xs.len());
        let mut acc = self.one.clone();
        for x in xs {
            acc = self.mul(&acc, x);
            prefix.push(acc.clone());
        }
        let mut inv = self.invert(&acc)?;
        let mut out = vec![Vec::new(); xs.len()];
        for i in (0..xs.len()).rev() {
            out[i] = if i == 0 {
                inv.clone()
            } else {
                self.mul(&inv, &prefix[i - 1])
            };
            inv = self.mul(&inv, &xs[i]);
        }
        Some(out)
    }
}

/// CIOS Montgomery multiplication with the limb count known at compile time (no bounds checks
/// in the inner loops).
#[inline(always)]
fn mul_n<const N: usize>(a: &[u64], b: &[u64], p: &[u64], pinv: u64) -> Vec<u64> {
    let (a, b, p) = (&a[..N], &b[..N], &p[..N]);
    let mut t = [0u64; N];
    let mut top = 0u64;
    for &bi in b {
        let mut c = 0u64;
        for j in 0..N {
            let (lo, hi) = mac(t[j], a[j], bi, c);
            t[j] = lo;
            c = hi;
        }
        let (s, o) = top.overflowing_add(c);
        let top_hi = o as u64;
        let m = t[0].wrapping_mul(pinv);
        let (_, mut c) = mac(t[0], m, p[0], 0);
        for j in 1..N {
            let (lo, hi) = mac(t[j], m, p[j], c);
            t[j - 1] = lo;
            c = hi;
        }
        let (s2, o2) = s.overflowing_add(c);
        t[N - 1] = s2;
        top = top_hi + o2 as u64;
    }
    if top != 0 || !less_than(&t, p) {
        sub_in_place(&mut t, p);
    }
    t.to_vec()
}

/// Montgomery squaring with the limb count known at compile time.
#[inline(always)]
fn sqr_n<const N: usize>(a: &[u64], p: &[u64], pinv: u64) -> Vec<u64> {
    let (a, p) = (&a[..N], &p[..N]);
    let mut t = [0u64; 2 * MAX_LIMBS + 1];
    for i in 0..N {
        let mut c = 0u64;
        for j in i + 1..N {
            let (lo, hi) = mac(t[i + j], a[i], a[j], c);
            t[i + j] = lo;
            c = hi;
        }
        t[i + N] = c;
    }
    let mut carry = 0u64;
    for v in t[..2 * N].iter_mut() {
        let x = *v;
        *v = (x << 1) | carry;
        carry = x >> 63;
    }
    let mut c = 0u64;
    for i in 0..N {
        let (lo, hi) = mac(t[2 * i], a[i], a[i], c);
        t[2 * i] = lo;
        let (s, o) = t[2 * i + 1].overflowing_add(hi);
        t[2 * i + 1] = s;
        c = o as u64;
    }
    for i in 0..N {
        let m = t[i].wrapping_mul(pinv);
        let mut c = 0u64;
        for j in 0..N {
            let (lo, hi) = mac(t[i + j], m, p[j], c);
            t[i + j] = lo;
            c = hi;
        }
        let mut k = i + N;
        while c != 0 && k <= 2 * N {
            let (s, o) = t[k].overflowing_add(c);
            t[k] = s;
            c = o as u64;
            k += 1;
        }
    }
    let mut out = t[N..2 * N].to_vec();
    if t[2 * N] != 0 || !less_than(&out, p) {
        sub_in_place(&mut out, p);
    }
    out
}

fn less_than(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        *x = d2;
        borrow = b1 || b2;
    }
}

/// The Jacobi symbol `(a / n)` for odd `n > 0` (binary algorithm on limb vectors).
pub(crate) fn jacobi(a: &BigUint, n: &BigUint) -> i32 {
    let mut a = a % n;
    let mut n = n.clone();
    let mut t = 1i32;
    while !a.is_zero() {
        let tz = a.trailing_zeros().unwrap_or(0);
        if tz > 0 {
            a >>= tz;
            let r = (n.iter_u64_digits().next().unwrap_or(0) & 7) as u8;
            if tz % 2 == 1 && (r == 3 || r == 5) {
                t = -t;
            }
        }
        // both odd now
        if a < n {
            std::mem::swap(&mut a, &mut n);
            let a3 = a.iter_u64_digits().next().unwrap_or(0) & 3;
            let n3 = n.iter_u64_digits().next().unwrap_or(0) & 3;
            if a3 == 3 && n3 == 3 {
                t = -t;
            }
        }
        a -= &n;
    }
    if n.is_one() {
        t
    } else {
        0
    }
}

/// Differential property tests: Montgomery products against `BigUint`, the Jacobi symbol against
/// Euler's criterion, on random and structured values (`p − 2^k`, `2^k − 1`, all-ones limbs,
/// `R mod p`).
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::fe::group::ffdhe::{FFDHE2048_P, FFDHE3072_P};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn prime(hex: &str) -> BigUint {
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
    }

    /// A value below `p`: random limbs, or a structured one chosen by `kind`.
    fn value(p: &BigUint, n: usize, kind: u8, k: u32, limbs: &[u64]) -> BigUint {
        let bits = 64 * n as u32;
        let k = k % bits;
        let r = BigUint::one() << bits;
        let v = match kind % 7 {
            0 => p - (BigUint::one() << k) % p,
            1 => (BigUint::one() << k) - 1u32,
            2 => &r - 1u32,
            3 => &r % p,
            4 => p - 1u32,
            5 => BigUint::from(k),
            _ => limbs
                .iter()
                .rev()
                .fold(BigUint::zero(), |acc, &l| (acc << 64) + l),
        };
        v % p
    }

    fn products_agree(p: &BigUint, cases: u32) {
        let mont = Mont::new(p);
        let n = mont.n;
        let strategy = (
            (
                any::<u8>(),
                any::<u32>(),
                prop::collection::vec(any::<u64>(), n),
            ),
            (
                any::<u8>(),
                any::<u32>(),
                prop::collection::vec(any::<u64>(), n),
            ),
        );
        TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        })
        .run(&strategy, |((ka, ea, la), (kb, eb, lb))| {
            let a = value(p, n, ka, ea, &la);
            let b = value(p, n, kb, eb, &lb);
            let (am, bm) = (mont.to_mont(&a), mont.to_mont(&b));
            prop_assert_eq!(mont.to_canonical(&am), a.clone());
            let expect = (&a * &b) % p;
            prop_assert_eq!(mont.to_canonical(&mont.mul(&am, &bm)), expect);
            prop_assert_eq!(mont.to_canonical(&mont.sqr(&am)), (&a * &a) % p);
            // Fully reduced: the limbs are below p.
            let raw = mont.mul(&am, &bm);
            prop_assert!(less_than(&raw, &mont.p));
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn montgomery_products_match_biguint_2048() {
        products_agree(&prime(FFDHE2048_P), 3_000);
    }

    #[test]
    fn montgomery_products_match_biguint_3072() {
        products_agree(&prime(FFDHE3072_P), 1_000);
    }

    #[test]
    fn montgomery_products_match_biguint_generic_sizes() {
        // Moduli of other limb counts take the generic padded path.
        for p in [
            BigUint::from(0xffff_ffff_ffff_ffc5u64), // 2^64 − 59
            (BigUint::one() << 127) - 1u32,          // a Mersenne prime
            (BigUint::one() << 255) - 19u32,         // Curve25519's p
        ] {
            products_agree(&p, 500);
        }
    }

    #[test]
    fn jacobi_matches_euler() {
        // For an odd prime p, (a/p) ≡ a^((p−1)/2) mod p; for the composite n = p·q it is the
        // product of the two Legendre symbols.
        let small_primes: [u64; 6] = [3, 5, 7, 1_000_003, 0xffff_ffff_ffff_ffc5, 2_147_483_647];
        let p2048 = prime(FFDHE2048_P);
        let legendre = |a: &BigUint, p: &BigUint| -> i32 {
            let e = a.modpow(&((p - 1u32) >> 1), p);
            if e.is_zero() {
                0
            } else if e.is_one() {
                1
            } else {
                -1
            }
        };
        TestRunner::new(Config {
            cases: 2_000,
            failure_persistence: None,
            ..Config::default()
        })
        .run(
            &(
                prop::collection::vec(any::<u64>(), 1..34),
                0..small_primes.len(),
                0..small_primes.len(),
                any::<bool>(),
            ),
            |(limbs, i, j, big)| {
                let a = limbs
                    .iter()
                    .fold(BigUint::zero(), |acc, &l| (acc << 64) + l);
                if big {
                    prop_assert_eq!(jacobi(&a, &p2048), legendre(&a, &p2048));
                } else {
                    let (p, q) = (
                        BigUint::from(small_primes[i]),
                        BigUint::from(small_primes[j]),
                    );
                    prop_assert_eq!(jacobi(&a, &p), legendre(&a, &p));
                    let n = &p * &q;
                    prop_assert_eq!(jacobi(&a, &n), legendre(&a, &p) * legendre(&a, &q));
                }
                Ok(())
            },
        )
        .unwrap();
    }
}
