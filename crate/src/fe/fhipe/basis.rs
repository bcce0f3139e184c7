//! The secret basis `B ∈ GL_n(Z_q)` and its dual `B* = det(B)·(B⁻¹)ᵀ`, kept in factored form.
//!
//! `B = L·U` with `L` unit lower-triangular (random below the diagonal) and `U` upper-triangular
//! (random, non-zero diagonal). Then `det B = Π U_ii`, and neither `B`, `B⁻¹` nor `B*` is ever
//! formed:
//!
//! - `w·B = (w·L)·U`: two triangular vector–matrix products, `n²` multiplications;
//! - `x·B* = det(B)·(B⁻¹·xᵀ)ᵀ = det(B)·U⁻¹·L⁻¹·x`: forward substitution with `L` (unit
//!   diagonal), back substitution with `U` (the inverted diagonal is precomputed once).
//!
//! so `⟨w·B, x·B*⟩ = det(B)·⟨w, x⟩` costs `O(n²)` per key or ciphertext and setup is `O(n²)`
//! random field elements — no `O(n³)` inversion at n = 784.
//!
//! Distribution: `(L, U) ↦ LU` is a bijection onto the matrices whose leading principal minors
//! are all non-zero, which are all of `GL_n(Z_q)` except a fraction `≤ n/q < 2⁻²⁴⁰`; so `B` is
//! statistically indistinguishable from uniform over `GL_n(Z_q)`.

use ark_bls12_381::Fr;
use ark_ff::{batch_inversion, Zero};
#[cfg(test)]
use ark_ff::{BigInt, BigInteger, Field, One, PrimeField};
use rand_core::CryptoRngCore;

use super::wide::{dot_wide, from_wide_signed, limbs29, Acc29, PRODUCTS29};

/// `count` uniformly random field elements, each `a + b·2¹²⁸ + c·2²⁵⁶ mod q` from 48 random
/// bytes (a 384-bit value reduced mod the 255-bit `q`: statistical distance < 2⁻¹²⁸), drawn from
/// `rng` in large blocks (few system calls with `OsRng`).
pub(crate) fn random_fr<R: CryptoRngCore + ?Sized>(rng: &mut R, count: usize) -> Vec<Fr> {
    const PER: usize = 48;
    const BLOCK: usize = 4096;
    let two_128 = Fr::from(u128::MAX) + Fr::from(1u64);
    let two_256 = two_128 * two_128;
    let mut out = Vec::with_capacity(count);
    let mut buf = vec![0u8; PER * BLOCK];
    while out.len() < count {
        let take = (count - out.len()).min(BLOCK);
        let bytes = &mut buf[..take * PER];
        rng.fill_bytes(bytes);
        out.extend(bytes.chunks_exact(PER).map(|c| {
            let limb = |i: usize| {
                let mut w = [0u8; 16];
                w.copy_from_slice(&c[16 * i..16 * i + 16]);
                Fr::from(u128::from_le_bytes(w))
            };
            limb(0) + limb(1) * two_128 + limb(2) * two_256
        }));
    }
    out
}

/// A random non-zero field element.
pub(crate) fn random_nonzero<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Fr {
    loop {
        let v = random_fr(rng, 1)[0];
        if !v.is_zero() {
            return v;
        }
    }
}

/// `v mod q` for a signed integer.
pub(crate) fn to_fr(v: i64) -> Fr {
    if v < 0 {
        -Fr::from(v.unsigned_abs())
    } else {
        Fr::from(v as u64)
    }
}

/// The secret basis in factored form. Opaque outside the FHIPE module.
pub(crate) struct Basis {
    n: usize,
    /// Rows of `L` below the diagonal: row `i` holds `L_{i,0..i}` at `i(i−1)/2`.
    lower: Vec<Fr>,
    /// Rows of `U` from the diagonal: row `i` holds `U_{i,i..n}` at `i·n − i(i−1)/2`.
    upper: Vec<Fr>,
    /// `1 / U_ii`.
    diag_inv: Vec<Fr>,
    /// `det B = Π U_ii`.
    det: Fr,
}

