//! # glasslayer
//!
//! Why "secure" neural-network training with inner-product functional encryption (FE) leaks the
//! training data, and how to fix it. The crate mirrors the protocol:
//!
//! - [`fe`] — the cryptography: groups, inner-product FE (ABDP15), function-hiding IPE (KLMMRW18),
//!   bounded discrete logarithms.
//! - [`roles`] — the parties as types: authority, client, server. A server value can only hold what
//!   the protocol gives it.
//! - [`nn`] — the small MLP that is being trained.
//! - [`protocol`] — CryptoNN, FENet, client-in-the-loop and FHIPE training, each step returning the
//!   server's view.
//! - [`attack`] — the attacker: LP reconstruction from a server view, and quality metrics.
//! - [`data`] — MNIST (IDX) and CIFAR-10 loaders.
//! - [`digit`] — turning a drawn canvas into an MNIST-like 28×28 sample.
//! - [`limits`] — every explicit maximum (sizes, bounds, work budgets) and its typed error.
//! - [`bench`] — the standard benchmark workloads, shared by the native and browser harnesses.
//! - `wasm` — the thin wasm-bindgen surface used by the web page.

pub mod attack;
pub mod bench;
pub mod data;
pub mod digit;
pub mod error;
pub mod fe;
pub mod leak;
pub mod limits;
pub mod nn;
pub mod protocol;
pub mod roles;
pub mod wasm;

pub use error::{Error, Result};

/// The crate version, shown by the page and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
