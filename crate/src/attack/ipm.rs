//! A primal–dual interior-point method (Mehrotra predictor–corrector) specialised for
//! [`AttackLp`].
//!
//! For `min cᵀv s.t. A v = b, l ≤ v ≤ u` with duals `y`, `z_l, z_u ≥ 0` every iteration solves
//!
//! ```text
//!   A·Θ·Aᵀ·Δy = r,     Θ⁻¹ = z_l/(v − l) + z_u/(u − v)   (diagonal)
//! ```
//!
//! Generic codes factor `A·Θ·Aᵀ` as one sparse matrix. Here the structure is used instead:
//! auxiliary columns sit in one row each, so the operator rows are eliminated with the diagonal
//! `E = Σ g_a²·θ_a`, leaving the pixel-space matrix `M = Θ_x⁻¹ + Dᵀ·E⁻¹·D` — diagonal for `minsum`
//! and `paper` without smoothness, banded otherwise ([`BandCholesky`]) — and the dense Schur
//! complement `S = W·M⁻¹·Wᵀ + E_obs` of the observed equations (`m×m`, [`DenseCholesky`]).
//! One iteration costs `n·b² + m·n·b + m²·n + m³/3` flops; the TV attack at `h = 128` takes a few
//! milliseconds per iteration.
//!
//! **Infeasibility** is detected with a certificate, not a guess: whenever the dual iterate `y`
//! proves `{A v = b, l ≤ v ≤ u}` empty — `bᵀy > Σ_i max(l_i·(Aᵀy)_i, u_i·(Aᵀy)_i)` (Farkas) —
//! the solver stops with [`SolveStatus::Infeasible`]. On primal-infeasible problems the dual
//! objective of the iterates grows without bound along exactly such a `y`.
//!
//! **Feasibility problems** (all costs 0, the paper's formulation) have the whole feasible set
//! as optimal face; the central path then collapses to one point, the *analytic centre*
//! `argmax Σ log(v − l) + Σ log(u − v)` over the feasible set. After the predictor–corrector
//! has converged, [`Ipm`] polishes with pure centring Newton steps so the returned point is that
//! centre — the "central solution" interior-point methods give, as opposed to a simplex vertex.

// Numerical loops over several parallel arrays read best with an index.
#![allow(clippy::needless_range_loop)]

use super::linalg::{axpy, dot, BandCholesky, DenseCholesky};
use super::lp::{AttackLp, SolveStatus};
use crate::{Error, Result};
use ndarray::ArrayView2;

/// Options of the interior-point method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpmOptions {
    /// Iteration limit of the predictor–corrector.
    pub max_iter: usize,
    /// Relative tolerance on primal/dual residuals and the duality gap.
    pub tol: f64,
    /// Centre feasibility problems (all costs zero) to the analytic centre after convergence.
    pub center_feasibility: bool,
}

impl Default for IpmOptions {
    fn default() -> Self {
        Self {
            max_iter: 120,
            tol: 1e-8,
            center_feasibility: true,
        }
    }
}

/// What the interior-point method returns.
#[derive(Debug, Clone)]
pub struct IpmSolution {
    /// Outcome.
    pub status: SolveStatus,
    /// The variables `(x, aux)` (the last iterate if not solved).
    pub v: Vec<f64>,
    /// Row duals.
    pub y: Vec<f64>,
    /// Predictor–corrector iterations (plus centring steps).
    pub iterations: usize,
    /// Objective value `cᵀv`.
    pub objective: f64,
}

/// Newton-system factorisation for one `Θ`.
struct Kkt<'a> {
    lp: &'a AttackLp,
    theta: Vec<f64>,
    e_op: Vec<f64>,
    band: Option<BandCholesky>,
    m_diag: Vec<f64>,
    e_obs: Vec<f64>,
    schur: Option<DenseCholesky>,
}

/// Diagonal regularisation of the Schur complement, relative to its largest diagonal entry.
/// Near a degenerate optimum `S = W·M⁻¹·Wᵀ` has eigenvalues spread over 20 orders of magnitude
/// and round-off would make Cholesky pivots negative; `S + δI` stays positive definite and
/// [`REFINE`] steps of iterative refinement with the exact `S` remove the bias of `δ`.
const SCHUR_REG: f64 = 1e-13;
/// Iterative-refinement steps on the Schur system.
const REFINE: usize = 3;

