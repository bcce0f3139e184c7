//! The known-sample attack: if the server knows `k` of the client's samples `x_a`, a row of its
//! Gram estimate gives `⟨x_a, x_j⟩ = g_a` for each — `K·x_j = g` with `K` (k × n) known: the LP
//! attack of `../shared/science.md` §3 ([`crate::attack::formulation`], solved by
//! [`crate::attack::ipm`]) with the known samples as the matrix. Estimated rows are noisy, so
//! the data fit can be an L1 penalty `μ·Σ|K·x − g|` instead of equalities.

use crate::attack::formulation::{self, Method};
use crate::attack::ipm::{self, IpmOptions};
use crate::attack::lp::{Aux, AuxRow};
use crate::attack::{AttackKind, SolveStatus};
use crate::{Error, Result};

/// How the rebuilt sample must fit the Gram row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// `K·x = g` exactly (an exact Gram row).
    Exact,
    /// `min … + μ·Σ_a |⟨x_a, x⟩ − g_a|/‖x_a‖` (a noisy estimate).
    L1(f64),
}

/// The default L1 weight `μ` of an estimated row.
pub const DEFAULT_L1_WEIGHT: f64 = 20.0;

/// The attacker's answer: the image on [0, 1] (`None` unless solved) and the solver's status.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownRebuild {
    /// The rebuilt sample (784 pixels on [0, 1]), when the LP solved.
    pub image: Option<Vec<f64>>,
    /// Solver outcome.
    pub status: SolveStatus,
    /// Equations used (known samples with an estimate).
    pub equations: usize,
}

/// Rebuild a `rows × cols` sample from `rows_known` (each a known sample on [0, 1]) and the
/// matching Gram entries `g` with attack `kind` (`tv` or `minsum`).
pub fn rebuild(
    rows: usize,
    cols: usize,
    known: &[&[f64]],
    g: &[f64],
    kind: AttackKind,
    fit: Fit,
) -> Result<KnownRebuild> {
    let n = crate::limits::mul(rows, cols)?;
    if known.len() != g.len() {
        return Err(Error::invalid("one Gram entry per known sample"));
    }
    let method = match kind {
        AttackKind::Tv => Method::tv(),
        AttackKind::Minsum => Method::MinSum,
        other => {
            return Err(Error::invalid(format!(
                "the known-sample attack runs tv or minsum, not {other}"
            )))
        }
    };
    let Some(eq) =
        formulation::equations(n, 1.0, 0.0, known.iter().copied().zip(g.iter().copied()))?
    else {
        return Ok(KnownRebuild {
            image: None,
            status: SolveStatus::Infeasible,
            equations: known.len(),
        });
    };
    let m = eq.m;
    let mut lp = formulation::build(rows, cols, 1.0, &method, eq)?;
    if let Fit::L1(mu) = fit {
        if !(mu > 0.0 && mu.is_finite()) {
            return Err(Error::invalid("the L1 weight must be > 0"));
        }
        for i in 0..m {
            for coef in [-1.0, 1.0] {
                lp.aux.push(Aux {
                    row: AuxRow::Obs(i),
                    coef,
                    cost: mu,
                    lower: 0.0,
                    upper: f64::INFINITY,
                });
            }
        }
        lp.validate()?;
    }
    let sol = ipm::solve(&lp, &IpmOptions::default())?;
    let image = (sol.status == SolveStatus::Solved && sol.v.len() >= n)
        .then(|| sol.v[..n].iter().map(|p| p.clamp(0.0, 1.0)).collect());
    Ok(KnownRebuild {
        image,
        status: sol.status,
        equations: m,
    })
}
