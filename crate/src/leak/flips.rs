//! Where the rounding dominates (small key precision `S`), the rounding itself leaks: under one
//! FHIPE master key the server sees, for every stored sample `j`, the exact integer change
//! `q_{t+1,j,i} − q_{t,j,i} = Σ_p e_{t,i,p}·x_j[p]` of the key row `i` between two steps, where
//! `e = round(S·W1_{t+1}) − round(S·W1_t)` is a sparse vector of ±1 (the weights that crossed a
//! rounding boundary). When one weight crossed, the change is `±x_j[p]` — **pixel `p` of every
//! stored sample**, exactly. The server tells which pixel it is from the `k` samples it knows:
//! their changes are `±` one column of its known pixels. A "flip-decoding" attack; it needs no
//! Gram matrix and no LP.

use super::trajectory::Trajectory;
use crate::{Error, Result};
use std::collections::HashMap;

/// What the flips gave for each target: pixel levels (`None`: never seen alone).
#[derive(Debug, Clone, PartialEq)]
pub struct FlipDecode {
    /// Per target (same order as asked), 784 pixels on [0, 1] or `None`.
    pub pixels: Vec<Vec<Option<f64>>>,
    /// Single-flip events identified.
    pub events: usize,
    /// Distinct pixels identified.
    pub pixels_found: usize,
}

impl FlipDecode {
    /// The rebuild of target `t`: identified pixels, 0 elsewhere (the background).
    pub fn image(&self, t: usize) -> Option<Vec<f64>> {
        self.pixels
            .get(t)
            .map(|p| p.iter().map(|v| v.unwrap_or(0.0)).collect())
    }
}

/// Decode single-flip events: `known` are the known samples' pixel levels (stored ids
/// `0..known.len()`), `targets` the stored ids to rebuild.
pub fn decode(traj: &Trajectory, known: &[Vec<i64>], targets: &[usize]) -> Result<FlipDecode> {
    if !traj.holds_every_step() {
        return Err(Error::invalid(
            "flip decoding needs z at every step: only FHIPE with one master key gives it",
        ));
    }
    let k = known.len();
    let n_px = known.first().map_or(0, Vec::len);
    let q = traj.settings.quantization();
    let scale = f64::from(q.weight_scale) * f64::from(q.pixel_levels);
    let levels = f64::from(q.pixel_levels);
    // Column p of the known levels → pixel (only columns that are non-zero and unique).
    let mut columns: HashMap<Vec<i64>, Option<usize>> = HashMap::new();
    for p in 0..n_px {
        let col: Vec<i64> = known.iter().map(|x| x[p]).collect();
        if col.iter().all(|&v| v == 0) {
            continue;
        }
        columns
            .entry(col)
            .and_modify(|e| *e = None)
            .or_insert(Some(p));
    }
    let ids: Vec<usize> = (0..k).chain(targets.iter().copied()).collect();
    let mut pixels = vec![vec![None; n_px]; targets.len()];
    let mut found = vec![false; n_px];
    let mut events = 0;
    // Events not decoded yet: (known part, targets' part).
    let mut pending: Vec<(Vec<i64>, Vec<i64>)> = Vec::new();
    let mut prev: Option<ndarray::Array2<i64>> = None;
    for t in 0..traj.steps.len() {
        let z = traj
            .held(t, &ids)?
            .ok_or_else(|| Error::invalid("the server kept no keys"))?
            .mapv(|v| (v * scale).round() as i64);
        if let Some(p0) = &prev {
            let d = &z - p0;
            for i in 0..d.ncols() {
                let col = d.column(i);
                let a: Vec<i64> = col.iter().take(k).copied().collect();
                if a.iter().all(|&v| v == 0) {
                    continue;
                }
                let neg: Vec<i64> = a.iter().map(|v| -v).collect();
                let hit = match (columns.get(&a), columns.get(&neg)) {
                    (Some(Some(p)), _) => Some((*p, 1)),
                    (_, Some(Some(p))) => Some((*p, -1)),
                    _ => None,
                };
                if let Some((p, s)) = hit {
                    events += 1;
                    found[p] = true;
                    for (r, px) in pixels.iter_mut().enumerate() {
                        let v = (s * col[k + r]) as f64 / levels;
                        px[p] = Some(v.clamp(0.0, 1.0));
                    }
                } else {
                    pending.push((a, col.iter().skip(k).copied().collect()));
                }
            }
        }
        prev = Some(z);
    }
    // Peel: an event of two flips minus a pixel found already is a single flip.
    for _round in 0..8 {
        let known_px: Vec<usize> = (0..n_px).filter(|&p| found[p]).collect();
        let mut rest = Vec::with_capacity(pending.len());
        let mut progress = false;
        for (a, tg) in pending {
            let mut hit = None;
            'search: for &p1 in &known_px {
                for s1 in [1i64, -1] {
                    let r: Vec<i64> = a.iter().zip(known).map(|(v, x)| v - s1 * x[p1]).collect();
                    if r.iter().all(|&v| v == 0) {
                        continue;
                    }
                    let neg: Vec<i64> = r.iter().map(|v| -v).collect();
                    let h = match (columns.get(&r), columns.get(&neg)) {
                        (Some(Some(p)), _) => Some((*p, 1)),
                        (_, Some(Some(p))) => Some((*p, -1)),
                        _ => None,
                    };
                    if let Some((p2, s2)) = h {
                        if p2 != p1 {
                            hit = Some((p1, s1, p2, s2));
                            break 'search;
                        }
                    }
                }
            }
            match hit {
                Some((p1, s1, p2, s2)) => {
                    events += 1;
                    progress |= !found[p2];
                    found[p2] = true;
                    for (r, px) in pixels.iter_mut().enumerate() {
                        // target part = s1·x[p1] + s2·x[p2], with x[p1] decoded already
                        if let Some(v1) = px[p1] {
                            let l1 = (v1 * levels).round() as i64;
                            let v = (s2 * (tg[r] - s1 * l1)) as f64 / levels;
                            if px[p2].is_none() {
                                px[p2] = Some(v.clamp(0.0, 1.0));
                            }
                        }
                    }
                }
                _ => rest.push((a, tg)),
            }
        }
        pending = rest;
        if !progress {
            break;
        }
    }
    Ok(FlipDecode {
        pixels,
        events,
        pixels_found: found.iter().filter(|&&f| f).count(),
    })
}