impl<'a> Kkt<'a> {
    fn new(lp: &'a AttackLp) -> Self {
        let band = if lp.d.is_empty() {
            None
        } else {
            Some(BandCholesky::zeros(lp.n, lp.d.bandwidth()))
        };
        Self {
            lp,
            theta: vec![0.0; lp.vars()],
            e_op: vec![0.0; lp.d.len()],
            band,
            m_diag: vec![0.0; lp.n],
            e_obs: vec![0.0; lp.m],
            schur: None,
        }
    }

    /// `M⁻¹·b` in place.
    fn m_solve(&self, b: &mut [f64]) {
        match &self.band {
            Some(band) => band.solve(b),
            None => b.iter_mut().zip(&self.m_diag).for_each(|(v, d)| *v /= d),
        }
    }

    fn factor(&mut self, theta: Vec<f64>) {
        let lp = self.lp;
        let (n, m) = (lp.n, lp.m);
        self.theta = theta;
        let mut e_obs = vec![0.0; m];
        self.e_op.iter_mut().for_each(|e| *e = 0.0);
        for (k, a) in lp.aux.iter().enumerate() {
            let t = a.coef * a.coef * self.theta[n + k];
            match a.row {
                super::lp::AuxRow::Obs(i) => e_obs[i] += t,
                super::lp::AuxRow::Op(j) => self.e_op[j] += t,
            }
        }
        for (d, t) in self.m_diag.iter_mut().zip(&self.theta[..n]) {
            *d = 1.0 / t;
        }
        // U = L⁻¹·Wᵀ stored by rows (u_i = L⁻¹ w_i), then S = U·Uᵀ + E_obs.
        let mut u = lp.w.clone();
        if let Some(band) = &mut self.band {
            band.clear();
            for (i, d) in self.m_diag.iter().enumerate() {
                band.add(i, i, *d);
            }
            for j in 0..lp.d.len() {
                let (idx, val) = lp.d.row(j);
                let inv = 1.0 / self.e_op[j];
                for (p, (&ip, &vp)) in idx.iter().zip(val).enumerate() {
                    for (q, (&iq, &vq)) in idx.iter().zip(val).enumerate().take(p + 1) {
                        let (r, c) = if ip >= iq { (ip, iq) } else { (iq, ip) };
                        // off-diagonal pairs of a repeated column land on the diagonal twice
                        let twice = if p != q && ip == iq { 2.0 } else { 1.0 };
                        band.add(r, c, twice * vp * vq * inv);
                    }
                }
            }
            band.factor();
            for i in 0..m {
                band.forward(&mut u[i * n..(i + 1) * n]);
            }
        } else {
            let s: Vec<f64> = self.theta[..n].iter().map(|t| t.sqrt()).collect();
            for i in 0..m {
                u[i * n..(i + 1) * n]
                    .iter_mut()
                    .zip(&s)
                    .for_each(|(v, s)| *v *= s);
            }
        }
        if m == 0 {
            self.schur = None;
            return;
        }
        let schur = match ArrayView2::from_shape((m, n), &u) {
            Ok(uv) => {
                let s = uv.dot(&uv.t());
                let mut s: Vec<f64> = s.iter().copied().collect();
                for (i, e) in e_obs.iter().enumerate() {
                    s[i * m + i] += e;
                }
                let reg = SCHUR_REG * (0..m).map(|i| s[i * m + i]).fold(0.0, f64::max);
                for i in 0..m {
                    s[i * m + i] += reg;
                }
                s
            }
            Err(_) => vec![0.0; m * m],
        };
        self.schur = Some(DenseCholesky::factor(schur, m));
        self.e_obs = e_obs;
    }

    /// `S·v = W·M⁻¹·Wᵀ·v + E_obs·v` without forming `S`.
    fn schur_apply(&self, v: &[f64]) -> Vec<f64> {
        let lp = self.lp;
        let n = lp.n;
        let mut q = vec![0.0; n];
        for (i, &vi) in v.iter().enumerate() {
            axpy(vi, &lp.w[i * n..(i + 1) * n], &mut q);
        }
        self.m_solve(&mut q);
        (0..lp.m)
            .map(|i| dot(&lp.w[i * n..(i + 1) * n], &q) + self.e_obs[i] * v[i])
            .collect()
    }

