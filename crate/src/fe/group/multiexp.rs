//! Exponentiation algorithms written once over [`DlogGroup`] (multiplicative notation).
//!
//! - [`multiexp`]: `Π_i b_i^{e_i}` for small exponents by the bucket method (Pippenger). With one
//!   window of `c` bits and `K = max e_i`: bucket `d` collects the bases whose exponent is `d`
//!   (n operations), then `Π_d B_d^d` is read off two running products (2K operations):
//!   `S_d = Π_{d' ≥ d} B_{d'}`, result `Π_d S_d`. Larger exponents use several windows of
//!   `≈ log₂ n` bits with `c` squarings between windows. Empty buckets cost nothing.
//! - [`WindowTable`]: a fixed-base table `b^{d·2^{c·w}}` so `b^e` costs one operation per
//!   window (used for `g`, and for a ciphertext's `ct_0` shared by all keys of a decryption).
//! - [`pow_limbs`]: left-to-right fixed-window exponentiation for a one-off base.

use crate::fe::dlog::DlogGroup;

#[inline]
fn opt_op<G: DlogGroup>(acc: Option<G::Element>, x: &G::Element) -> G::Element {
    match acc {
        Some(a) => G::op(&a, x),
        None => x.clone(),
    }
}

/// `Π b^e` over `(base, exponent)` pairs, exponents small and non-negative.
pub fn multiexp<G: DlogGroup>(terms: &[(&G::Element, u64)]) -> G::Element {
    let max = terms.iter().map(|t| t.1).max().unwrap_or(0);
    if max == 0 {
        return G::identity();
    }
    let bits = 64 - max.leading_zeros();
    let n = terms.len().max(2);
    let log_n = usize::BITS - 1 - n.leading_zeros();
    // One window when the buckets (≤ max) cost no more than two passes over the terms.
    let c: u32 = if max <= 2 * n as u64 {
        bits
    } else {
        log_n.clamp(1, 16).min(bits)
    };
    let windows = bits.div_ceil(c);
    let mask: u64 = if c >= 64 { u64::MAX } else { (1u64 << c) - 1 };
    let nbuckets = if windows == 1 {
        max as usize
    } else {
        mask as usize
    };
    let mut buckets: Vec<Option<G::Element>> = vec![None; nbuckets];
    let mut acc: Option<G::Element> = None;
    for w in (0..windows).rev() {
        if let Some(a) = acc.as_mut() {
            for _ in 0..c {
                *a = G::square(a);
            }
        }
        buckets.iter_mut().for_each(|b| *b = None);
        let shift = w * c;
        for (base, e) in terms {
            let d = ((e >> shift) & mask) as usize;
            if d != 0 {
                let slot = &mut buckets[d - 1];
                *slot = Some(opt_op::<G>(slot.take(), base));
            }
        }
        let mut running: Option<G::Element> = None;
        let mut sum: Option<G::Element> = None;
        for b in buckets.iter().rev() {
            if let Some(b) = b {
                running = Some(opt_op::<G>(running, b));
            }
            if let Some(r) = &running {
                sum = Some(opt_op::<G>(sum, r));
            }
        }
        if let Some(s) = sum {
            acc = Some(opt_op::<G>(acc, &s));
        }
    }
    acc.unwrap_or_else(G::identity)
}

