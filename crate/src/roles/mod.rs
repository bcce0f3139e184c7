//! The parties as types. Each type holds exactly what its party holds in the protocol, and a
//! secret never leaves the type that owns it: no public fields, no accessors, `Debug` redacted.
//!
//! | party | holds | IPFE type | FHIPE type |
//! |---|---|---|---|
//! | authority | master secret key, issues function keys | [`Authority`] | — |
//! | client | the data; encrypts (FHIPE: also the master key, issues keys) | [`Client`] | [`FhipeClient`] |
//! | server | public params, function keys, ciphertexts only | [`Server`] | [`FhipeServer`] |
//!
//! Randomness is the OS CSPRNG (`OsRng`; `crypto.getRandomValues` in the browser). Seeded
//! constructors exist only for tests and demo replays and say so in their names
//! (`setup_with_rng`, `with_replay_seed`).
//!
//! A `trybuild` compile-fail test (`crate/tests/compile_fail/`) shows that code holding a server
//! cannot reach an authority's or client's secret.

mod authority;
mod client;
mod fhipe_client;
mod fhipe_server;
mod private_conv;
mod private_layer;
mod rng;
mod server;

pub use authority::Authority;
pub use client::Client;
pub use fhipe_client::FhipeClient;
pub use fhipe_server::FhipeServer;
pub use private_conv::PrivateConv;
pub use private_layer::PrivateLayer;
pub use server::Server;