    /// Solve `A Θ Aᵀ dy = rp + A Θ r̂d`, return `(dv, dy)` with `dv = Θ(Aᵀdy − r̂d)`.
    fn solve(&self, rp: &[f64], rhat: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let lp = self.lp;
        let (n, m, k) = (lp.n, lp.m, lp.d.len());
        let mut g = rp.to_vec();
        for (a_i, a) in lp.aux.iter().enumerate() {
            let r = lp.aux_row(a);
            g[r] += a.coef * self.theta[n + a_i] * rhat[n + a_i];
        }
        let g2e: Vec<f64> = g[m..].iter().zip(&self.e_op).map(|(g, e)| g / e).collect();
        let mut f = rhat[..n].to_vec();
        // f = r̂d_x − Dᵀ E⁻¹ g2
        let mut dtg = vec![0.0; n];
        lp.d.mul_t_add(&g2e, &mut dtg);
        f.iter_mut().zip(&dtg).for_each(|(f, d)| *f -= d);
        let mut t = f.clone();
        self.m_solve(&mut t);
        let mut dy1: Vec<f64> = (0..m)
            .map(|i| g[i] + dot(&lp.w[i * n..(i + 1) * n], &t))
            .collect();
        if let Some(s) = &self.schur {
            let rhs = dy1.clone();
            s.solve(&mut dy1);
            for _ in 0..REFINE {
                let sv = self.schur_apply(&dy1);
                let mut r: Vec<f64> = rhs.iter().zip(&sv).map(|(a, b)| a - b).collect();
                s.solve(&mut r);
                axpy(1.0, &r, &mut dy1);
            }
        }
        let mut q = vec![0.0; n];
        for (i, &yi) in dy1.iter().enumerate() {
            axpy(yi, &lp.w[i * n..(i + 1) * n], &mut q);
        }
        self.m_solve(&mut q);
        let dx: Vec<f64> = q.iter().zip(&t).map(|(q, t)| q - t).collect();
        let ddx = lp.d.mul(&dx);
        let dy2: Vec<f64> = (0..k).map(|j| (g[m + j] - ddx[j]) / self.e_op[j]).collect();
        let mut dy = dy1;
        dy.extend(dy2);
        let mut dv = dx;
        for (a_i, a) in lp.aux.iter().enumerate() {
            let r = lp.aux_row(a);
            dv.push(self.theta[n + a_i] * (a.coef * dy[r] - rhat[n + a_i]));
        }
        (dv, dy)
    }
}

fn norm_inf(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |a, b| a.max(b.abs()))
}

/// Iterations without a new best merit before the solver gives up.
const STALL: usize = 8;
/// Accuracy accepted as solved when the iterates stall.
const LOOSE_TOL: f64 = 1e-6;

#[derive(Default)]
struct Snapshot {
    v: Vec<f64>,
    y: Vec<f64>,
    zl: Vec<f64>,
    zu: Vec<f64>,
}

/// The interior-point solver state.
pub struct Ipm<'a> {
    lp: &'a AttackLp,
    c: Vec<f64>,
    b: Vec<f64>,
    l: Vec<f64>,
    u: Vec<f64>,
    v: Vec<f64>,
    y: Vec<f64>,
    zl: Vec<f64>,
    zu: Vec<f64>,
    kkt: Kkt<'a>,
}

