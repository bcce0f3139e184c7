//! `Z_q` arithmetic on Montgomery representatives with one reduction per output (for the
//! basis products of [`super::basis`], the bulk of FHIPE keygen and encryption in wasm).
//!
//! - Small integer multiples: the map from an element to its Montgomery representative is
//!   linear mod `q`, so `Σ w_i·rep(L_i)` accumulated in signed 32-bit-limb `i64` slots (no
//!   carries) is, mod `q`, the representative of `Σ w_i·L_i`: [`from_wide_signed`] reduces it.
//! - Full products: [`Acc29`] sums products of nine 29-bit limbs without carries (settled every
//!   [`PRODUCTS29`] products) and [`redc`] reduces the double-width sum once.
//!
//! arkworks' own products run natively, where they are faster; these paths are checked against
//! them in `basis`'s tests.

use super::basis::to_fr;
use ark_bls12_381::{mont32, Fr};
use ark_ff::{BigInt, BigInteger, PrimeField};

/// `q` as eight 32-bit limbs (the patched ark-bls12-381's helpers: `vendor/…/fields/mont32.rs`).
pub(super) const Q32: [u32; 8] = mont32::limbs32::<4, 8>(&<Fr as PrimeField>::MODULUS.0);

/// `−q⁻¹ mod 2³²`.
pub(super) const Q_INV32: u32 = mont32::inv32(<Fr as PrimeField>::MODULUS.0[0]);

pub(super) const MASK32: u64 = 0xffff_ffff;

/// The element whose Montgomery representative is `r + hi·2²⁵⁶` (`r` any 256-bit value,
/// `hi` signed). `2²⁵⁶ = R`, so `hi·R` is the representative of the element `hi`.
pub(super) fn from_representative(r: [u64; 4], hi: i64) -> Fr {
    let mut r = BigInt(r);
    // r < 2²⁵⁶ < 3q: at most two subtractions.
    while r >= <Fr as PrimeField>::MODULUS {
        r.sub_with_borrow(&<Fr as PrimeField>::MODULUS);
    }
    let lo = Fr::new_unchecked(r);
    if hi == 0 {
        lo
    } else {
        lo + to_fr(hi)
    }
}

/// The element whose representative is `Σ_t s_t·2^{32t}` (signed limbs, `|s_t| < 2⁶²`).
pub(super) fn from_wide_signed(s: &[i64; 8]) -> Fr {
    let mut r = [0u64; 4];
    let mut c = 0i64;
    for (t, &st) in s.iter().enumerate() {
        let v = st + c;
        r[t / 2] |= (v as u64 & MASK32) << (32 * (t % 2));
        c = v >> 32;
    }
    from_representative(r, c)
}

/// Bits of a limb of [`Acc29`]: nine limbs cover 261 ≥ 255 bits.
pub(super) const BITS29: usize = 29;
pub(super) const MASK29: u64 = (1 << BITS29) - 1;
/// Products an [`Acc29`] slot absorbs between normalisations: a product adds at most nine
/// limb products (`< 2⁵⁸` each) to a slot, so seven add `< 63·2⁵⁸ = 2⁶⁴ − 2⁵⁸`, which with a
/// normalised slot (`< 2²⁹`) and an incoming carry (`< 2³⁶`) stays below `2⁶⁴`.
pub(super) const PRODUCTS29: usize = 7;

/// The Montgomery representative of `x` as nine 29-bit limbs (in `u64`s).
#[inline(always)]
pub(super) fn limbs29(x: &Fr) -> [u64; 9] {
    let l = &(x.0).0;
    let mut out = [0u64; 9];
    for (k, o) in out.iter_mut().enumerate() {
        let (i, at) = (BITS29 * k / 64, BITS29 * k % 64);
        let mut v = l[i] >> at;
        if at + BITS29 > 64 && i + 1 < 4 {
            v |= l[i + 1] << (64 - at);
        }
        *o = v & MASK29;
    }
    out
}

