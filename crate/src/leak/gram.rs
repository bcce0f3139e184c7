//! The server's estimates of the training set's Gram matrix `G = X·Xᵀ` (`G[b, j] = ⟨x_b, x_j⟩`,
//! pixels on [0, 1]) from what it recorded ([`Trajectory`]), and their error.
//!
//! The model (`../shared/science.md` §4.1): the client's update is `W1_{t+1} = W1_t − η·δ1_tᵀ·X_t`
//! and the server computed `δ1_t` itself, so for any stored sample `j`
//!
//! ```text
//!   z_{t,j} = a_j + C_t·g_j + ρ_{t,j},     C_t = Σ_{s<t} Φ_s·P_s,   Φ_s = −η·δ1_sᵀ (h × m)
//! ```
//!
//! with `a_j = W1_0·x_j` unknown (the client's `W1` is private), `g_j = G[·, j]` unknown, `P_s`
//! the batch's selection and `ρ` the rounding of the keys (`round(S·W1)`) or the client's noise.
//!
//! | estimator | what the server needs | how |
//! |---|---|---|
//! | [`trajectory_ls`] | `z_{t,j}` at *every* step (FHIPE, one master key) | least squares over the whole trajectory, `a_j` eliminated by centring in time; the normal matrix `Q = Σ_t C̃_tᵀC̃_t` (N × N) is the same for every `j`: built once from the `m × m` blocks `Φ_sᵀΦ_{s'}` (the differences `z_{t+1} − z_t` involve only the batch's `m` unknowns), factored once |
//! | [`visits_min_norm`] | `z_j` once per visit (client in the loop, re-keying) | the differences between visits are `h` equations per epoch in `g_j`: the minimum-norm solution |
//! | [`random_projection`] | `z` of two samples under one `W1` | `W1_0` is drawn from the public `N(0, 2/n)`: `⟨z, z′⟩·n/(2h)` estimates `⟨x, x′⟩` |

use super::trajectory::Trajectory;
use crate::attack::linalg::DenseCholesky;
use crate::{Error, Result};
use ndarray::{s, Array2, Axis};

/// An estimate of (part of) `G`: `N × N`, `NaN` where the server has no estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct GramEstimate {
    /// `values[[b, j]] ≈ ⟨x_b, x_j⟩`, `NaN` when not estimated.
    pub values: Array2<f64>,
    /// Which estimator made it.
    pub method: &'static str,
}

/// Relative error and coverage of an estimate against the truth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GramError {
    /// `‖Ĝ − G‖_F / ‖G‖_F` over the estimated entries.
    pub rel_error: f64,
    /// Share of the `N²` entries that are estimated.
    pub coverage: f64,
}

impl GramEstimate {
    /// An estimate with nothing in it.
    pub fn empty(n: usize, method: &'static str) -> Self {
        Self {
            values: Array2::from_elem((n, n), f64::NAN),
            method,
        }
    }

    /// `⟨x_b, x_j⟩` if estimated.
    pub fn get(&self, b: usize, j: usize) -> Option<f64> {
        self.values.get((b, j)).copied().filter(|v| v.is_finite())
    }

    /// Score against the true Gram matrix (the experimenter's: the truth enters only here).
    pub fn error(&self, truth: &Array2<f64>) -> Result<GramError> {
        if truth.dim() != self.values.dim() {
            return Err(Error::invalid("Gram matrices of different sizes"));
        }
        let (mut num, mut den, mut count) = (0.0, 0.0, 0usize);
        for (e, t) in self.values.iter().zip(truth) {
            if e.is_finite() {
                num += (e - t) * (e - t);
                den += t * t;
                count += 1;
            }
        }
        Ok(GramError {
            rel_error: if den > 0.0 {
                (num / den).sqrt()
            } else {
                f64::NAN
            },
            coverage: count as f64 / self.values.len().max(1) as f64,
        })
    }

    /// Average `Ĝ[b, j]` and `Ĝ[j, b]` where both are estimated (the matrix is symmetric).
    pub fn symmetrise(&mut self) {
        let n = self.values.nrows();
        for b in 0..n {
            for j in 0..b {
                let (u, v) = (self.values[[b, j]], self.values[[j, b]]);
                let w = match (u.is_finite(), v.is_finite()) {
                    (true, true) => 0.5 * (u + v),
                    (true, false) => u,
                    (false, true) => v,
                    _ => continue,
                };
                self.values[[b, j]] = w;
                self.values[[j, b]] = w;
            }
        }
    }
}

/// The true Gram matrix of pixel rows `x` (N × n, [0, 1]) — for scoring only.
pub fn truth(x: &Array2<f64>) -> Array2<f64> {
    x.dot(&x.t())
}