impl<'a> Ipm<'a> {
    /// Set up the solver at a standard interior starting point.
    pub fn new(lp: &'a AttackLp) -> Result<Self> {
        lp.validate()?;
        let c = lp.costs();
        let b = lp.rhs();
        let (l, u) = lp.bounds();
        let nv = lp.vars();
        let mut v = vec![0.0; nv];
        let mut zl = vec![0.0; nv];
        let mut zu = vec![0.0; nv];
        for i in 0..nv {
            if u[i].is_finite() {
                let w = u[i] - l[i];
                if w <= 0.0 {
                    return Err(Error::invalid(
                        "LP: a variable has equal bounds (fix it before solving)",
                    ));
                }
                v[i] = l[i] + 0.5 * w;
                let z0 = 1.0 / w.max(1e-3);
                zl[i] = z0 + c[i].max(0.0);
                zu[i] = z0 + (-c[i]).max(0.0);
            } else {
                v[i] = l[i] + 1.0;
                zl[i] = c[i].max(0.0) + 1.0;
            }
        }
        Ok(Self {
            lp,
            c,
            b,
            l,
            u,
            v,
            y: vec![0.0; lp.rows()],
            zl,
            zu,
            kkt: Kkt::new(lp),
        })
    }

    fn slacks(&self) -> (Vec<f64>, Vec<f64>) {
        let sl = self.v.iter().zip(&self.l).map(|(v, l)| v - l).collect();
        let su = self
            .v
            .iter()
            .zip(&self.u)
            .map(|(v, u)| if u.is_finite() { u - v } else { f64::INFINITY })
            .collect();
        (sl, su)
    }

    fn residuals(&self) -> (Vec<f64>, Vec<f64>) {
        let av = self.lp.mul(&self.v);
        let rp: Vec<f64> = self.b.iter().zip(&av).map(|(b, a)| b - a).collect();
        let aty = self.lp.mul_t(&self.y);
        let rd: Vec<f64> = (0..self.v.len())
            .map(|i| self.c[i] - aty[i] - self.zl[i] + self.zu[i])
            .collect();
        (rp, rd)
    }

    fn mu(&self, sl: &[f64], su: &[f64]) -> f64 {
        let mut s = 0.0;
        let mut cnt = 0usize;
        for i in 0..self.v.len() {
            s += sl[i] * self.zl[i];
            cnt += 1;
            if su[i].is_finite() {
                s += su[i] * self.zu[i];
                cnt += 1;
            }
        }
        s / cnt.max(1) as f64
    }

    /// True when the dual iterate is a Farkas certificate of primal infeasibility.
    fn farkas(&self) -> bool {
        let ny = norm_inf(&self.y);
        if !(ny > 0.0 && ny.is_finite()) {
            return false;
        }
        let y: Vec<f64> = self.y.iter().map(|v| v / ny).collect();
        let a = self.lp.mul_t(&y);
        let by = dot(&self.b, &y);
        let mut sup = 0.0;
        let mut scale = by.abs();
        for i in 0..a.len() {
            if a[i] > 0.0 {
                if self.u[i].is_finite() {
                    sup += a[i] * self.u[i];
                    scale += (a[i] * self.u[i]).abs();
                } else if a[i] > 1e-12 {
                    return false;
                }
            } else {
                sup += a[i] * self.l[i];
                scale += (a[i] * self.l[i]).abs();
            }
        }
        by - sup > 1e-7 * scale.max(1e-30)
    }

    /// Newton direction for complementarity targets `rl`, `ru`.
    fn direction(
        &self,
        rp: &[f64],
        rd: &[f64],
        sl: &[f64],
        su: &[f64],
        rl: &[f64],
        ru: &[f64],
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let nv = self.v.len();
        let mut rhat = vec![0.0; nv];
        for i in 0..nv {
            rhat[i] = rd[i] - rl[i] / sl[i];
            if su[i].is_finite() {
                rhat[i] += ru[i] / su[i];
            }
        }
        let (dv, dy) = self.kkt.solve(rp, &rhat);
        let mut dzl = vec![0.0; nv];
        let mut dzu = vec![0.0; nv];
        for i in 0..nv {
            dzl[i] = (rl[i] - self.zl[i] * dv[i]) / sl[i];
            if su[i].is_finite() {
                dzu[i] = (ru[i] + self.zu[i] * dv[i]) / su[i];
            }
        }
        (dv, dy, dzl, dzu)
    }

