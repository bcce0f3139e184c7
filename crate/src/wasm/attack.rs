//! Wasm entry points of the attacker: reconstruct a sample from `W1` and `z`, and score it.
//!
//! ```js
//! const r = attackReconstruct(w1 /* Float32Array h×784 */, h, z /* Float64Array */, "tv",
//!                             { lambda: 1.0 }, truth /* optional Float32Array in [0, 1] */);
//! // r = { image: [784 floats], status: "solved", iterations, ms, violation,
//! //       quality: { mse, psnr, ssim, within } | null }
//! ```
//!
//! `w1` may hold the rows of several observations stacked (`h` = total rows): that is the
//! `stacked` attack. Methods: `paper` (options `period`, `t` in pixel units), `minsum`, `tv`
//! (option `lambda`), `stacked` (= `minsum` over all rows). Other options: `epsilon` (band),
//! `rows`/`cols` (default 28×28), `pixelMax` (default 1), `solver` (`ipm` | `simplex` | `clarabel`),
//! `maxIter`.

use super::js_err;
use crate::attack::{
    metrics::Quality, Attacker, Leak, Method, Observation, Options, SolveStatus, Solver,
    DEFAULT_TV_LAMBDA,
};
use crate::limits::{self, Limit};
use crate::{Error, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Options object of [`attack_reconstruct`] (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AttackOptions {
    /// Image rows (28).
    pub rows: Option<usize>,
    /// Image columns (28).
    pub cols: Option<usize>,
    /// Pixel scale of `W1·x = z` (1).
    pub pixel_max: Option<f64>,
    /// TV weight λ.
    pub lambda: Option<f64>,
    /// Paper smoothness period (absent: none).
    pub period: Option<usize>,
    /// Paper smoothness threshold, pixel units (25/255 of `pixelMax`).
    pub t: Option<f64>,
    /// Band half-width on z.
    pub epsilon: Option<f64>,
    /// `ipm` | `simplex` | `clarabel`.
    pub solver: Option<String>,
    /// Interior-point iteration limit.
    pub max_iter: Option<usize>,
}

/// What [`attack_reconstruct`] returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttackResult {
    /// The reconstruction on the caller's pixel scale (empty unless solved).
    pub image: Vec<f32>,
    /// Solver status.
    pub status: SolveStatus,
    /// Solver iterations.
    pub iterations: usize,
    /// Wall time in ms.
    pub ms: f64,
    /// Largest constraint violation of the scaled LP.
    pub violation: f64,
    /// Metrics against `truth` on [0, 1] (when `truth` was given and the solve succeeded).
    pub quality: Option<Quality>,
}

/// The attack itself, callable from Rust (tests) and from JS through [`attack_reconstruct`].
pub fn reconstruct(
    w1: &[f32],
    hidden: usize,
    z: &[f64],
    method: &str,
    opts: &AttackOptions,
    truth: Option<&[f32]>,
) -> Result<AttackResult> {
    let rows = opts.rows.unwrap_or(28);
    let cols = opts.cols.unwrap_or(28);
    let pixel_max = opts.pixel_max.unwrap_or(1.0);
    // Attacker::new checks rows · cols without wrapping and caps it.
    let attacker = Attacker::new(rows, cols, pixel_max)?;
    let n = rows * cols;
    Limit::Hidden.check(hidden)?;
    let expected = limits::mul(hidden, n)?;
    if hidden == 0 || w1.len() != expected {
        return Err(Error::invalid(format!(
            "W1 has {} entries, expected hidden × {n} = {expected}",
            w1.len(),
        )));
    }
    if z.len() != hidden {
        return Err(Error::invalid(format!(
            "z has {} entries, expected hidden = {hidden}",
            z.len()
        )));
    }
    if !w1.iter().all(|v| v.is_finite()) || !z.iter().all(|v| v.is_finite()) {
        return Err(Error::invalid("W1 and z must be finite"));
    }
    if let Some(t) = truth {
        if t.len() != n || !t.iter().all(|v| v.is_finite()) {
            return Err(Error::invalid(format!(
                "truth has {} pixels, expected {n} finite values",
                t.len()
            )));
        }
    }
    let finite = |what: &str, v: Option<f64>| -> Result<()> {
        match v {
            Some(v) if !v.is_finite() || v < 0.0 => Err(Error::invalid(format!(
                "attack option {what} = {v} must be finite and ≥ 0"
            ))),
            _ => Ok(()),
        }
    };
    finite("lambda", opts.lambda)?;
    finite("t", opts.t)?;
    finite("epsilon", opts.epsilon)?;
    if let Some(it) = opts.max_iter {
        Limit::LpIterations.check(it)?;
    }
    let w = Array2::from_shape_vec((hidden, n), w1.iter().map(|&v| f64::from(v)).collect())
        .map_err(|e| Error::invalid(e.to_string()))?;
    let leak = Leak::single(Observation::new(w, z.to_vec())?);
    let method = match method {
        "paper" => Method::Paper {
            period: opts.period,
            t: opts.t.unwrap_or(25.0 / 255.0 * pixel_max),
        },
        "minsum" | "stacked" => Method::MinSum,
        "tv" => Method::Tv {
            lambda: opts.lambda.unwrap_or(DEFAULT_TV_LAMBDA),
        },
        other => {
            return Err(Error::invalid(format!(
                "unknown method `{other}` (paper, minsum, tv, stacked)"
            )))
        }
    };
    let defaults = Options::default();
    let options = Options {
        solver: match &opts.solver {
            Some(s) => s.parse::<Solver>()?,
            None => Solver::InteriorPoint,
        },
        epsilon: opts.epsilon.unwrap_or(0.0),
        max_iter: opts.max_iter.unwrap_or(defaults.max_iter),
        tol: defaults.tol,
    };
    let rec = attacker.reconstruct(&leak, &method, &options)?;
    let image: Vec<f64> = rec.images.first().cloned().unwrap_or_default();
    let quality = match (truth, rec.status) {
        (Some(t), SolveStatus::Solved) if !image.is_empty() => {
            let t: Vec<f64> = t.iter().map(|&v| f64::from(v)).collect();
            let x: Vec<f64> = image.iter().map(|v| v / pixel_max).collect();
            Some(Quality::measure(&t, &x, rows, cols)?)
        }
        _ => None,
    };
    Ok(AttackResult {
        image: image.iter().map(|&v| v as f32).collect(),
        status: rec.status,
        iterations: rec.iterations,
        ms: rec.ms,
        violation: rec.violation,
        quality,
    })
}

/// Reconstruct a sample from `W1` (`hidden × rows·cols`, row-major) and `z`; see the module
/// documentation for `method` and `options`. Throws on unusable input; solver outcomes
/// (including `infeasible`) are reported in `status`.
#[wasm_bindgen(js_name = attackReconstruct)]
pub fn attack_reconstruct(
    w1: &[f32],
    hidden: usize,
    z: &[f64],
    method: &str,
    options: JsValue,
    truth: Option<Vec<f32>>,
) -> std::result::Result<JsValue, JsError> {
    let opts: AttackOptions = if options.is_undefined() || options.is_null() {
        AttackOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| js_err(Error::invalid(format!("attack options: {e}"))))?
    };
    let r = reconstruct(w1, hidden, z, method, &opts, truth.as_deref()).map_err(js_err)?;
    serde_wasm_bindgen::to_value(&r).map_err(|e| JsError::new(&e.to_string()))
}

/// MSE, PSNR, SSIM and share within 1/255 of `image` against `truth` (both `rows×cols` in [0, 1]).
#[wasm_bindgen(js_name = attackMetrics)]
pub fn attack_metrics(
    truth: &[f32],
    image: &[f32],
    rows: usize,
    cols: usize,
) -> std::result::Result<JsValue, JsError> {
    let t: Vec<f64> = truth.iter().map(|&v| f64::from(v)).collect();
    let x: Vec<f64> = image.iter().map(|&v| f64::from(v)).collect();
    let q = Quality::measure(&t, &x, rows, cols).map_err(js_err)?;
    serde_wasm_bindgen::to_value(&q).map_err(|e| JsError::new(&e.to_string()))
}