/// `Φ_s = −η·δ1_sᵀ` (h × m) for every step.
fn phis(traj: &Trajectory) -> Vec<Array2<f64>> {
    let lr = f64::from(traj.settings.lr);
    traj.steps
        .iter()
        .map(|st| st.delta1.t().mapv(|d| -lr * d))
        .collect()
}

/// Whole-trajectory least squares (FHIPE with one master key): columns `columns` of `G`, from
/// `z_{t,j}` of those samples at every step. Errors unless the server held every step's keys.
pub fn trajectory_ls(traj: &Trajectory, columns: &[usize]) -> Result<GramEstimate> {
    let n = traj.samples;
    let t_count = traj.steps.len();
    if columns.iter().any(|&j| j >= n) {
        return Err(Error::invalid("a Gram column outside the training set"));
    }
    if !traj.holds_every_step() {
        return Err(Error::invalid(
            "whole-trajectory least squares needs z at every step: only FHIPE with one master key gives it",
        ));
    }
    if t_count < 2 || columns.is_empty() {
        return Ok(GramEstimate::empty(n, "trajectory_ls"));
    }
    let h = traj.settings.hidden;
    let phi = phis(traj);
    // Every update column, with its step and sample.
    let owners: Vec<(usize, usize)> = traj
        .steps
        .iter()
        .enumerate()
        .flat_map(|(s, st)| st.ids.iter().map(move |&b| (s, b)))
        .collect();
    let mut all = Array2::<f64>::zeros((h, owners.len()));
    let mut at = 0;
    for p in &phi {
        all.slice_mut(s![.., at..at + p.ncols()]).assign(p);
        at += p.ncols();
    }
    // Σ_t C_tᵀC_t = Σ_{s,s'} (T − 1 − max(s, s'))·P_sᵀΦ_sᵀΦ_{s'}P_{s'}  (observations t = 0..T−1).
    let last = t_count - 1;
    let mut q = Array2::<f64>::zeros((n, n));
    let mut at = 0;
    for (s, p) in phi.iter().enumerate() {
        let m = p.ncols();
        if s < last {
            let blk = p.t().dot(&all);
            for (r, &b) in traj.steps[s].ids.iter().enumerate() {
                let row = blk.row(r);
                let mut qrow = q.row_mut(b);
                for (c, &(s2, b2)) in owners.iter().enumerate() {
                    let w = last.saturating_sub(s.max(s2));
                    if w > 0 {
                        qrow[b2] += w as f64 * row[c];
                    }
                }
            }
        }
        at += m;
    }
    debug_assert_eq!(at, owners.len());
    // C̄ = (1/T)·Σ_s (T − 1 − s)·Φ_s·P_s;  Q = Σ C_tᵀC_t − T·C̄ᵀC̄.
    let mut cbar = Array2::<f64>::zeros((h, n));
    for (s, p) in phi.iter().enumerate() {
        let w = last.saturating_sub(s) as f64 / t_count as f64;
        for (r, &b) in traj.steps[s].ids.iter().enumerate() {
            cbar.column_mut(b).scaled_add(w, &p.column(r));
        }
    }
    q.scaled_add(-(t_count as f64), &cbar.t().dot(&cbar));
    // Right-hand sides: r = Σ_s P_sᵀΦ_sᵀ(Σ_{t>s} z_t) − C̄ᵀ·Σ_t z_t, all columns at once.
    let r_cols = columns.len();
    let mut rhs = Array2::<f64>::zeros((n, r_cols));
    let mut suffix = Array2::<f64>::zeros((r_cols, h));
    for s in (0..t_count).rev() {
        if s < last {
            let blk = phi[s].t().dot(&suffix.t());
            for (r, &b) in traj.steps[s].ids.iter().enumerate() {
                rhs.row_mut(b).scaled_add(1.0, &blk.row(r));
            }
        }
        let z = traj
            .held(s, columns)?
            .ok_or_else(|| Error::invalid("the server kept no keys"))?;
        suffix += &z;
    }
    rhs.scaled_add(-1.0, &cbar.t().dot(&suffix.t()));
    // A sample whose update columns were all zero before the last step (δ1 = 0: every ReLU
    // unit dead on it, or a sample met only at the last step) enters no equation: g_j[b] is
    // free for every column j. Its row is reported as not estimated, not as a guess.
    let max_diag = q.diag().fold(0.0f64, |a, &b| a.max(b));
    let silent: Vec<bool> = q.diag().iter().map(|&d| d <= 1e-12 * max_diag).collect();
    // Solve Q·g = r (the tiny ridge keeps the silent samples' decoupled rows solvable).
    for i in 0..n {
        q[[i, i]] += 1e-10 * max_diag.max(f64::MIN_POSITIVE);
    }
    let chol = DenseCholesky::factor(q.into_raw_vec_and_offset().0, n);
    let mut est = GramEstimate::empty(n, "trajectory_ls");
    for (c, &j) in columns.iter().enumerate() {
        let mut g = rhs.column(c).to_vec();
        chol.solve(&mut g);
        for (b, v) in g.into_iter().enumerate() {
            if !silent[b] {
                est.values[[b, j]] = v;
            }
        }
    }
    est.symmetrise();
    Ok(est)
}

