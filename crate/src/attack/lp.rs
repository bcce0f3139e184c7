//! The structured linear program every LP attack builds, and the status every solver reports.
//!
//! Variables: the pixels `x ∈ Rⁿ` and auxiliary columns `v_a`, each living in exactly one row:
//!
//! ```text
//!   min  cᵀx + Σ_a c_a·v_a
//!   s.t. W x + Σ_{a ∈ row i} g_a·v_a = b_i      i = 1..m   (observed equations, stacked)
//!        D x + Σ_{a ∈ row j} g_a·v_a = 0        j = 1..k   (sparse operator: TV or smoothness)
//!        l ≤ x ≤ u,   l_a ≤ v_a ≤ u_a           (u_a may be +∞)
//! ```
//!
//! - ε-band on a rounded observation: one column `e_i ∈ [−ε, ε]` with `g = −1` in row `i`.
//! - Paper smoothness row `|x_p − mean(nbrs)| ≤ t`: one column `r_j ∈ [−t, t]`, `g = −1`.
//! - TV term `w·|x_p − x_q|`: two columns `p_j, q_j ≥ 0` with `g = −1, +1` and cost `w`.
//!
//! Every operator row carries at least one auxiliary column, which is what lets the interior-point
//! method eliminate the operator rows and work in pixel space (see [`super::ipm`]). The same LP
//! can be handed to the simplex ([`super::simplex`]) or to Clarabel ([`super::conic`]) as a plain
//! sparse LP.

// Numerical loops over several parallel arrays read best with an index.
#![allow(clippy::needless_range_loop)]

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What a solver concluded. Every solve reports one; only [`SolveStatus::Solved`] comes with a
/// meaningful point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Optimal (or, for an objective-free feasibility LP, feasible) to the tolerance.
    Solved,
    /// No point satisfies the constraints (the solver found a certificate).
    Infeasible,
    /// The objective is unbounded below (cannot happen for bounded pixels; reported if a solver says so).
    Unbounded,
    /// The iteration limit was reached first.
    IterationLimit,
    /// The solver failed numerically (or panicked and was caught).
    NumericalFailure,
}

impl SolveStatus {
    /// Short lowercase name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Solved => "solved",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::Unbounded => "unbounded",
            SolveStatus::IterationLimit => "iteration_limit",
            SolveStatus::NumericalFailure => "numerical_failure",
        }
    }
}

impl std::fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The row an auxiliary column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuxRow {
    /// Row `i` of the observed equations `W x = b`.
    Obs(usize),
    /// Row `j` of the sparse operator `D x = 0`.
    Op(usize),
}

/// An auxiliary column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aux {
    /// Its row.
    pub row: AuxRow,
    /// Its coefficient in that row (±1 in every formulation here).
    pub coef: f64,
    /// Its objective coefficient.
    pub cost: f64,
    /// Lower bound (finite).
    pub lower: f64,
    /// Upper bound (may be `f64::INFINITY`).
    pub upper: f64,
}

/// Sparse rows (CSR) of the operator `D`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseRows {
    /// Row `j` occupies `idx[ptr[j]..ptr[j+1]]`, `val[..]`.
    pub ptr: Vec<usize>,
    /// Column (pixel) indices.
    pub idx: Vec<usize>,
    /// Values.
    pub val: Vec<f64>,
}

impl SparseRows {
    /// No rows.
    pub fn new() -> Self {
        Self {
            ptr: vec![0],
            idx: Vec::new(),
            val: Vec::new(),
        }
    }

    /// Append a row.
    pub fn push(&mut self, row: &[(usize, f64)]) {
        for &(j, v) in row {
            self.idx.push(j);
            self.val.push(v);
        }
        self.ptr.push(self.idx.len());
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ptr.len().saturating_sub(1)
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `j` as (indices, values).
    pub fn row(&self, j: usize) -> (&[usize], &[f64]) {
        let (a, b) = (self.ptr[j], self.ptr[j + 1]);
        (&self.idx[a..b], &self.val[a..b])
    }

    /// `D·x`.
    pub fn mul(&self, x: &[f64]) -> Vec<f64> {
        (0..self.len())
            .map(|j| {
                let (i, v) = self.row(j);
                i.iter().zip(v).map(|(&c, &a)| a * x[c]).sum()
            })
            .collect()
    }

    /// `out += Dᵀ·y`.
    pub fn mul_t_add(&self, y: &[f64], out: &mut [f64]) {
        for (j, &yj) in y.iter().enumerate().take(self.len()) {
            let (i, v) = self.row(j);
            for (&c, &a) in i.iter().zip(v) {
                out[c] += a * yj;
            }
        }
    }

    /// Largest `max col − min col` over the rows (the half-bandwidth of `DᵀD`).
    pub fn bandwidth(&self) -> usize {
        (0..self.len())
            .map(|j| {
                let (i, _) = self.row(j);
                match (i.iter().min(), i.iter().max()) {
                    (Some(a), Some(b)) => b - a,
                    _ => 0,
                }
            })
            .max()
            .unwrap_or(0)
    }
}

/// The structured attack LP (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct AttackLp {
    /// Number of pixels.
    pub n: usize,
    /// Pixel costs `c`.
    pub cost: Vec<f64>,
    /// Pixel lower bounds.
    pub lower: Vec<f64>,
    /// Pixel upper bounds (finite).
    pub upper: Vec<f64>,
    /// Observed equations, `m×n` row-major.
    pub w: Vec<f64>,
    /// Number of observed equations.
    pub m: usize,
    /// Their right-hand side.
    pub b: Vec<f64>,
    /// The sparse operator rows.
    pub d: SparseRows,
    /// Auxiliary columns.
    pub aux: Vec<Aux>,
}