impl Basis {
    pub(crate) fn random<R: CryptoRngCore + ?Sized>(n: usize, rng: &mut R) -> Self {
        let lower = random_fr(rng, n * (n.saturating_sub(1)) / 2);
        let mut upper = random_fr(rng, n * (n + 1) / 2);
        let mut diag = Vec::with_capacity(n);
        for i in 0..n {
            let at = Self::upper_offset(n, i);
            while upper[at].is_zero() {
                upper[at] = random_nonzero(rng);
            }
            diag.push(upper[at]);
        }
        let det = diag.iter().product();
        batch_inversion(&mut diag);
        Basis {
            n,
            lower,
            upper,
            diag_inv: diag,
            det,
        }
    }

    fn upper_offset(n: usize, i: usize) -> usize {
        i * n - i * i.saturating_sub(1) / 2
    }

    fn lower_row(&self, i: usize) -> &[Fr] {
        let start = i * i.saturating_sub(1) / 2;
        &self.lower[start..start + i]
    }

    fn upper_row(&self, i: usize) -> &[Fr] {
        let start = Self::upper_offset(self.n, i);
        &self.upper[start..start + (self.n - i)]
    }

    pub(crate) fn n(&self) -> usize {
        self.n
    }

    pub(crate) fn det(&self) -> Fr {
        self.det
    }

    /// `w·B = (w·L)·U` for an integer vector `w` (each `w_i ↦ w_i mod q`), the key-generation
    /// case. Same result as [`Self::times_b`] on the mapped vector, computed faster:
    ///
    /// - `w·L` by [`Self::times_l_small`] (integer multiply-adds on the Montgomery limbs, one
    ///   reduction per output) when `n·max|w_i|·2³² < 2⁶²`, else by Montgomery products;
    /// - `(w·L)·U` by [`Self::times_u`].
    pub(crate) fn times_b_int(&self, w: &[i64]) -> Vec<Fr> {
        let u = self.times_l_small(w).unwrap_or_else(|| {
            let w: Vec<Fr> = w.iter().map(|&v| to_fr(v)).collect();
            self.times_l(&w)
        });
        self.times_u(&u)
    }

    /// `w·B = (w·L)·U` for any field vector `w` (tests: the reference for [`Self::times_b_int`]).
    #[cfg(test)]
    pub(crate) fn times_b(&self, w: &[Fr]) -> Vec<Fr> {
        self.times_u(&self.times_l(w))
    }

    /// `u = w·L`: `u_j = w_j + Σ_{i>j} w_i L_ij`, one Montgomery product per term.
    fn times_l(&self, w: &[Fr]) -> Vec<Fr> {
        let mut u = w[..self.n].to_vec();
        for i in 1..self.n {
            let wi = w[i];
            if wi.is_zero() {
                continue;
            }
            for (uj, l) in u[..i].iter_mut().zip(self.lower_row(i)) {
                *uj += wi * l;
            }
        }
        u
    }

    /// `u = w·L` for small integers `w`, or `None` when `n·max|w_i|·2³² ≥ 2⁶²`.
    ///
    /// A field element `a` is stored as its Montgomery representative `ā = a·R mod q`, and the
    /// map `a ↦ ā` is linear, so `Σ_i w_i·L̄_ij` (an exact integer) is congruent to the
    /// representative of `Σ_i w_i·L_ij`. The integer is kept as eight signed 64-bit
    /// accumulators `s_t`, one per 32-bit limb `t` of `L̄_ij`: `S = Σ_t s_t·2^{32t}`. Each
    /// term adds `w_i·limb` with `|w_i·limb| < max|w|·2³²`, so `n` terms stay below `2⁶²`: no
    /// carries while accumulating, and each term costs eight 64-bit multiply-adds instead of a
    /// Montgomery product. [`from_wide_signed`] reduces each output once.
    fn times_l_small(&self, w: &[i64]) -> Option<Vec<Fr>> {
        let n = self.n;
        let w = &w[..n];
        let max = w.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
        if u128::from(max) * (n as u128) >= 1u128 << 30 {
            return None;
        }
        let mut acc = vec![[0i64; 8]; n];
        for i in 1..n {
            let wi = w[i];
            if wi == 0 {
                continue;
            }
            for (a, l) in acc[..i].iter_mut().zip(self.lower_row(i)) {
                let l = &(l.0).0;
                for k in 0..4 {
                    a[2 * k] += wi * i64::from(l[k] as u32);
                    a[2 * k + 1] += wi * ((l[k] >> 32) as i64);
                }
            }
        }
        Some(
            acc.iter()
                .zip(w)
                .map(|(a, &wj)| from_wide_signed(a) + to_fr(wj))
                .collect(),
        )
    }