    fn step_lengths(
        &self,
        sl: &[f64],
        su: &[f64],
        dv: &[f64],
        dzl: &[f64],
        dzu: &[f64],
    ) -> (f64, f64) {
        let mut ap = f64::INFINITY;
        let mut ad = f64::INFINITY;
        for i in 0..dv.len() {
            if dv[i] < 0.0 {
                ap = ap.min(-sl[i] / dv[i]);
            } else if dv[i] > 0.0 && su[i].is_finite() {
                ap = ap.min(su[i] / dv[i]);
            }
            if dzl[i] < 0.0 {
                ad = ad.min(-self.zl[i] / dzl[i]);
            }
            if su[i].is_finite() && dzu[i] < 0.0 {
                ad = ad.min(-self.zu[i] / dzu[i]);
            }
        }
        (ap, ad)
    }

    fn theta(&self, sl: &[f64], su: &[f64]) -> Vec<f64> {
        (0..self.v.len())
            .map(|i| {
                let mut inv = self.zl[i] / sl[i];
                if su[i].is_finite() {
                    inv += self.zu[i] / su[i];
                }
                1.0 / inv.max(1e-300)
            })
            .collect()
    }

    fn apply(&mut self, ap: f64, ad: f64, d: &(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)) {
        axpy(ap, &d.0, &mut self.v);
        axpy(ad, &d.1, &mut self.y);
        axpy(ad, &d.2, &mut self.zl);
        axpy(ad, &d.3, &mut self.zu);
        // keep strictly interior against round-off
        for i in 0..self.v.len() {
            let lo = self.l[i];
            if self.v[i] <= lo {
                self.v[i] = lo + 1e-14 * (1.0 + lo.abs());
            }
            if self.u[i].is_finite() && self.v[i] >= self.u[i] {
                self.v[i] = self.u[i] - 1e-14 * (1.0 + self.u[i].abs());
            }
            self.zl[i] = self.zl[i].max(1e-300);
            if self.u[i].is_finite() {
                self.zu[i] = self.zu[i].max(1e-300);
            }
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            v: self.v.clone(),
            y: self.y.clone(),
            zl: self.zl.clone(),
            zu: self.zu.clone(),
        }
    }

    fn restore(&mut self, s: Snapshot) {
        if s.v.len() == self.v.len() {
            self.v = s.v;
            self.y = s.y;
            self.zl = s.zl;
            self.zu = s.zu;
        }
    }