impl AttackLp {
    /// Number of rows `m + k`.
    pub fn rows(&self) -> usize {
        self.m + self.d.len()
    }

    /// Number of variables `n + #aux`.
    pub fn vars(&self) -> usize {
        self.n + self.aux.len()
    }

    /// Global row index of an auxiliary column's row.
    pub fn aux_row(&self, a: &Aux) -> usize {
        match a.row {
            AuxRow::Obs(i) => i,
            AuxRow::Op(j) => self.m + j,
        }
    }

    /// Check sizes, finiteness and that every operator row has an auxiliary column.
    pub fn validate(&self) -> Result<()> {
        let n = self.n;
        if self.cost.len() != n || self.lower.len() != n || self.upper.len() != n {
            return Err(Error::invalid("LP: pixel vectors have the wrong length"));
        }
        if self.w.len() != self.m * n || self.b.len() != self.m {
            return Err(Error::invalid(
                "LP: the observation matrix and z do not match",
            ));
        }
        if self.w.iter().chain(&self.b).any(|v| !v.is_finite()) {
            return Err(Error::invalid("LP: W or z holds a NaN or infinity"));
        }
        if self
            .lower
            .iter()
            .zip(&self.upper)
            .any(|(l, u)| !(l.is_finite() && u.is_finite() && l <= u))
        {
            return Err(Error::invalid(
                "LP: pixel bounds must be finite, lower ≤ upper",
            ));
        }
        if self.d.idx.iter().any(|&j| j >= n) {
            return Err(Error::invalid("LP: operator column out of range"));
        }
        let mut covered = vec![false; self.d.len()];
        for a in &self.aux {
            match a.row {
                AuxRow::Obs(i) if i >= self.m => {
                    return Err(Error::invalid("LP: auxiliary column in a missing row"))
                }
                AuxRow::Op(j) if j >= self.d.len() => {
                    return Err(Error::invalid("LP: auxiliary column in a missing row"))
                }
                AuxRow::Op(j) => covered[j] = true,
                AuxRow::Obs(_) => {}
            }
            if !(a.lower.is_finite() && a.lower <= a.upper && a.coef != 0.0) {
                return Err(Error::invalid("LP: bad auxiliary column"));
            }
        }
        if covered.iter().any(|c| !c) {
            return Err(Error::invalid(
                "LP: every operator row needs an auxiliary column",
            ));
        }
        Ok(())
    }

    /// `A·v` for the full variable vector `v = (x, aux)`.
    pub fn mul(&self, v: &[f64]) -> Vec<f64> {
        let n = self.n;
        let x = &v[..n];
        let mut out = Vec::with_capacity(self.rows());
        for i in 0..self.m {
            out.push(super::linalg::dot(&self.w[i * n..(i + 1) * n], x));
        }
        out.extend(self.d.mul(x));
        for (a, &va) in self.aux.iter().zip(&v[n..]) {
            let r = self.aux_row(a);
            out[r] += a.coef * va;
        }
        out
    }

    /// `Aᵀ·y`.
    pub fn mul_t(&self, y: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut out = vec![0.0; self.vars()];
        for i in 0..self.m {
            super::linalg::axpy(y[i], &self.w[i * n..(i + 1) * n], &mut out[..n]);
        }
        self.d.mul_t_add(&y[self.m..], &mut out[..n]);
        for (k, a) in self.aux.iter().enumerate() {
            out[n + k] = a.coef * y[self.aux_row(a)];
        }
        out
    }

    /// Right-hand side `(b, 0)`.
    pub fn rhs(&self) -> Vec<f64> {
        let mut r = self.b.clone();
        r.resize(self.rows(), 0.0);
        r
    }

    /// Costs of all variables.
    pub fn costs(&self) -> Vec<f64> {
        let mut c = self.cost.clone();
        c.extend(self.aux.iter().map(|a| a.cost));
        c
    }

    /// Bounds of all variables.
    pub fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        let mut l = self.lower.clone();
        let mut u = self.upper.clone();
        l.extend(self.aux.iter().map(|a| a.lower));
        u.extend(self.aux.iter().map(|a| a.upper));
        (l, u)
    }

    /// The constraint rows as sparse lists `(var, coef)` (for general-purpose solvers).
    pub fn sparse_rows(&self) -> Vec<Vec<(usize, f64)>> {
        let n = self.n;
        let mut rows: Vec<Vec<(usize, f64)>> = Vec::with_capacity(self.rows());
        for i in 0..self.m {
            rows.push(
                self.w[i * n..(i + 1) * n]
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0.0)
                    .map(|(j, &v)| (j, v))
                    .collect(),
            );
        }
        for j in 0..self.d.len() {
            let (i, v) = self.d.row(j);
            rows.push(i.iter().copied().zip(v.iter().copied()).collect());
        }
        for (k, a) in self.aux.iter().enumerate() {
            let r = self.aux_row(a);
            rows[r].push((n + k, a.coef));
        }
        rows
    }

    /// Objective value at `v`.
    pub fn objective(&self, v: &[f64]) -> f64 {
        self.costs().iter().zip(v).map(|(c, x)| c * x).sum()
    }

    /// Largest constraint violation at `v` (rows and bounds), in the LP's units.
    pub fn violation(&self, v: &[f64]) -> f64 {
        let r = self.mul(v);
        let rows = r
            .iter()
            .zip(self.rhs())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        let (l, u) = self.bounds();
        let bnd = v
            .iter()
            .zip(l.iter().zip(&u))
            .map(|(x, (l, u))| (l - x).max(x - u).max(0.0))
            .fold(0.0, f64::max);
        rows.max(bnd)
    }
}
