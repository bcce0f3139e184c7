//! The wasm-bindgen surface: converts JS values, calls the core, maps every error to a JS `Error`
//! with a message. Nothing here does maths, crypto or protocol logic of its own.
//!
//! - [`page`] — the page: its server (models file, public digits) and the scene of one sample.
//! - [`fe`] — the FE engine's parties, for the page's workers (client, authority, server shards).
//! - [`digit`] — canvas → 28×28 sample.
//! - [`leak`] — the "What still leaks" panel (issue 13).
//! - [`photo`] — the Photo scene (a colour photo through the first conv layer).
//! - [`models`] — build-time: training the demo's models in Node.
//! - `bench` — the browser benchmark's workloads.
//! - `attack` (cargo feature `lab-api`, for tests and experiments; not in the page's build) — the
//!   attacker on raw observations.

use wasm_bindgen::prelude::*;

#[cfg(feature = "lab-api")]
pub mod attack;
mod bench;
mod digit;
pub mod fe;
pub mod leak;
pub mod models;
pub mod page;
pub mod photo;

#[cfg(feature = "lab-api")]
pub use attack::{attack_metrics, attack_reconstruct};
pub use digit::preprocess_canvas;

/// Install the panic hook so a Rust panic shows as a console error with its message instead of an
/// opaque `unreachable` trap. Called once when the module starts.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Map a core error to a JS `Error` with the same message.
pub(crate) fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}