    /// Run the predictor–corrector (and centring for feasibility problems).
    pub fn solve(mut self, opts: &IpmOptions) -> IpmSolution {
        let nv = self.v.len();
        let bnorm = norm_inf(&self.b);
        let cnorm = norm_inf(&self.c);
        let feasibility = self.c.iter().all(|c| *c == 0.0);
        let mut status = SolveStatus::IterationLimit;
        let mut iterations = 0;
        let mut best: (f64, usize, Snapshot) = (f64::INFINITY, 0, Snapshot::default());
        for it in 0..opts.max_iter {
            iterations = it;
            let (sl, su) = self.slacks();
            let (rp, rd) = self.residuals();
            let mu = self.mu(&sl, &su);
            let pinf = norm_inf(&rp) / (1.0 + bnorm);
            let dinf = norm_inf(&rd) / (1.0 + cnorm);
            let pobj = dot(&self.c, &self.v);
            let mut dobj = dot(&self.b, &self.y);
            for i in 0..nv {
                dobj += self.l[i] * self.zl[i];
                if su[i].is_finite() {
                    dobj -= self.u[i] * self.zu[i];
                }
            }
            let gap = (pobj - dobj).abs() / (1.0 + pobj.abs());
            if !(pinf.is_finite() && dinf.is_finite() && mu.is_finite()) {
                status = SolveStatus::NumericalFailure;
                break;
            }
            if pinf <= opts.tol && dinf <= opts.tol && (gap <= opts.tol || mu <= opts.tol * 1e-2) {
                status = SolveStatus::Solved;
                break;
            }
            if pinf > opts.tol && self.farkas() {
                status = SolveStatus::Infeasible;
                break;
            }
            // Near the optimum the normal equations lose accuracy (Θ spans 20 orders of
            // magnitude). Keep the best iterate; once it meets a looser tolerance and the
            // residuals then grow far above it or stop improving, return it.
            let merit = pinf.max(dinf).max(gap);
            if merit < best.0 {
                best = (merit, it, self.snapshot());
            } else if best.0 <= LOOSE_TOL && (merit > 1e3 * best.0 || it >= best.1 + STALL) {
                let (_, _, snap) = std::mem::take(&mut best);
                self.restore(snap);
                status = SolveStatus::Solved;
                break;
            }
            self.kkt.factor(self.theta(&sl, &su));
            // predictor
            let rl: Vec<f64> = (0..nv).map(|i| -sl[i] * self.zl[i]).collect();
            let ru: Vec<f64> = (0..nv)
                .map(|i| {
                    if su[i].is_finite() {
                        -su[i] * self.zu[i]
                    } else {
                        0.0
                    }
                })
                .collect();
            let aff = self.direction(&rp, &rd, &sl, &su, &rl, &ru);
            let (ap, ad) = self.step_lengths(&sl, &su, &aff.0, &aff.2, &aff.3);
            let (ap, ad) = (ap.min(1.0), ad.min(1.0));
            let mut s_aff = 0.0;
            let mut cnt = 0usize;
            for i in 0..nv {
                s_aff += (sl[i] + ap * aff.0[i]) * (self.zl[i] + ad * aff.2[i]);
                cnt += 1;
                if su[i].is_finite() {
                    s_aff += (su[i] - ap * aff.0[i]) * (self.zu[i] + ad * aff.3[i]);
                    cnt += 1;
                }
            }
            let mu_aff = s_aff / cnt.max(1) as f64;
            let sigma = (mu_aff / mu).clamp(0.0, 1.0).powi(3);
            // corrector
            let rl: Vec<f64> = (0..nv)
                .map(|i| sigma * mu - sl[i] * self.zl[i] - aff.0[i] * aff.2[i])
                .collect();
            let ru: Vec<f64> = (0..nv)
                .map(|i| {
                    if su[i].is_finite() {
                        sigma * mu - su[i] * self.zu[i] + aff.0[i] * aff.3[i]
                    } else {
                        0.0
                    }
                })
                .collect();
            let d = self.direction(&rp, &rd, &sl, &su, &rl, &ru);
            let (ap, ad) = self.step_lengths(&sl, &su, &d.0, &d.2, &d.3);
            let eta = 0.995f64.max(1.0 - mu);
            let (ap, ad) = ((eta * ap).min(1.0), (eta * ad).min(1.0));
            self.apply(ap, ad, &d);
            if norm_inf(&self.y) > 1e30 {
                status = if self.farkas() {
                    SolveStatus::Infeasible
                } else {
                    SolveStatus::NumericalFailure
                };
                break;
            }
            iterations = it + 1;
        }
        if status == SolveStatus::IterationLimit && self.farkas() {
            status = SolveStatus::Infeasible;
        }
        if matches!(
            status,
            SolveStatus::IterationLimit | SolveStatus::NumericalFailure
        ) && best.0 <= LOOSE_TOL
        {
            self.restore(std::mem::take(&mut best).2);
            status = SolveStatus::Solved;
        }
        if status == SolveStatus::Solved && feasibility && opts.center_feasibility {
            iterations += self.center(opts.tol);
        }
        let objective = dot(&self.c, &self.v);
        IpmSolution {
            status,
            v: self.v,
            y: self.y,
            iterations,
            objective,
        }
    }

