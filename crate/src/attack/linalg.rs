//! The two factorisations the interior-point method needs, written for its matrices:
//!
//! - [`DenseCholesky`]: `S = L·Lᵀ` of the `m×m` Schur complement `W·M⁻¹·Wᵀ + E` (one row per
//!   observed equation). Rows of `W` that are linear combinations of earlier rows (stacked
//!   observations, `h ≥ n`) give a zero pivot; like LIPSOL/PCx the factor then replaces the pivot by
//!   a huge number, which drops that (redundant) equation from the Newton step instead of failing.
//! - [`BandCholesky`]: `M = L·Lᵀ` of the `n×n` pixel-space matrix `Θ⁻¹ + Dᵀ·E⁻¹·D`. The operator
//!   `D` (image differences, smoothness rows) only couples pixels a few rows apart, so in row-major
//!   pixel order `M` is banded with half-bandwidth `b` (`b = cols` for TV, `2·cols` for the paper's
//!   smoothness rows) and costs `n·b²` flops instead of `n³/3`.

/// Dot product with several accumulators, so that the compiler vectorises it.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    let chunks = n / 8;
    for c in 0..chunks {
        let (x, y) = (&a[c * 8..c * 8 + 8], &b[c * 8..c * 8 + 8]);
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = (acc[0] + acc[4]) + (acc[1] + acc[5]) + (acc[2] + acc[6]) + (acc[3] + acc[7]);
    for k in chunks * 8..n {
        s += a[k] * b[k];
    }
    s
}

/// `y += alpha * x`.
#[inline]
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Pivots below `DROP_REL × (largest diagonal)` are treated as zero.
const DROP_REL: f64 = 1e-30;
/// The value a dropped pivot is replaced with.
const HUGE: f64 = 1e128;

/// Cholesky factor of a dense symmetric positive semidefinite matrix (row-major lower triangle).
#[derive(Debug, Clone)]
pub struct DenseCholesky {
    n: usize,
    l: Vec<f64>,
    dropped: usize,
}

impl DenseCholesky {
    /// Factor the `n×n` row-major matrix `a` (only its lower triangle is read; it is overwritten).
    pub fn factor(mut a: Vec<f64>, n: usize) -> Self {
        debug_assert_eq!(a.len(), n * n);
        let max_diag = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
        let tiny = DROP_REL * max_diag.max(f64::MIN_POSITIVE);
        let mut dropped = 0;
        for i in 0..n {
            let (done, rest) = a.split_at_mut(i * n);
            let row_i = &mut rest[..n];
            for j in 0..i {
                let row_j = &done[j * n..j * n + j + 1];
                let s = row_i[j] - dot(&row_i[..j], &row_j[..j]);
                row_i[j] = s / row_j[j];
            }
            let d = row_i[i] - dot(&row_i[..i], &row_i[..i]);
            row_i[i] = if d > tiny {
                d.sqrt()
            } else {
                dropped += 1;
                HUGE
            };
        }
        Self { n, l: a, dropped }
    }

    /// Number of pivots that were dropped as (numerically) dependent.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Solve `L·Lᵀ·x = b` in place.
    pub fn solve(&self, b: &mut [f64]) {
        let n = self.n;
        for i in 0..n {
            let row = &self.l[i * n..i * n + i + 1];
            b[i] = (b[i] - dot(&row[..i], &b[..i])) / row[i];
        }
        for i in (0..n).rev() {
            let row = &self.l[i * n..i * n + i + 1];
            b[i] /= row[i];
            let xi = b[i];
            axpy(-xi, &row[..i], &mut b[..i]);
        }
    }
}

/// Cholesky factor of a symmetric positive definite band matrix with half-bandwidth `bw`.
///
/// Row `i` stores columns `i−bw ..= i` at offsets `0 ..= bw` (entries left of column 0 are zero).
#[derive(Debug, Clone)]
pub struct BandCholesky {
    n: usize,
    bw: usize,
    l: Vec<f64>,
}

impl BandCholesky {
    /// An all-zero band matrix to be filled with [`BandCholesky::add`] and then factored.
    pub fn zeros(n: usize, bw: usize) -> Self {
        Self {
            n,
            bw,
            l: vec![0.0; n * (bw + 1)],
        }
    }

    /// Half-bandwidth.
    pub fn bandwidth(&self) -> usize {
        self.bw
    }

    #[inline]
    fn at(&self, i: usize, j: usize) -> usize {
        i * (self.bw + 1) + (j + self.bw - i)
    }

    /// Add `v` to entry `(i, j)` of the lower triangle (`j ≤ i`, `i − j ≤ bw`).
    #[inline]
    pub fn add(&mut self, i: usize, j: usize, v: f64) {
        debug_assert!(j <= i && i - j <= self.bw);
        let k = self.at(i, j);
        self.l[k] += v;
    }

