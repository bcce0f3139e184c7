//! The paper's random first layer: `W1 ~ N(0, 1)` entries, `h×n`.
//!
//! A seeded generator (ChaCha8, Box–Muller), so that experiments can be replayed exactly; this is
//! an experiment API, not key material.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `h×n` matrix of independent standard normal entries drawn from `seed`.
pub fn gaussian(h: usize, n: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((h, n), || {
        let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let u2: f64 = rng.gen();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn standard_normal_moments_and_replay() {
        let w = super::gaussian(100, 100, 7);
        let n = w.len() as f64;
        let mean = w.sum() / n;
        let var = w.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
        assert_eq!(w, super::gaussian(100, 100, 7));
        assert_ne!(w, super::gaussian(100, 100, 8));
    }
}
