//! The wasm-bindgen surface: converts JS values, calls the core, maps every error to a JS `Error`
//! with a message. Nothing here does maths or crypto of its own.

use wasm_bindgen::prelude::*;

pub mod attack;
mod bench;
pub mod demo;
mod digit;
pub mod fe;
pub mod train;

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