/// An unreduced sum of products `Σ a·b` of 256-bit values (Montgomery representatives) in
/// 29-bit limbs: slot `t` holds a sum of limb products of weight `2^{29t}`, so a product
/// costs 81 multiply-adds and no carries; [`Self::normalise`] must run at least every
/// [`PRODUCTS29`] products. Twenty slots (580 bits) hold sums below `2¹⁴·q² < 2⁵²⁴`.
#[derive(Clone, Copy, Default)]
pub(super) struct Acc29([u64; 20]);

impl Acc29 {
    /// `self += a·b` (limbs from [`limbs29`]).
    #[inline(always)]
    pub(super) fn add_product(&mut self, a: &[u64; 9], b: &[u64; 9]) {
        for (x, &ax) in a.iter().enumerate() {
            for (y, &by) in b.iter().enumerate() {
                self.0[x + y] += ax * by;
            }
        }
    }

    /// Carry so that every slot is below `2²⁹` (the value is unchanged while below `2⁵⁸⁰`).
    #[inline(always)]
    pub(super) fn normalise(&mut self) {
        let mut c = 0u64;
        for s in &mut self.0 {
            let v = *s + c;
            *s = v & MASK29;
            c = v >> BITS29;
        }
    }

    /// The element with representative `T·R⁻¹ mod q`, `T` the integer sum ([`redc`]).
    pub(super) fn reduce(mut self) -> Fr {
        self.normalise();
        let mut t = [0u64; 18];
        let (mut buf, mut bits, mut k) = (0u64, 0usize, 0usize);
        for &s in &self.0 {
            buf |= s << bits;
            bits += BITS29;
            while bits >= 32 {
                if let Some(tk) = t.get_mut(k) {
                    *tk = buf & MASK32;
                }
                k += 1;
                buf >>= 32;
                bits -= 32;
            }
        }
        redc(t)
    }
}

/// `Σ_k a_k·b_k` with one reduction (`b` in 29-bit limbs, lengths as the shorter).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(super) fn dot_wide(a: &[Fr], b29: &[[u64; 9]]) -> Fr {
    let mut acc = Acc29::default();
    for (a, b) in a.chunks(PRODUCTS29).zip(b29.chunks(PRODUCTS29)) {
        for (ak, bk) in a.iter().zip(b) {
            acc.add_product(&limbs29(ak), bk);
        }
        acc.normalise();
    }
    acc.reduce()
}

/// The element with representative `T·R⁻¹ mod q` for `T = Σ_k t_k·2^{32k} < 2⁵⁴⁴ − 2⁵¹¹`
/// (`t_k < 2³²`). Montgomery reduction (REDC): eight times add `m·q·2^{32k}` with
/// `m = −t_k·q⁻¹ mod 2³²` to clear limb `k`; then `T/2²⁵⁶ < 2²⁸⁸`, and
/// [`from_representative`] finishes.
pub(super) fn redc(mut t: [u64; 18]) -> Fr {
    for k in 0..8 {
        let m = u64::from((t[k] as u32).wrapping_mul(Q_INV32));
        let mut c = 0u64;
        for (j, &qj) in Q32.iter().enumerate() {
            // ≤ (2³²−1) + (2³²−1)² + (2³²−1) = 2⁶⁴ − 1.
            let v = t[k + j] + m * u64::from(qj) + c;
            t[k + j] = v & MASK32;
            c = v >> 32;
        }
        for tk in &mut t[k + 8..] {
            if c == 0 {
                break;
            }
            let v = *tk + c;
            *tk = v & MASK32;
            c = v >> 32;
        }
    }
    let r = [
        t[8] | (t[9] << 32),
        t[10] | (t[11] << 32),
        t[12] | (t[13] << 32),
        t[14] | (t[15] << 32),
    ];
    from_representative(r, (t[16] | (t[17] << 32)) as i64)
}
