//! Wasm entry points for the drawing stage.

use super::js_err;
use wasm_bindgen::prelude::*;

/// Preprocess an RGBA canvas buffer (`width × height × 4` bytes) into 784 floats in [0, 1]
/// (MNIST style: crop, fit to 20×20, centre by centre of mass). Throws "draw a digit first" on an
/// empty canvas.
#[wasm_bindgen(js_name = preprocessCanvas)]
pub fn preprocess_canvas(rgba: &[u8], width: u32, height: u32) -> Result<Vec<f32>, JsError> {
    crate::digit::preprocess_rgba(rgba, width as usize, height as usize).map_err(js_err)
}