    /// Set every entry back to zero (keeps the allocation).
    pub fn clear(&mut self) {
        self.l.iter_mut().for_each(|v| *v = 0.0);
    }

    /// Factor in place. Non-positive pivots (which cannot happen for the matrices the IPM builds,
    /// `Θ⁻¹ ≻ 0`, short of round-off) are replaced by a huge value.
    pub fn factor(&mut self) {
        let (n, bw) = (self.n, self.bw);
        let w = bw + 1;
        for i in 0..n {
            let k0 = i.saturating_sub(bw);
            for j in k0..=i {
                // s = a_ij − Σ_{k=k0}^{j−1} l_ik·l_jk
                let (ri, rj) = (i * w + (k0 + bw - i), j * w + (k0 + bw - j));
                let len = j - k0;
                let s = self.l[i * w + (j + bw - i)]
                    - dot(&self.l[ri..ri + len], &self.l[rj..rj + len]);
                if j < i {
                    let ljj = self.l[j * w + bw];
                    self.l[i * w + (j + bw - i)] = s / ljj;
                } else {
                    self.l[i * w + bw] = if s > 0.0 { s.sqrt() } else { HUGE };
                }
            }
        }
    }

    /// Forward substitution `L·y = b` in place.
    pub fn forward(&self, b: &mut [f64]) {
        let (n, bw) = (self.n, self.bw);
        let w = bw + 1;
        for i in 0..n {
            let k0 = i.saturating_sub(bw);
            let r = i * w + (k0 + bw - i);
            let s = dot(&self.l[r..r + (i - k0)], &b[k0..i]);
            b[i] = (b[i] - s) / self.l[i * w + bw];
        }
    }

    /// Backward substitution `Lᵀ·x = y` in place.
    pub fn backward(&self, b: &mut [f64]) {
        let (n, bw) = (self.n, self.bw);
        let w = bw + 1;
        for i in (0..n).rev() {
            b[i] /= self.l[i * w + bw];
            let xi = b[i];
            let k0 = i.saturating_sub(bw);
            let r = i * w + (k0 + bw - i);
            axpy(-xi, &self.l[r..r + (i - k0)], &mut b[k0..i]);
        }
    }

    /// Solve `L·Lᵀ·x = b` in place.
    pub fn solve(&self, b: &mut [f64]) {
        self.forward(b);
        self.backward(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spd(n: usize) -> Vec<f64> {
        // A = B·Bᵀ + I with B[i][j] = sin(i + 2j)
        let b: Vec<f64> = (0..n * n)
            .map(|k| ((k / n) as f64 + 2.0 * (k % n) as f64).sin())
            .collect();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = dot(&b[i * n..i * n + n], &b[j * n..j * n + n]);
            }
            a[i * n + i] += 1.0;
        }
        a
    }

    #[test]
    fn dense_cholesky_solves() {
        let n = 13;
        let a = spd(n);
        let x: Vec<f64> = (0..n).map(|i| i as f64 - 4.0).collect();
        let mut b: Vec<f64> = (0..n).map(|i| dot(&a[i * n..i * n + n], &x)).collect();
        let f = DenseCholesky::factor(a, n);
        assert_eq!(f.dropped(), 0);
        f.solve(&mut b);
        for (u, v) in b.iter().zip(&x) {
            assert!((u - v).abs() < 1e-9, "{u} vs {v}");
        }
    }

    #[test]
    fn dense_cholesky_drops_a_dependent_row() {
        // rows 0 and 1 identical: [[1,1],[1,1]] plus an independent third direction
        let a = vec![1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 2.0];
        let f = DenseCholesky::factor(a, 3);
        assert_eq!(f.dropped(), 1);
        let mut b = vec![1.0, 1.0, 4.0];
        f.solve(&mut b);
        // a consistent right-hand side is still solved: x0 + x1 = 1, x2 = 2
        assert!((b[0] + b[1] - 1.0).abs() < 1e-12);
        assert!((b[2] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn band_cholesky_matches_dense() {
        let (n, bw) = (20, 3);
        let mut band = BandCholesky::zeros(n, bw);
        let mut dense = vec![0.0; n * n];
        for i in 0..n {
            for j in i.saturating_sub(bw)..=i {
                let v = if i == j {
                    4.0 + i as f64 * 0.1
                } else {
                    ((i * 7 + j) as f64).cos() * 0.5
                };
                band.add(i, j, v);
                dense[i * n + j] = v;
                dense[j * n + i] = v;
            }
        }
        let rhs: Vec<f64> = (0..n).map(|i| (i as f64).sqrt()).collect();
        let mut x1 = rhs.clone();
        band.factor();
        band.solve(&mut x1);
        let mut x2 = rhs.clone();
        DenseCholesky::factor(dense, n).solve(&mut x2);
        for (u, v) in x1.iter().zip(&x2) {
            assert!((u - v).abs() < 1e-10, "{u} vs {v}");
        }
    }
}
