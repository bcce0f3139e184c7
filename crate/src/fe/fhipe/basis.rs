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
use ark_ff::{Field, One};
use rand_core::CryptoRngCore;

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

    /// `w·B = (w·L)·U`.
    pub(crate) fn times_b(&self, w: &[Fr]) -> Vec<Fr> {
        let n = self.n;
        // u = w·L: u_j = w_j + Σ_{i>j} w_i L_ij.
        let mut u = w.to_vec();
        for i in 1..n {
            let wi = w[i];
            if wi.is_zero() {
                continue;
            }
            for (uj, l) in u[..i].iter_mut().zip(self.lower_row(i)) {
                *uj += wi * l;
            }
        }
        // v = u·U: v_j = Σ_{i≤j} u_i U_ij.
        let mut v = vec![Fr::zero(); n];
        for (i, ui) in u.iter().enumerate() {
            if ui.is_zero() {
                continue;
            }
            for (vj, uij) in v[i..].iter_mut().zip(self.upper_row(i)) {
                *vj += *ui * uij;
            }
        }
        v
    }

    /// `x·B* = det(B)·U⁻¹·L⁻¹·x`, returned without the factor `det(B)` (callers fold it into
    /// their scalar): the vector `B⁻¹·x`.
    pub(crate) fn inverse_times(&self, x: &[Fr]) -> Vec<Fr> {
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

    #[test]
    fn basis_is_not_triangular() {
        // The product L·U must mix both halves (a triangular B would leak structure).
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let b = Basis::random(6, &mut rng).dense_b();
        assert!(!b[0][5].is_zero() && !b[5][0].is_zero());
    }
}
