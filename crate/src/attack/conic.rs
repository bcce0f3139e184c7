//! The general-purpose interior-point path: an [`AttackLp`] handed to Clarabel (a pure-Rust
//! homogeneous-embedding interior-point solver) as `min cᵀv s.t. A v = b (zero cone),
//! l ≤ v ≤ u (non-negative cone)`.
//!
//! Clarabel factors the whole KKT matrix with a sparse LDLᵀ; with a dense `W` that is far slower
//! than the structured method of [`super::ipm`], so it serves as the independent reference the
//! structured solver is validated against (tests), and as an option of the CLI.

use super::lp::{AttackLp, SolveStatus};
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus,
    SupportedConeT, ZeroConeT,
};

/// Result of a Clarabel solve.
#[derive(Debug, Clone)]
pub struct ConicSolution {
    /// Outcome.
    pub status: SolveStatus,
    /// Variables `(x, aux)`.
    pub v: Vec<f64>,
    /// Objective value.
    pub objective: f64,
    /// Iterations.
    pub iterations: usize,
}

/// Solve with Clarabel.
pub fn solve(lp: &AttackLp, max_iter: u32) -> ConicSolution {
    let nv = lp.vars();
    let rows = lp.sparse_rows();
    let neq = rows.len();
    let (l, u) = lp.bounds();
    let (mut ii, mut jj, mut vv) = (Vec::new(), Vec::new(), Vec::new());
    for (r, row) in rows.iter().enumerate() {
        for &(j, a) in row {
            ii.push(r);
            jj.push(j);
            vv.push(a);
        }
    }
    let mut b = lp.rhs();
    let mut k = neq;
    for j in 0..nv {
        // −v_j + s = −l_j, s ≥ 0
        ii.push(k);
        jj.push(j);
        vv.push(-1.0);
        b.push(-l[j]);
        k += 1;
        if u[j].is_finite() {
            ii.push(k);
            jj.push(j);
            vv.push(1.0);
            b.push(u[j]);
            k += 1;
        }
    }
    let a = CscMatrix::new_from_triplets(k, nv, ii, jj, vv);
    let p = CscMatrix::zeros((nv, nv));
    let q = lp.costs();
    let cones: Vec<SupportedConeT<f64>> = vec![ZeroConeT(neq), NonnegativeConeT(k - neq)];
    let fail = |status| ConicSolution {
        status,
        v: Vec::new(),
        objective: f64::NAN,
        iterations: 0,
    };
    let settings = match DefaultSettingsBuilder::default()
        .verbose(false)
        .max_iter(max_iter)
        .build()
    {
        Ok(s) => s,
        Err(_) => return fail(SolveStatus::NumericalFailure),
    };
    let mut solver = match DefaultSolver::new(&p, &q, &a, &b, &cones, settings) {
        Ok(s) => s,
        Err(_) => return fail(SolveStatus::NumericalFailure),
    };
    solver.solve();
    let sol = &solver.solution;
    let status = status_of(sol.status);
    ConicSolution {
        status,
        v: sol.x.clone(),
        objective: sol.obj_val,
        iterations: sol.iterations as usize,
    }
}

/// Clarabel's verdict in the attack's words ("almost" solved counts as solved, as the
/// interior-point method's own tolerance intends).
pub(crate) fn status_of(s: SolverStatus) -> SolveStatus {
    match s {
        SolverStatus::Solved | SolverStatus::AlmostSolved => SolveStatus::Solved,
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
            SolveStatus::Infeasible
        }
        SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => SolveStatus::Unbounded,
        SolverStatus::MaxIterations | SolverStatus::MaxTime => SolveStatus::IterationLimit,
        _ => SolveStatus::NumericalFailure,
    }
}
