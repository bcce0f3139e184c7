//! Page-level entry points of the browser demo, composed from the core. The stages run in Web
//! Workers:
//!
//! | stage | entry point | parties |
//! |---|---|---|
//! | build time (Node) | [`train_demo_model`], [`mean_digit_record`] | the project trains the server's model |
//! | 2 · client encrypts | the FE engine's `IpfeAuthority`, `ipfeEncrypt`, `FhipeClientHandle` with [`DemoModels::w1_flat`] | authority (or FHIPE client) + client |
//! | 2 · client in the loop | [`DemoModels::client_forward`] | client |
//! | 3 · server decrypts | the FE engine's `IpfeServer`, `FhipeServerHandle` with [`DemoModels::z_bound`] | server (rows split over workers) |
//! | 4 · attacker | [`DemoModels::attack`] | attacker, on exactly the server's view |
//! | 5 · mitigations | [`DemoModels::train_live`] | the protocol's training, live |
//!
//! - [`models`] — the model file written at build time, and the worker's [`DemoModels`];
//! - [`attack`] — the attacker on the server's view;
//! - [`live`] — live training under each protocol.

pub mod attack;
pub mod live;
pub mod models;

pub use attack::{AttackOutcome, AttackRequest, PAGE_TV_LAMBDA};
pub use live::CurvePoint;
pub use models::{
    demo_file_header, demo_hidden_sizes, mean_digit_record, train_demo_model, train_model,
    DemoModel, DemoModels, TrainInfo,
};

use crate::data::mnist::PIXELS;
use crate::{Error, Result};
use wasm_bindgen::JsValue;
use web_time::Instant;

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// A sample is 784 pixel bytes with some ink: an empty canvas is "draw a digit first".
fn check_sample(x: &[u8]) -> Result<()> {
    if x.len() != PIXELS {
        return Err(Error::invalid(format!(
            "a sample has {PIXELS} pixels, got {}",
            x.len()
        )));
    }
    if x.iter().all(|&p| p == 0) {
        return Err(Error::EmptyCanvas);
    }
    Ok(())
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue> {
    serde_wasm_bindgen::to_value(v).map_err(|e| Error::invalid(e.to_string()))
}
