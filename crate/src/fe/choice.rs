//! Choosing a group at run time: [`GroupChoice`] names a backend, [`with_group!`](crate::with_group)
//! instantiates generic code for it.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The IPFE group backends, chosen at run time (CLI flag, page control).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupChoice {
    /// ristretto255 (curve25519-dalek): ≈ 126-bit security, fast. The default.
    #[default]
    Ristretto255,
    /// Quadratic residues mod the RFC 7919 ffdhe2048 safe prime: ≈ 112-bit security.
    Ffdhe2048,
    /// Quadratic residues mod the RFC 7919 ffdhe3072 safe prime: ≈ 128-bit security.
    Ffdhe3072,
}

impl GroupChoice {
    /// Every backend, in a stable order.
    pub const ALL: [GroupChoice; 3] = [
        GroupChoice::Ristretto255,
        GroupChoice::Ffdhe2048,
        GroupChoice::Ffdhe3072,
    ];

    /// The honest security level in bits (126, 112, 128): never rounded up.
    pub fn security_bits(self) -> u32 {
        match self {
            GroupChoice::Ristretto255 => 126,
            GroupChoice::Ffdhe2048 => 112,
            GroupChoice::Ffdhe3072 => 128,
        }
    }

    /// The name used on the command line, in JSON and on the page.
    pub fn name(self) -> &'static str {
        match self {
            GroupChoice::Ristretto255 => "ristretto255",
            GroupChoice::Ffdhe2048 => "ffdhe2048",
            GroupChoice::Ffdhe3072 => "ffdhe3072",
        }
    }
}

impl std::fmt::Display for GroupChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for GroupChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "ristretto255" | "ristretto" => Ok(GroupChoice::Ristretto255),
            "ffdhe2048" | "modp2048" | "zp2048" => Ok(GroupChoice::Ffdhe2048),
            "ffdhe3072" | "modp3072" | "zp3072" => Ok(GroupChoice::Ffdhe3072),
            other => Err(Error::invalid(format!(
                "unknown group `{other}` (expected ristretto255, ffdhe2048 or ffdhe3072)"
            ))),
        }
    }
}

/// Run generic code for the group a [`GroupChoice`] names.
///
/// ```
/// use glasslayer::fe::{group::PrimeGroup, GroupChoice};
/// let name = glasslayer::with_group!(GroupChoice::Ffdhe2048, G => G::NAME);
/// assert_eq!(name, "ffdhe2048");
/// ```
#[macro_export]
macro_rules! with_group {
    ($choice:expr, $G:ident => $body:expr) => {
        match $choice {
            $crate::fe::GroupChoice::Ristretto255 => {
                type $G = $crate::fe::group::Ristretto255;
                $body
            }
            $crate::fe::GroupChoice::Ffdhe2048 => {
                type $G = $crate::fe::group::ModP2048;
                $body
            }
            $crate::fe::GroupChoice::Ffdhe3072 => {
                type $G = $crate::fe::group::ModP3072;
                $body
            }
        }
    };
}