    /// Damped Newton steps towards the analytic centre (central point with `μ = 1`, `c = 0`).
    /// Returns the number of steps taken.
    fn center(&mut self, tol: f64) -> usize {
        let nv = self.v.len();
        let (sl0, su0) = self.slacks();
        let mu0 = self.mu(&sl0, &su0).max(1e-300);
        // Rescale the duals to μ = 1 (for c = 0 the central duals scale linearly with μ).
        self.y.iter_mut().for_each(|y| *y /= mu0);
        for i in 0..nv {
            self.zl[i] = 1.0 / sl0[i];
            if su0[i].is_finite() {
                self.zu[i] = 1.0 / su0[i];
            }
        }
        let mut steps = 0;
        for _ in 0..40 {
            let (sl, su) = self.slacks();
            let (rp, rd) = self.residuals();
            self.kkt.factor(self.theta(&sl, &su));
            let rl: Vec<f64> = (0..nv).map(|i| 1.0 - sl[i] * self.zl[i]).collect();
            let ru: Vec<f64> = (0..nv)
                .map(|i| {
                    if su[i].is_finite() {
                        1.0 - su[i] * self.zu[i]
                    } else {
                        0.0
                    }
                })
                .collect();
            let d = self.direction(&rp, &rd, &sl, &su, &rl, &ru);
            let (ap, ad) = self.step_lengths(&sl, &su, &d.0, &d.2, &d.3);
            let damp = |a: f64| if a > 1.05 { 1.0 } else { 0.95 * a };
            let (ap, ad) = (damp(ap), damp(ad));
            let rel = (0..self.lp.n)
                .map(|i| (d.0[i] / (self.u[i] - self.l[i])).abs())
                .fold(0.0, f64::max);
            self.apply(ap, ad, &d);
            steps += 1;
            if rel * ap < tol.sqrt() * 1e-2 && ap > 0.9 {
                break;
            }
        }
        steps
    }
}

/// Solve an [`AttackLp`] with the interior-point method.
///
/// When the observed equations alone determine `x` (`m ≥ n`, full column rank, no ε-band) the
/// feasible set is at most one point: it is computed directly from the normal equations
/// `WᵀW·x = Wᵀb` (`n³/3` flops instead of an interior-point run with an `m×m` Schur complement)
/// and returned if it satisfies every constraint; otherwise the interior-point method decides.
pub fn solve(lp: &AttackLp, opts: &IpmOptions) -> Result<IpmSolution> {
    lp.validate()?;
    if let Some(v) = determined(lp) {
        let objective = lp.objective(&v);
        return Ok(IpmSolution {
            status: SolveStatus::Solved,
            y: vec![0.0; lp.rows()],
            v,
            iterations: 0,
            objective,
        });
    }
    Ok(Ipm::new(lp)?.solve(opts))
}

/// The unique point of `{W x = b}` if the equations determine `x` and the point is feasible.
fn determined(lp: &AttackLp) -> Option<Vec<f64>> {
    let (n, m) = (lp.n, lp.m);
    if m < n
        || lp
            .aux
            .iter()
            .any(|a| matches!(a.row, super::lp::AuxRow::Obs(_)))
    {
        return None;
    }
    let w = ArrayView2::from_shape((m, n), &lp.w).ok()?;
    let gram: Vec<f64> = w.t().dot(&w).iter().copied().collect();
    let chol = DenseCholesky::factor(gram, n);
    if chol.dropped() > 0 {
        return None;
    }
    let mut x = vec![0.0; n];
    for i in 0..m {
        axpy(lp.b[i], &lp.w[i * n..(i + 1) * n], &mut x);
    }
    chol.solve(&mut x);
    // auxiliary columns from the operator rows: D x + Σ g_a v_a = 0
    let dx = lp.d.mul(&x);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); lp.d.len()];
    for (k, a) in lp.aux.iter().enumerate() {
        if let super::lp::AuxRow::Op(j) = a.row {
            rows[j].push(k);
        }
    }
    let mut v = x;
    v.resize(lp.vars(), 0.0);
    for (j, cols) in rows.iter().enumerate() {
        match cols.as_slice() {
            [a] => v[n + a] = -dx[j] / lp.aux[*a].coef,
            [a, b] if lp.aux[*a].coef * lp.aux[*b].coef < 0.0 => {
                // g_a v_a + g_b v_b = −s with v ≥ 0: put |s| on the column with the right sign
                let (pos, neg) = if lp.aux[*a].coef > 0.0 {
                    (*a, *b)
                } else {
                    (*b, *a)
                };
                let s = -dx[j];
                v[n + pos] = s.max(0.0) / lp.aux[pos].coef;
                v[n + neg] = (-s).max(0.0) / -lp.aux[neg].coef;
            }
            _ => return None,
        }
    }
    let scale = 1.0 + norm_inf(&lp.b);
    if lp.violation(&v) > 1e-7 * scale {
        return None;
    }
    // clip round-off outside the bounds
    let (l, u) = lp.bounds();
    for i in 0..v.len() {
        v[i] = v[i].clamp(l[i], u[i]);
    }
    Some(v)
}