    /// `v = u·U`: `v_j = Σ_{i≤j} u_i U_ij`. On wasm32 with one Montgomery reduction per output
    /// ([`Self::times_u_wide`]); natively with arkworks' 64-bit Montgomery products
    /// ([`Self::times_u_mont`], faster there).
    fn times_u(&self, u: &[Fr]) -> Vec<Fr> {
        #[cfg(target_arch = "wasm32")]
        {
            self.times_u_wide(u)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.times_u_mont(u)
        }
    }

    /// [`Self::times_u`] with one Montgomery product per term.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn times_u_mont(&self, u: &[Fr]) -> Vec<Fr> {
        let mut v = vec![Fr::zero(); self.n];
        for (i, ui) in u.iter().enumerate().take(self.n) {
            if ui.is_zero() {
                continue;
            }
            for (vj, uij) in v[i..].iter_mut().zip(self.upper_row(i)) {
                *vj += *ui * uij;
            }
        }
        v
    }

    /// [`Self::times_u`] summing the plain integer products `ū_i·Ū_ij` of the Montgomery
    /// representatives per output ([`Acc29`]) and reducing once: `Σ ū_i·Ū_ij·R⁻¹ ≡
    /// (Σ u_i U_ij)·R`, the representative of `v_j`.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn times_u_wide(&self, u: &[Fr]) -> Vec<Fr> {
        let mut acc = vec![Acc29::default(); self.n];
        for (i, ui) in u.iter().enumerate().take(self.n) {
            if !ui.is_zero() {
                let a = limbs29(ui);
                for (s, uij) in acc[i..].iter_mut().zip(self.upper_row(i)) {
                    s.add_product(&a, &limbs29(uij));
                }
            }
            if (i + 1) % PRODUCTS29 == 0 {
                acc[i + 1..].iter_mut().for_each(Acc29::normalise);
            }
        }
        acc.into_iter().map(Acc29::reduce).collect()
    }

    /// `x·B* = det(B)·U⁻¹·L⁻¹·x`, returned without the factor `det(B)` (callers fold it into
    /// their scalar): the vector `B⁻¹·x`. On wasm32 each substitution step's dot product is
    /// summed unreduced ([`Self::inverse_times_wide`]); natively with Montgomery products.
    pub(crate) fn inverse_times(&self, x: &[Fr]) -> Vec<Fr> {
        #[cfg(target_arch = "wasm32")]
        {
            self.inverse_times_wide(x)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.inverse_times_mont(x)
        }
    }

    /// [`Self::inverse_times`] with one Montgomery product per term.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn inverse_times_mont(&self, x: &[Fr]) -> Vec<Fr> {
        let n = self.n;
        // L a = x (unit diagonal): a_i = x_i − Σ_{j<i} L_ij a_j.
        let mut a: Vec<Fr> = Vec::with_capacity(n);
        for (i, xi) in x.iter().enumerate().take(n) {
            let s: Fr = self
                .lower_row(i)
                .iter()
                .zip(&a)
                .map(|(l, aj)| *l * aj)
                .sum();
            a.push(*xi - s);
        }
        // U b = a: b_i = (a_i − Σ_{j>i} U_ij b_j) / U_ii.
        let mut b = vec![Fr::zero(); n];
        for i in (0..n).rev() {
            let row = self.upper_row(i);
            let s: Fr = row[1..]
                .iter()
                .zip(&b[i + 1..])
                .map(|(u, bj)| *u * bj)
                .sum();
            b[i] = (a[i] - s) * self.diag_inv[i];
        }
        b
    }

    /// [`Self::inverse_times`] with each dot product summed in an [`Acc29`] and reduced once;
    /// the solved values are kept in 29-bit limbs for the later rows.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn inverse_times_wide(&self, x: &[Fr]) -> Vec<Fr> {
        let n = self.n;
        // L a = x (unit diagonal): a_i = x_i − Σ_{j<i} L_ij a_j.
        let mut a: Vec<Fr> = Vec::with_capacity(n);
        let mut a29: Vec<[u64; 9]> = Vec::with_capacity(n);
        for (i, xi) in x.iter().enumerate().take(n) {
            let ai = *xi - dot_wide(self.lower_row(i), &a29);
            a29.push(limbs29(&ai));
            a.push(ai);
        }
        // U b = a: b_i = (a_i − Σ_{j>i} U_ij b_j) / U_ii.
        let mut b = vec![Fr::zero(); n];
        let mut b29 = vec![[0u64; 9]; n];
        for i in (0..n).rev() {
            let s = dot_wide(&self.upper_row(i)[1..], &b29[i + 1..]);
            b[i] = (a[i] - s) * self.diag_inv[i];
            b29[i] = limbs29(&b[i]);
        }
        b
    }

    /// Dense `B` (tests only: O(n³)).
    #[cfg(test)]
    pub(crate) fn dense_b(&self) -> Vec<Vec<Fr>> {
        (0..self.n)
            .map(|i| self.times_b(&unit(self.n, i)))
            .collect()
    }

    /// Dense `B* = det(B)·(B⁻¹)ᵀ` (tests only): row `k` is `e_k·B*`.
    #[cfg(test)]
    pub(crate) fn dense_b_star(&self) -> Vec<Vec<Fr>> {
        (0..self.n)
            .map(|k| {
                self.inverse_times(&unit(self.n, k))
                    .into_iter()
                    .map(|v| v * self.det)
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
fn unit(n: usize, i: usize) -> Vec<Fr> {
    let mut e = vec![Fr::zero(); n];
    e[i] = Fr::one();
    e
}

/// `det` by Gaussian elimination (tests only).
#[cfg(test)]
#[allow(clippy::needless_range_loop)]
fn det_gauss(mut m: Vec<Vec<Fr>>) -> Fr {
    let n = m.len();
    let mut det = Fr::one();
    for c in 0..n {
        let Some(p) = (c..n).find(|&r| !m[r][c].is_zero()) else {
            return Fr::zero();
        };
        if p != c {
            m.swap(p, c);
            det = -det;
        }
        det *= m[c][c];
        let inv = m[c][c].inverse().unwrap_or_default();
        for r in c + 1..n {
            let f = m[r][c] * inv;
            for k in c..n {
                let sub = f * m[c][k];
                m[r][k] -= sub;
            }
        }
    }
    det
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn b_times_b_star_transpose_is_det_identity() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for n in [1usize, 2, 5, 12] {
            let basis = Basis::random(n, &mut rng);
            let b = basis.dense_b();
            let bs = basis.dense_b_star();
            let det = det_gauss(b.clone());
            assert_eq!(det, basis.det(), "det(B) = Π U_ii (n = {n})");
            assert!(!det.is_zero());
            for i in 0..n {
                for k in 0..n {
                    let dot: Fr = b[i].iter().zip(&bs[k]).map(|(x, y)| *x * y).sum();
                    let expect = if i == k { det } else { Fr::zero() };
                    assert_eq!(dot, expect, "(B·B*ᵀ)[{i}][{k}] (n = {n})");
                }
            }
        }
    }

    /// The largest `m` with `n·m < 2³⁰`.
    fn small_limit(n: usize) -> i64 {
        ((1i64 << 30) - 1) / n as i64
    }

    /// Integer vectors that exercise signs, zeros, the small-value bound and the fallback.
    fn int_vectors(n: usize, rng: &mut ChaCha20Rng) -> Vec<Vec<i64>> {
        use rand::Rng;
        let edge = small_limit(n); // largest |w| on the small path
        let mut out = vec![
            vec![0; n],
            vec![1; n],
            vec![-1; n],
            vec![127; n],
            vec![-127; n],
            vec![edge; n],
            vec![-edge; n],
            (0..n)
                .map(|i| if i % 2 == 0 { edge } else { -edge })
                .collect(),
            (0..n).map(|i| [0, 1, -1, 127, -127][i % 5]).collect(),
            (0..n).map(|_| rng.gen_range(-127..=127)).collect(),
            (0..n).map(|_| rng.gen_range(-edge..=edge)).collect(),
        ];
        for big in [edge + 1, 1 << 40, i64::MAX, i64::MIN] {
            let mut v: Vec<i64> = (0..n).map(|_| rng.gen_range(-127..=127)).collect();
            v[n - 1] = big;
            out.push(v);
            out.push(vec![big; n]);
        }
        out
    }

    #[test]
    fn times_b_int_matches_field_products() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        for n in [1usize, 2, 5, 40] {
            let basis = Basis::random(n, &mut rng);
            for w in int_vectors(n, &mut rng) {
                let wf: Vec<Fr> = w.iter().map(|&v| to_fr(v)).collect();
                let small = w.iter().all(|v| v.unsigned_abs() <= small_limit(n) as u64);
                assert_eq!(basis.times_l_small(&w).is_some(), small, "path (n = {n})");
                if let Some(u) = basis.times_l_small(&w) {
                    assert_eq!(u, basis.times_l(&wf), "w·L (n = {n}, w = {w:?})");
                }
                assert_eq!(basis.times_b_int(&w), basis.times_b(&wf), "w·B (n = {n})");
            }
        }
    }

    #[test]
    fn times_u_wide_matches_montgomery_products() {
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        let minus_one = -Fr::one();
        for n in [1usize, 2, 5, 40] {
            let basis = Basis::random(n, &mut rng);
            let mut cases = vec![
                random_fr(&mut rng, n),
                vec![minus_one; n],
                vec![Fr::zero(); n],
            ];
            let mut mixed = random_fr(&mut rng, n);
            mixed[0] = Fr::zero();
            mixed[n - 1] = minus_one;
            cases.push(mixed);
            for u in cases {
                assert_eq!(
                    basis.times_u_wide(&u),
                    basis.times_u_mont(&u),
                    "u·U (n = {n})"
                );
            }
        }
    }

    /// A basis whose every stored entry has the largest representative `q − 1`: the worst
    /// case for the unreduced accumulators (not invertible, only for the products).
    fn max_basis(n: usize) -> Basis {
        let mut q1 = <Fr as PrimeField>::MODULUS;
        q1.sub_with_borrow(&BigInt::one());
        let max = Fr::new_unchecked(q1);
        Basis {
            n,
            lower: vec![max; n * (n - 1) / 2],
            upper: vec![max; n * (n + 1) / 2],
            diag_inv: vec![Fr::one(); n],
            det: Fr::one(),
        }
    }

    #[test]
    fn inverse_times_wide_matches_montgomery_products() {
        use rand::Rng;
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        for n in [1usize, 2, 5, 8, 40] {
            let basis = Basis::random(n, &mut rng);
            let pixels: Vec<Fr> = (0..n)
                .map(|_| Fr::from(rng.gen_range(0u64..=255)))
                .collect();
            let cases = vec![
                pixels,
                random_fr(&mut rng, n),
                vec![-Fr::one(); n],
                vec![Fr::zero(); n],
            ];
            for x in cases {
                let got = basis.inverse_times_wide(&x);
                assert_eq!(got, basis.inverse_times_mont(&x), "B⁻¹·x (n = {n})");
            }
        }
        let basis = max_basis(40);
        let x = vec![basis.upper[0]; 40];
        assert_eq!(basis.inverse_times_wide(&x), basis.inverse_times_mont(&x));
    }

    #[test]
    fn largest_representatives_do_not_overflow() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        for n in [7usize, 8, 40, 300] {
            let basis = max_basis(n);
            let u = vec![basis.upper[0]; n];
            assert_eq!(
                basis.times_u_wide(&u),
                basis.times_u_mont(&u),
                "u·U (n = {n})"
            );
            for w in int_vectors(n, &mut rng) {
                let wf: Vec<Fr> = w.iter().map(|&v| to_fr(v)).collect();
                assert_eq!(basis.times_b_int(&w), basis.times_b(&wf), "w·B (n = {n})");
            }
        }
    }

    #[test]
    fn from_wide_signed_is_the_representative() {
        // The element with representative S is S·R⁻¹, and R⁻¹ has representative 1.
        let r_inv = Fr::new_unchecked(BigInt([1, 0, 0, 0]));
        let m = (1i64 << 62) - 1;
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let mut cases = vec![[0i64; 8], [m; 8], [-m; 8], [1, 0, 0, 0, 0, 0, 0, -1]];
        for _ in 0..20 {
            use rand::Rng;
            cases.push(std::array::from_fn(|_| rng.gen_range(-m..=m)));
        }
        let two32 = Fr::from(1u64 << 32);
        for s in cases {
            let mut expect = Fr::zero();
            for &st in s.iter().rev() {
                expect = expect * two32 + to_fr(st);
            }
            assert_eq!(from_wide_signed(&s), expect * r_inv, "{s:?}");
        }
    }

    #[test]
    fn basis_is_not_triangular() {
        // The product L·U must mix both halves (a triangular B would leak structure).
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let b = Basis::random(6, &mut rng).dense_b();
        assert!(!b[0][5].is_zero() && !b[5][0].is_zero());
    }
}