/// `base^e` with `e` given as little-endian 64-bit limbs: left-to-right sliding window of 5 bits
/// (odd powers `base^1, base^3, …, base^31` precomputed; ≈ bits squarings + bits/6 products).
pub fn pow_limbs<G: DlogGroup>(base: &G::Element, e: &[u64]) -> G::Element {
    const W: usize = 5;
    let bits = e
        .iter()
        .rposition(|&l| l != 0)
        .map_or(0, |top| top * 64 + 64 - e[top].leading_zeros() as usize);
    if bits == 0 {
        return G::identity();
    }
    let bit = |i: usize| (e[i / 64] >> (i % 64)) & 1 == 1;
    // odd[k] = base^{2k+1}
    let mut odd = Vec::with_capacity(1 << (W - 1));
    odd.push(base.clone());
    if bits > 1 {
        let sq = G::square(base);
        for k in 1..(1usize << (W - 1)) {
            let next = G::op(&odd[k - 1], &sq);
            odd.push(next);
        }
    }
    let mut acc: Option<G::Element> = None;
    let mut i = bits as isize - 1;
    while i >= 0 {
        if !bit(i as usize) {
            if let Some(a) = acc.as_mut() {
                *a = G::square(a);
            }
            i -= 1;
            continue;
        }
        // The window [j, i] of at most W bits ending in a set bit.
        let mut j = (i - W as isize + 1).max(0);
        while !bit(j as usize) {
            j += 1;
        }
        let mut val = 0usize;
        for k in (j..=i).rev() {
            val = (val << 1) | bit(k as usize) as usize;
        }
        if let Some(a) = acc.as_mut() {
            for _ in j..=i {
                *a = G::square(a);
            }
        }
        acc = Some(opt_op::<G>(acc, &odd[val >> 1]));
        i = j - 1;
    }
    acc.unwrap_or_else(G::identity)
}

/// Bits `[pos, pos + c)` of a little-endian limb string (zero past the end).
#[inline]
fn digit(e: &[u64], pos: usize, c: usize) -> usize {
    let limb = pos / 64;
    let off = pos % 64;
    let lo = e.get(limb).copied().unwrap_or(0) >> off;
    let hi = if off + c > 64 && off != 0 {
        e.get(limb + 1).copied().unwrap_or(0) << (64 - off)
    } else {
        0
    };
    ((lo | hi) & ((1u64 << c) - 1)) as usize
}

/// Fixed-base table: `rows[w][d − 1] = b^{d·2^{c·w}}`, so `b^e` is one operation per window.
pub struct WindowTable<G: DlogGroup> {
    c: usize,
    rows: Vec<Vec<G::Element>>,
    /// `b^{2^{c·rows}}`, for exponents longer than the table.
    top: G::Element,
}

impl<G: DlogGroup> WindowTable<G> {
    /// Table for exponents of up to `bits` bits with windows of `c` bits (`1 ≤ c ≤ 16`).
    pub fn new(base: &G::Element, c: usize, bits: usize) -> Self {
        let c = c.clamp(1, 16);
        let windows = bits.div_ceil(c).max(1);
        let mut rows = Vec::with_capacity(windows);
        let mut row_base = base.clone();
        for _ in 0..windows {
            let mut row = Vec::with_capacity((1 << c) - 1);
            row.push(row_base.clone());
            for d in 1..((1usize << c) - 1) {
                let next = G::op(&row[d - 1], &row_base);
                row.push(next);
            }
            row_base = G::op(&row[(1 << c) - 2], &row_base);
            rows.push(row);
        }
        WindowTable {
            c,
            rows,
            top: row_base,
        }
    }

    /// `b^e` for `e` as little-endian 64-bit limbs.
    pub fn pow(&self, e: &[u64]) -> G::Element {
        let mut acc: Option<G::Element> = None;
        for (w, row) in self.rows.iter().enumerate() {
            let d = digit(e, w * self.c, self.c);
            if d != 0 {
                acc = Some(opt_op::<G>(acc, &row[d - 1]));
            }
        }
        let covered = self.rows.len() * self.c;
        if covered < e.len() * 64
            && e.iter()
                .enumerate()
                .any(|(i, &l)| (i + 1) * 64 > covered && l != 0)
        {
            let rest = shift_right(e, covered);
            let hi = pow_limbs::<G>(&self.top, &rest);
            acc = Some(opt_op::<G>(acc, &hi));
        }
        acc.unwrap_or_else(G::identity)
    }
}

fn shift_right(e: &[u64], s: usize) -> Vec<u64> {
    let limbs = s / 64;
    let off = s % 64;
    let mut out = Vec::with_capacity(e.len().saturating_sub(limbs));
    for i in limbs..e.len() {
        let lo = e[i] >> off;
        let hi = if off == 0 {
            0
        } else {
            e.get(i + 1).copied().unwrap_or(0) << (64 - off)
        };
        out.push(lo | hi);
    }
    out
}
