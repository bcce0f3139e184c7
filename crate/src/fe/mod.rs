//! Functional encryption: prime-order groups, inner-product FE (ABDP15), function-hiding IPE
//! (KLMMRW18) and bounded discrete logarithms.
//!
//! # API contract (used by the training protocols)
//!
//! The parties live in [`crate::roles`]; this module holds the mathematics they use.
//!
//! ```text
//! use glasslayer::fe::group::Ristretto255;
//! use glasslayer::roles::{Authority, Client, Server};
//!
//! let (authority, pp) = Authority::<Ristretto255>::setup(784)?;   // OsRng
//! let key  = authority.function_key(&w_row)?;                      // ipfe::FunctionKey<G>
//! let ct   = Client::new(pp.clone()).encrypt(&x)?;                  // ipfe::Ciphertext<G>
//! let srv  = Server::new(pp, bound)?;                               // builds / reuses the dlog table
//! let z    = srv.decrypt(&ct, &key)?;                               // ⟨x, w_row⟩, or DlogOutOfRange
//! let zs   = srv.decrypt_rows(&ct, &keys)?;                         // z = W1·x, work shared across rows
//! let dw1  = srv.decrypt_gradient(&feature_cts, &delta_keys)?;      // dW1 = δ1·X (batch path)
//! ```
//!
//! - [`group::PrimeGroup`] — the group trait; backends [`group::Ristretto255`] (default) and
//!   [`group::ModP`] over the RFC 7919 safe primes ([`group::ModP2048`], [`group::ModP3072`]).
//! - [`GroupChoice`] + [`with_group!`](crate::with_group) — pick a backend at run time.
//! - [`ipfe`] — ABDP15 over any [`group::PrimeGroup`]: public params, function keys, ciphertexts.
//! - [`fhipe`] — KLMMRW18 over BLS12-381 (arkworks): the client keeps the master key, the server
//!   learns ⟨w, x⟩ but neither w nor x. Roles: [`crate::roles::FhipeClient`],
//!   [`crate::roles::FhipeServer`].
//! - [`dlog`] — baby-step giant-step over a signed range `[−B, B]`, one table per group and
//!   generator, reused by every decryption; values outside the range are
//!   [`crate::Error::DlogOutOfRange`].
//! - Encryptors cache per-public-key tables in [`PublicParams`] (ffdhe comb tables, built on the
//!   first encryption and shared by clones); servers never build them.
//! - [`wire`] — the byte format of public params, keys and ciphertexts (serde goes through it);
//!   every decode validates sizes and group membership and fails with [`crate::Error::Decode`].
//!
//! # Security levels (never rounded up)
//!
//! | choice | group | security |
//! |---|---|---|
//! | `ristretto255` | prime-order group of Curve25519 (ℓ ≈ 2²⁵²) | ≈ 126 bits |
//! | `ffdhe2048` | quadratic residues mod the RFC 7919 2048-bit safe prime, 256-bit exponents | ≈ 112 bits (NIST SP 800-57; RFC 7919 itself estimates ≈ 103) |
//! | `ffdhe3072` | quadratic residues mod the RFC 7919 3072-bit safe prime, 320-bit exponents | ≈ 128 bits (RFC 7919: ≈ 125) |
//! | FHIPE | BLS12-381 pairing | ≈ 117–120 bits (after recent NFS analyses) |

pub mod dlog;
pub mod fhipe;
pub mod group;
pub mod ipfe;
pub mod wire;

mod choice;

pub use choice::GroupChoice;
pub use fhipe::{FhipeCiphertext, FhipeKey};
pub use ipfe::{Ciphertext, FunctionKey, PublicParams};
