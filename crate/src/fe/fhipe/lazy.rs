//! The Miller loop's one hot product, `f ← f·(a + b·v + v·w)` in `F_p¹²`, with one Montgomery
//! reduction per output coordinate ("lazy reduction", Aranha–Karabina–Longa–Gebotys–López,
//! EUROCRYPT 2011) and 32-bit limbs (wasm32 has no 64×64→128-bit multiply).
//!
//! Tower (arkworks' BLS12-381): `F_p² = F_p[u]/(u² + 1)`, `F_p⁶ = F_p²[v]/(v³ − ξ)` with
//! `ξ = 1 + u`, `F_p¹² = F_p⁶[w]/(w² − v)`. For `f = F0 + F1·w`, `F0 = x0 + x1·v + x2·v²`,
//! `F1 = y0 + y1·v + y2·v²` and the line `ℓ = (a + b·v) + v·w`:
//!
//! ```text
//! f·ℓ = (x0·a + x2·ξb + ξ·y1,  x1·a + x0·b + ξ·y2,  x2·a + x1·b + y0)
//!     + (y0·a + y2·ξb + ξ·x2,  y1·a + y0·b + x0,    y2·a + y1·b + x1)·w
//! ```
//!
//! Every output `F_p²` coefficient is a sum of two `F_p²` products plus an already reduced
//! term. The two products are taken Karatsuba-style (`T0 = Σ re·re`, `T1 = Σ im·im`,
//! `T2 = Σ (re+im)(re+im)`) as unreduced 768-bit integers in redundant signed 32-bit digits
//! (no carries in the inner loop), combined as `re = T0 − T1 + 2p²` and `im = T2 − T0 − T1`,
//! and each is reduced once: 36 limb-product blocks and 12 reductions per line, against 13
//! `F_p²` products (26 blocks of two products and a reduction each) in arkworks' `mul_by_014`.
//!
//! Bounds: inputs are fully reduced (`< p`), so `re + im < 2p < 2³⁸⁴` fits twelve limbs;
//! `0 ≤ T0 − T1 + 2p² < 4p²` and `0 ≤ T2 − T0 − T1 = Σ (re·im' + im·re') < 4p²`, both below
//! `p·2³⁸⁴` (`4p < 2³⁸⁴`), so Montgomery's reduction returns a value `< 2p` and one conditional
//! subtraction gives the canonical representative: the result is bit for bit arkworks'
//! (checked natively against `mul_by_014` in the tests).

use ark_bls12_381::{mont32, Fq, Fq12, Fq2};
use ark_ff::{BigInt, PrimeField};

const L: usize = 12;
const MASK: u64 = 0xffff_ffff;
/// `p` as twelve 32-bit limbs.
const P32: [u32; L] = mont32::limbs32::<6, L>(&<Fq as PrimeField>::MODULUS.0);
/// `−p⁻¹ mod 2³²`.
const INV: u32 = mont32::inv32(<Fq as PrimeField>::MODULUS.0[0]);
/// `2p²` as 24 32-bit limbs (the offset that keeps `T0 − T1` non-negative).
const TWO_P2: [u32; 2 * L] = two_p_squared();

const fn two_p_squared() -> [u32; 2 * L] {
    let mut t = [0u64; 2 * L + 1];
    let mut i = 0;
    while i < L {
        let mut c = 0u64;
        let mut j = 0;
        while j < L {
            let v = t[i + j] + (P32[i] as u64) * (P32[j] as u64) + c;
            t[i + j] = v & MASK;
            c = v >> 32;
            j += 1;
        }
        t[i + L] = c;
        i += 1;
    }
    let mut out = [0u32; 2 * L];
    let mut c = 0u64;
    let mut k = 0;
    while k < 2 * L {
        let v = (t[k] << 1) + c;
        out[k] = (v & MASK) as u32;
        c = v >> 32;
        k += 1;
    }
    out
}

/// An `F_p²` element's limbs: real part, imaginary part and their (unreduced) sum.
#[derive(Clone, Copy)]
struct Limbs {
    re: [u32; L],
    im: [u32; L],
    sum: [u32; L],
}

#[inline(always)]
fn limbs(a: &Fq2) -> Limbs {
    let re: [u32; L] = mont32::limbs32(&(a.c0.0).0);
    let im: [u32; L] = mont32::limbs32(&(a.c1.0).0);
    let mut sum = [0u32; L];
    let mut c = 0u64;
    for k in 0..L {
        let v = re[k] as u64 + im[k] as u64 + c;
        sum[k] = v as u32;
        c = v >> 32;
    }
    Limbs { re, im, sum }
}

/// `acc += a·b` in redundant digits (each limb product split into its two halves).
#[inline(always)]
fn mac(acc: &mut [i64; 2 * L], a: &[u32; L], b: &[u32; L]) {
    for i in 0..L {
        let bi = b[i] as u64;
        for j in 0..L {
            let p = a[j] as u64 * bi;
            acc[i + j] += (p & MASK) as i64;
            acc[i + j + 1] += (p >> 32) as i64;
        }
    }
}

