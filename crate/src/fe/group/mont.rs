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
        }
    }

    /// `a·b·R⁻¹ mod p`.
    pub(crate) fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        match self.n {
            32 => mul_n::<32>(a, b, &self.p, self.pinv),
            48 => mul_n::<48>(a, b, &self.p, self.pinv),
            _ => mul_n::<MAX_LIMBS>(&pad(a), &pad(b), &pad(&self.p), self.pinv)[..self.n].to_vec(),
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

/// Zero-extend to `MAX_LIMBS` limbs (the generic fallback; the RFC 7919 sizes use the
/// fixed-size paths).
fn pad(a: &[u64]) -> Vec<u64> {
    let mut v = a.to_vec();
    v.resize(MAX_LIMBS, 0);
    v
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
