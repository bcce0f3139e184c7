//! Hidden-layer activations and their derivatives.
//!
//! - ReLU: `a = max(z, 0)`, `a' = [z > 0]`.
//! - Sigmoid: `a = 1 / (1 + e^{-z})`, `a' = a (1 − a)`.

use serde::{Deserialize, Serialize};

/// The hidden-layer activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `max(z, 0)`.
    #[default]
    Relu,
    /// `1 / (1 + e^{-z})`.
    Sigmoid,
}

impl Activation {
    /// `a(z)`.
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        }
    }

    /// `a'(z)` given `z` and `a = a(z)` (whichever is cheaper).
    pub fn derivative(self, z: f32, a: f32) -> f32 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Sigmoid => a * (1.0 - a),
        }
    }

    /// Stable byte tag for serialisation.
    pub(crate) fn tag(self) -> u8 {
        match self {
            Activation::Relu => 0,
            Activation::Sigmoid => 1,
        }
    }

    pub(crate) fn from_tag(t: u8) -> Option<Self> {
        match t {
            0 => Some(Activation::Relu),
            1 => Some(Activation::Sigmoid),
            _ => None,
        }
    }
}

impl std::str::FromStr for Activation {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "relu" => Ok(Activation::Relu),
            "sigmoid" => Ok(Activation::Sigmoid),
            other => Err(crate::Error::invalid(format!(
                "unknown activation {other:?} (relu or sigmoid)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_derivatives() {
        assert_eq!(Activation::Relu.apply(-2.0), 0.0);
        assert_eq!(Activation::Relu.apply(3.0), 3.0);
        assert_eq!(Activation::Relu.derivative(-1.0, 0.0), 0.0);
        let s = Activation::Sigmoid.apply(0.0);
        assert!((s - 0.5).abs() < 1e-7);
        assert!((Activation::Sigmoid.derivative(0.0, s) - 0.25).abs() < 1e-7);
        assert_eq!("ReLU".parse::<Activation>().unwrap(), Activation::Relu);
        assert!("tanh".parse::<Activation>().is_err());
    }
}