/// Montgomery reduction of a non-negative value `< p·2³⁸⁴` given in redundant signed digits:
/// the canonical element `value·2⁻³⁸⁴ mod p`.
#[inline(always)]
fn redc(d: &[i64; 2 * L]) -> Fq {
    let mut t = [0u64; 2 * L];
    let mut c = 0i64;
    for k in 0..2 * L {
        let v = d[k] + c;
        t[k] = v as u64 & MASK;
        c = v >> 32;
    }
    debug_assert_eq!(c, 0, "lazy sum out of range");
    for i in 0..L {
        let q = (t[i] as u32).wrapping_mul(INV) as u64;
        let mut c = 0u64;
        for j in 0..L {
            // t[i + L − 1] may hold up to 2³³ (an earlier carry), but P32[L−1] < 2²⁹.
            let v = t[i + j] + q * P32[j] as u64 + c;
            t[i + j] = v & MASK;
            c = v >> 32;
        }
        t[i + L] += c;
    }
    let mut r = [0u64; 6];
    for (k, limb) in r.iter_mut().enumerate() {
        *limb = t[L + 2 * k] | (t[L + 2 * k + 1] << 32);
    }
    // r < 2p: subtract p once if r ≥ p.
    let m = &<Fq as PrimeField>::MODULUS.0;
    let mut geq = true;
    for k in (0..6).rev() {
        if r[k] != m[k] {
            geq = r[k] > m[k];
            break;
        }
    }
    if geq {
        let mut borrow = false;
        for k in 0..6 {
            let (d, b1) = r[k].overflowing_sub(m[k]);
            let (d, b2) = d.overflowing_sub(borrow as u64);
            r[k] = d;
            borrow = b1 | b2;
        }
    }
    Fq::new_unchecked(BigInt(r))
}

/// `x·y + x2·y2` in `F_p²`, two reductions.
#[inline(always)]
fn two_products(x: &Limbs, y: &Limbs, x2: &Limbs, y2: &Limbs) -> Fq2 {
    let mut t0 = [0i64; 2 * L];
    let mut t1 = [0i64; 2 * L];
    let mut t2 = [0i64; 2 * L];
    mac(&mut t0, &x.re, &y.re);
    mac(&mut t0, &x2.re, &y2.re);
    mac(&mut t1, &x.im, &y.im);
    mac(&mut t1, &x2.im, &y2.im);
    mac(&mut t2, &x.sum, &y.sum);
    mac(&mut t2, &x2.sum, &y2.sum);
    let mut re = [0i64; 2 * L];
    for k in 0..2 * L {
        re[k] = t0[k] - t1[k] + TWO_P2[k] as i64;
        t2[k] -= t0[k] + t1[k];
    }
    Fq2::new(redc(&re), redc(&t2))
}

/// `ξ·a` with `ξ = 1 + u`.
#[inline(always)]
fn times_xi(a: &Fq2) -> Fq2 {
    Fq2::new(a.c0 - a.c1, a.c0 + a.c1)
}

/// `f ← f·(a + b·v + v·w)` (= arkworks' `f.mul_by_014(a, b, 1)`), lazily reduced.
pub(crate) fn mul_by_line(f: &mut Fq12, a: &Fq2, b: &Fq2) {
    let la = limbs(a);
    let lb = limbs(b);
    let lxb = limbs(&times_xi(b));
    let x = [limbs(&f.c0.c0), limbs(&f.c0.c1), limbs(&f.c0.c2)];
    let y = [limbs(&f.c1.c0), limbs(&f.c1.c1), limbs(&f.c1.c2)];
    let (x0, x1, x2) = (f.c0.c0, f.c0.c1, f.c0.c2);
    let (y0, y1, y2) = (f.c1.c0, f.c1.c1, f.c1.c2);
    f.c0.c0 = two_products(&x[0], &la, &x[2], &lxb) + times_xi(&y1);
    f.c0.c1 = two_products(&x[1], &la, &x[0], &lb) + times_xi(&y2);
    f.c0.c2 = two_products(&x[2], &la, &x[1], &lb) + y0;
    f.c1.c0 = two_products(&y[0], &la, &y[2], &lxb) + times_xi(&x2);
    f.c1.c1 = two_products(&y[1], &la, &y[0], &lb) + x0;
    f.c1.c2 = two_products(&y[2], &la, &y[1], &lb) + x1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, UniformRand, Zero};
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn edge_values() -> Vec<Fq> {
        let m1 = -Fq::ONE;
        vec![Fq::zero(), Fq::ONE, m1, m1 - Fq::ONE, Fq::from(2u64)]
    }

    #[test]
    fn matches_arkworks_mul_by_014() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let edges = edge_values();
        for round in 0..300 {
            let mut f = Fq12::rand(&mut rng);
            let mut a = Fq2::rand(&mut rng);
            let mut b = Fq2::rand(&mut rng);
            if round < 50 {
                // Extreme coordinates (p − 1, 0, …) everywhere: the bounds' worst cases.
                let e = |i: usize| edges[(round + i) % edges.len()];
                a = Fq2::new(e(0), e(1));
                b = Fq2::new(e(2), e(3));
                if round < 25 {
                    f = Fq12::new(
                        ark_bls12_381::Fq6::new(
                            Fq2::new(e(4), e(0)),
                            Fq2::new(e(1), e(4)),
                            Fq2::new(e(2), e(2)),
                        ),
                        ark_bls12_381::Fq6::new(
                            Fq2::new(e(3), e(3)),
                            Fq2::new(e(0), e(1)),
                            Fq2::new(e(4), e(2)),
                        ),
                    );
                }
            }
            let mut expect = f;
            expect.mul_by_014(&a, &b, &Fq2::ONE);
            let mut ours = f;
            mul_by_line(&mut ours, &a, &b);
            assert_eq!(ours, expect, "round {round}");
        }
    }

    #[test]
    fn two_p_squared_is_right() {
        use num_bigint::BigUint;
        let p = BigUint::from_bytes_le(
            &<Fq as PrimeField>::MODULUS
                .0
                .iter()
                .flat_map(|l| l.to_le_bytes())
                .collect::<Vec<_>>(),
        );
        let ours = BigUint::from_slice(&TWO_P2);
        assert_eq!(ours, &p * &p * 2u32);
    }
}
