//! A sparse row-compressed (CSR) matrix and conjugate gradients on the normal equations (CGLS),
//! for linear systems far too large to hold densely (a conv layer: 16 384 equations in 3072
//! colour pixels, 27 non-zeros a row).

use crate::{Error, Result};

/// A CSR matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseMatrix {
    cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
}

impl SparseMatrix {
    /// An empty matrix with `cols` columns.
    pub fn new(cols: usize) -> Self {
        Self {
            cols,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Append a row (`idx` must be `< cols`).
    pub fn push_row(&mut self, idx: &[u32], val: &[f64]) -> Result<()> {
        if idx.len() != val.len() {
            return Err(Error::invalid("sparse row: lengths differ"));
        }
        if let Some(&i) = idx.iter().find(|&&i| i as usize >= self.cols) {
            return Err(Error::invalid(format!(
                "sparse row: column {i} out of range ({} columns)",
                self.cols
            )));
        }
        self.indices.extend_from_slice(idx);
        self.values.extend_from_slice(val);
        self.indptr.push(self.indices.len());
        Ok(())
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// Row `r`: `(columns, values)`.
    pub fn row(&self, r: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// `y = A x`.
    pub fn mul(&self, x: &[f64]) -> Vec<f64> {
        (0..self.rows())
            .map(|r| {
                let (i, v) = self.row(r);
                i.iter().zip(v).map(|(&i, &v)| v * x[i as usize]).sum()
            })
            .collect()
    }

    /// `out = Aᵀ y`.
    pub fn mul_t(&self, y: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.cols];
        for (r, &yr) in y.iter().enumerate().take(self.rows()) {
            if yr == 0.0 {
                continue;
            }
            let (i, v) = self.row(r);
            for (&i, &v) in i.iter().zip(v) {
                out[i as usize] += v * yr;
            }
        }
        out
    }

    /// `Σ_j |a_ij|` per row.
    pub fn row_abs_sums(&self) -> Vec<f64> {
        (0..self.rows())
            .map(|r| self.row(r).1.iter().map(|v| v.abs()).sum())
            .collect()
    }

    /// `Σ_i |a_ij|` per column.
    pub fn col_abs_sums(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.cols];
        for (&i, &v) in self.indices.iter().zip(&self.values) {
            out[i as usize] += v.abs();
        }
        out
    }
}

/// Outcome of [`cgls`].
#[derive(Debug, Clone)]
pub struct CglsResult {
    /// The solution.
    pub x: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// `‖Aᵀ(b − Ax)‖ / ‖Aᵀb‖` at the end.
    pub normal_residual: f64,
    /// `‖b − Ax‖ / ‖b‖` at the end.
    pub residual: f64,
    /// True when the normal residual reached the tolerance.
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Least squares `min ‖A x − b‖` by conjugate gradients on the normal equations (CGLS, Hestenes–
/// Stiefel / Paige–Saunders' stable form), from `x0`, until `‖Aᵀr‖ ≤ tol·‖Aᵀb‖` or `max_iter`.
/// Never forms `AᵀA`: each iteration is one product with `A` and one with `Aᵀ`.
pub fn cgls(a: &SparseMatrix, b: &[f64], x0: &[f64], tol: f64, max_iter: usize) -> CglsResult {
    let mut x = x0.to_vec();
    let ax = a.mul(&x);
    let mut r: Vec<f64> = b.iter().zip(&ax).map(|(b, v)| b - v).collect();
    let mut s = a.mul_t(&r);
    let norm_atb = dot(&a.mul_t(b), &a.mul_t(b)).sqrt().max(f64::MIN_POSITIVE);
    let mut p = s.clone();
    let mut gamma = dot(&s, &s);
    let mut it = 0;
    while it < max_iter && gamma.sqrt() > tol * norm_atb {
        let q = a.mul(&p);
        let qq = dot(&q, &q);
        if qq <= 0.0 || !qq.is_finite() {
            break;
        }
        let alpha = gamma / qq;
        x.iter_mut().zip(&p).for_each(|(x, p)| *x += alpha * p);
        r.iter_mut().zip(&q).for_each(|(r, q)| *r -= alpha * q);
        s = a.mul_t(&r);
        let g2 = dot(&s, &s);
        let beta = g2 / gamma;
        gamma = g2;
        p.iter_mut().zip(&s).for_each(|(p, s)| *p = s + beta * *p);
        it += 1;
    }
    let nb = dot(b, b).sqrt().max(f64::MIN_POSITIVE);
    let normal_residual = gamma.sqrt() / norm_atb;
    CglsResult {
        residual: dot(&r, &r).sqrt() / nb,
        converged: normal_residual <= tol,
        normal_residual,
        iterations: it,
        x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgls_solves_a_sparse_overdetermined_system() {
        let n = 50;
        let mut a = SparseMatrix::new(n);
        for r in 0..2 * n {
            let idx: Vec<u32> = [r % n, (r * 7 + 3) % n, (r * 13 + 1) % n]
                .iter()
                .map(|&i| i as u32)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let val: Vec<f64> = idx
                .iter()
                .map(|&i| 1.0 + (i as f64 + r as f64) % 5.0)
                .collect();
            a.push_row(&idx, &val).unwrap();
        }
        let truth: Vec<f64> = (0..n).map(|i| (i * 3 % 17) as f64).collect();
        let b = a.mul(&truth);
        let res = cgls(&a, &b, &vec![0.0; n], 1e-12, 1000);
        assert!(res.converged);
        for (x, t) in res.x.iter().zip(&truth) {
            assert!((x - t).abs() < 1e-6);
        }
        assert!(a.push_row(&[50], &[1.0]).is_err());
        assert!(a.push_row(&[1], &[]).is_err());
        // Aᵀ agrees with A: ⟨Ax, y⟩ = ⟨x, Aᵀy⟩.
        let y: Vec<f64> = (0..a.rows()).map(|i| (i % 7) as f64 - 3.0).collect();
        assert!((dot(&a.mul(&truth), &y) - dot(&truth, &a.mul_t(&y))).abs() < 1e-6);
    }
}