/// Minimum-norm estimate of columns `columns` from the visits alone (client in the loop,
/// re-keying): between two visits of `j` the server sees `z_{t',j} − z_{t,j} = Σ_{t≤s<t'} Φ_s·g_j[B_s]`
/// — `h` equations per pair of visits in the `N` unknowns of `g_j`.
pub fn visits_min_norm(traj: &Trajectory, columns: &[usize]) -> Result<GramEstimate> {
    let n = traj.samples;
    let h = traj.settings.hidden;
    if columns.iter().any(|&j| j >= n) {
        return Err(Error::invalid("a Gram column outside the training set"));
    }
    let phi = phis(traj);
    // Where each sample was seen: (step, row of the batch).
    let mut visits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (s, st) in traj.steps.iter().enumerate() {
        for (r, &b) in st.ids.iter().enumerate() {
            visits[b].push((s, r));
        }
    }
    let mut est = GramEstimate::empty(n, "visits_min_norm");
    for &j in columns {
        let v = &visits[j];
        if v.len() < 2 {
            continue;
        }
        let pairs = v.len() - 1;
        // U_e (h × N): Σ_{s ∈ [t_e, t_{e+1})} Φ_s·P_s, stacked: M = [U_1; …] (pairs·h × N).
        let mut m = Array2::<f64>::zeros((pairs * h, n));
        let mut y = vec![0.0; pairs * h];
        for e in 0..pairs {
            let ((t0, r0), (t1, r1)) = (v[e], v[e + 1]);
            for (s, p) in phi.iter().enumerate().take(t1).skip(t0) {
                for (r, &b) in traj.steps[s].ids.iter().enumerate() {
                    m.slice_mut(s![e * h..(e + 1) * h, b])
                        .scaled_add(1.0, &p.column(r));
                }
            }
            let dz = &traj.steps[t1].z1.row(r1) - &traj.steps[t0].z1.row(r0);
            y[e * h..(e + 1) * h].copy_from_slice(dz.as_slice().unwrap_or(&dz.to_vec()));
        }
        // g = Mᵀ(MMᵀ + εI)⁻¹y.
        let mut mmt = m.dot(&m.t());
        let k = mmt.nrows();
        let max_diag = mmt.diag().fold(0.0f64, |a, &b| a.max(b));
        for i in 0..k {
            mmt[[i, i]] += 1e-9 * max_diag.max(f64::MIN_POSITIVE);
        }
        let chol = DenseCholesky::factor(mmt.into_raw_vec_and_offset().0, k);
        chol.solve(&mut y);
        let g = m.t().dot(&ndarray::Array1::from(y));
        for (b, val) in g.into_iter().enumerate() {
            est.values[[b, j]] = val;
        }
    }
    est.symmetrise();
    Ok(est)
}

/// The single-step random-projection estimate `⟨z_b, z_j⟩·n/(2h)` for every pair the server
/// saw under one `W1`: under one master key, every stored sample at step 0 (the keys of the
/// first step open every ciphertext); otherwise the pairs inside a batch, at their first
/// shared step.
pub fn random_projection(traj: &Trajectory) -> Result<GramEstimate> {
    let n = traj.samples;
    let scale = crate::data::mnist::PIXELS as f64 / (2.0 * traj.settings.hidden as f64);
    let mut est = GramEstimate::empty(n, "random_projection");
    if traj.holds_every_step() && !traj.steps.is_empty() {
        let ids: Vec<usize> = (0..n).collect();
        let z0 = traj
            .held(0, &ids)?
            .ok_or_else(|| Error::invalid("the server kept no keys"))?;
        est.values = z0.dot(&z0.t()) * scale;
        return Ok(est);
    }
    for st in &traj.steps {
        let g = st.z1.dot(&st.z1.t()) * scale;
        for (r, &b) in st.ids.iter().enumerate() {
            for (c, &j) in st.ids.iter().enumerate() {
                if !est.values[[b, j]].is_finite() {
                    est.values[[b, j]] = g[[r, c]];
                }
            }
        }
    }
    Ok(est)
}

/// The last batch's block of an estimate and of the truth, for display: `(ids, estimate, truth)`.
pub fn last_batch_block(
    traj: &Trajectory,
    est: &GramEstimate,
    truth: &Array2<f64>,
) -> (Vec<usize>, Array2<f64>, Array2<f64>) {
    let ids = traj.steps.last().map(|s| s.ids.clone()).unwrap_or_default();
    let pick = |a: &Array2<f64>| a.select(Axis(0), &ids).select(Axis(1), &ids);
    (ids.clone(), pick(&est.values), pick(truth))
}
