//! The simplex reference path: an [`AttackLp`] handed to `microlp` (the maintained fork of
//! `minilp`, a dual/primal revised simplex with sparse LU) as a plain sparse LP.
//!
//! A simplex returns a *vertex* of the optimal face. For the objective-free `paper` LP that is
//! an arbitrary vertex of the feasible polytope — which is why the paper's result depends on
//! using an interior-point method. `microlp` has no iteration or time limit and may panic on
//! numerically singular bases; natively the panic is caught and reported as
//! [`SolveStatus::NumericalFailure`] (when the binary is built with `panic = "abort"` it cannot be).

use super::lp::{AttackLp, SolveStatus};
use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// Result of a simplex solve.
#[derive(Debug, Clone)]
pub struct SimplexSolution {
    /// Outcome.
    pub status: SolveStatus,
    /// Variables `(x, aux)` (empty unless solved).
    pub v: Vec<f64>,
    /// Objective value.
    pub objective: f64,
}

fn run(lp: &AttackLp) -> SimplexSolution {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let costs = lp.costs();
    let (l, u) = lp.bounds();
    let vars: Vec<_> = (0..lp.vars())
        .map(|i| p.add_var(costs[i], (l[i], u[i])))
        .collect();
    for (row, rhs) in lp.sparse_rows().into_iter().zip(lp.rhs()) {
        let expr: Vec<_> = row.into_iter().map(|(j, a)| (vars[j], a)).collect();
        p.add_constraint(expr.as_slice(), ComparisonOp::Eq, rhs);
    }
    match p.solve() {
        Ok(sol) => SimplexSolution {
            status: SolveStatus::Solved,
            v: vars.iter().map(|v| *sol.var_value(*v)).collect(),
            objective: sol.objective(),
        },
        Err(e) => SimplexSolution {
            status: match e {
                microlp::Error::Infeasible => SolveStatus::Infeasible,
                microlp::Error::Unbounded => SolveStatus::Unbounded,
                #[allow(unreachable_patterns)]
                _ => SolveStatus::NumericalFailure,
            },
            v: Vec::new(),
            objective: f64::NAN,
        },
    }
}

/// Solve with `microlp`.
pub fn solve(lp: &AttackLp) -> SimplexSolution {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(lp))).unwrap_or(
            SimplexSolution {
                status: SolveStatus::NumericalFailure,
                v: Vec::new(),
                objective: f64::NAN,
            },
        )
    }
    #[cfg(target_arch = "wasm32")]
    {
        run(lp)
    }
}
