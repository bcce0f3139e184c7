//! The CNN's learning-rate schedule: a public hyperparameter. It only changes the `lr` every
//! party uses in a step (the server for its layers and, under CryptoNN, the filters; the
//! mitigations' client for its private filters), never what a protocol sends.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the learning rate moves over a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LrSchedule {
    /// The base rate at every step.
    #[default]
    Constant,
    /// Cosine decay from the base rate at the first step towards 0 after the last:
    /// `lr_i = lr·½(1 + cos(π·i/N))` for step `i` of `N`.
    Cosine,
}

impl LrSchedule {
    /// Parse `constant` or `cosine`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "constant" => Ok(Self::Constant),
            "cosine" => Ok(Self::Cosine),
            other => Err(Error::invalid(format!(
                "learning-rate schedule {other:?}: expected constant or cosine"
            ))),
        }
    }

    /// The name [`Self::parse`] reads.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Constant => "constant",
            Self::Cosine => "cosine",
        }
    }

    /// The rate of step `step` (0-based) of `total` steps for base rate `lr`.
    pub fn lr(&self, lr: f32, step: usize, total: usize) -> f32 {
        match self {
            Self::Constant => lr,
            Self::Cosine => {
                let progress = step.min(total) as f64 / total.max(1) as f64;
                (f64::from(lr) * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos())) as f32
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_starts_at_the_base_rate_halves_midway_and_ends_near_zero() {
        let c = LrSchedule::Cosine;
        assert_eq!(c.lr(0.02, 0, 100), 0.02);
        assert!((c.lr(0.02, 50, 100) - 0.01).abs() < 1e-7);
        assert!((c.lr(0.02, 25, 100) - 0.02 * 0.5 * (1.0 + 0.5f32.sqrt())).abs() < 1e-7);
        assert!(c.lr(0.02, 99, 100) < 0.02 * 3e-4);
        assert_eq!(LrSchedule::Constant.lr(0.02, 99, 100), 0.02);
        assert_eq!(LrSchedule::parse("cosine").unwrap(), c);
        assert!(LrSchedule::parse("cos").is_err());
    }
}
