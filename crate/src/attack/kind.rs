//! The attack vocabulary: one enum, one set of names, shared by the core, the CLI, the wasm API,
//! the page and its URL. Every place that names an attack parses or prints it through
//! [`AttackKind`].

use super::formulation::Method;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// An attack the server can run on what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttackKind {
    /// Total-variation LP on the latest observation `z = W1·x` of the sample.
    Tv,
    /// Minimum-sum (L1) LP on the latest observation.
    Minsum,
    /// The RAID 2025 paper's feasibility LP with smoothness rows (period 16, t = 25/255).
    Paper,
    /// TV LP over every observation of the sample (each epoch's `W1` adds `h` equations).
    Stacked,
    /// Read the sample from the decrypted first-layer gradient `dW1 = δ1ᵀ·X`.
    Gradient,
}

impl AttackKind {
    /// Every attack, in the order menus show them.
    pub const ALL: [AttackKind; 5] = [
        AttackKind::Tv,
        AttackKind::Minsum,
        AttackKind::Paper,
        AttackKind::Stacked,
        AttackKind::Gradient,
    ];

    /// The name on the command line, in JSON, in the URL and on the page.
    pub fn name(self) -> &'static str {
        match self {
            AttackKind::Tv => "tv",
            AttackKind::Minsum => "minsum",
            AttackKind::Paper => "paper",
            AttackKind::Stacked => "stacked",
            AttackKind::Gradient => "gradient",
        }
    }

    /// A short label for menus.
    pub fn label(self) -> &'static str {
        match self {
            AttackKind::Tv => "Total variation LP",
            AttackKind::Minsum => "Minimum-sum LP",
            AttackKind::Paper => "Paper's LP (RAID 2025)",
            AttackKind::Stacked => "Stacked epochs",
            AttackKind::Gradient => "Gradient leak",
        }
    }

    /// One sentence for a tooltip.
    pub fn tip(self) -> &'static str {
        match self {
            AttackKind::Tv => "Linear program: find the smoothest image (total variation) with W1·x = z.",
            AttackKind::Minsum => "Linear program: find the image with the least ink that satisfies W1·x = z.",
            AttackKind::Paper => "The RAID 2025 paper's LP: W1·x = z plus hard smoothness limits on some pixels.",
            AttackKind::Stacked => "The server sees your digit again in later epochs, with a changed W1 each time: stack the equations.",
            AttackKind::Gradient => "CryptoNN also decrypts the gradient dW1 = δ1·xᵀ: with a batch of one, that is x times known numbers.",
        }
    }

    /// The formulation an attack solves on one or more observations (`tv_lambda`: λ of TV).
    pub fn method(self, tv_lambda: f64) -> Method {
        match self {
            AttackKind::Tv | AttackKind::Stacked => Method::Tv { lambda: tv_lambda },
            AttackKind::Minsum => Method::MinSum,
            AttackKind::Paper => Method::paper(Some(16), 1.0),
            AttackKind::Gradient => Method::Gradient,
        }
    }
}

impl std::fmt::Display for AttackKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for AttackKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        AttackKind::ALL
            .into_iter()
            .find(|k| k.name() == lower)
            .ok_or_else(|| {
                let names: Vec<&str> = AttackKind::ALL.iter().map(|k| k.name()).collect();
                Error::invalid(format!("unknown attack {s:?} ({})", names.join(", ")))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for k in AttackKind::ALL {
            assert_eq!(k.name().parse::<AttackKind>().unwrap(), k);
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
        assert_eq!("TV".parse::<AttackKind>().unwrap(), AttackKind::Tv);
        let err = "nonsense".parse::<AttackKind>().unwrap_err().to_string();
        assert!(
            err.contains("tv, minsum, paper, stacked, gradient"),
            "{err}"
        );
    }
}
