//! The page's "What still leaks" panel ([`crate::leak::panel`]): JS values in, a core call,
//! errors out.
//!
//! ```js
//! const panel = new LeakPanel(publicBundle, digit, label,
//!   { protocol: 'fhipe', hidden: 128, weightScale: 1e4, rekey: false, noise: 0 }, testBundle);
//! panel.summary();            // settings, labelsSeen, lastBatch, digitRow, cost, accuracy, …
//! panel.rebuild(128, 'tv');   // { k, equations, status, image, psnr, ssim, baselinePsnr }
//! ```

use super::js_err;
use crate::attack::AttackKind;
use crate::data::mnist::Mnist;
use crate::leak::panel::{Panel, PanelOptions};
use crate::{Error, Result};
use serde::Serialize;
use wasm_bindgen::prelude::*;

type JsResult<T> = std::result::Result<T, JsError>;

fn to_js<T: Serialize>(v: &T) -> Result<JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::invalid(e.to_string()))
}

/// One computed panel (the client's small run around the drawn digit, the server's estimates).
#[wasm_bindgen]
pub struct LeakPanel {
    panel: Panel,
}

#[wasm_bindgen]
impl LeakPanel {
    /// Run the panel. `public_bundle`: the page's public training digits (a digit bundle, e.g.
    /// `generated/mnist-train.bin`, at least 511 digits); `digit`: the drawn digit, 784 values
    /// on [0, 1]; `label` 0..9; `options`: `{protocol: 'fhipe'|'client-loop', hidden,
    /// weightScale, rekey?, noise?}`; `test_bundle` (optional): digits for the test accuracy.
    #[wasm_bindgen(constructor)]
    pub fn new(
        public_bundle: &[u8],
        digit: &[f32],
        label: u8,
        options: JsValue,
        test_bundle: Option<Vec<u8>>,
    ) -> JsResult<LeakPanel> {
        let options: PanelOptions = serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("leak panel options: {e}")))?;
        let public = Mnist::from_bundle(public_bundle).map_err(js_err)?;
        let test = test_bundle
            .map(|b| Mnist::from_bundle(&b))
            .transpose()
            .map_err(js_err)?;
        let panel = Panel::run(&public, digit, label, &options, test.as_ref()).map_err(js_err)?;
        Ok(LeakPanel { panel })
    }

    /// What the server saw and estimated (see `PanelSummary`).
    pub fn summary(&self) -> JsResult<JsValue> {
        to_js(self.panel.summary()).map_err(js_err)
    }

    /// Rebuild the drawn digit from the first `k` public digits' Gram entries with `attack`
    /// (`tv` | `minsum`); `single_step`: from the random-projection estimate.
    pub fn rebuild(&self, k: usize, attack: &str, single_step: Option<bool>) -> JsResult<JsValue> {
        let attack: AttackKind = attack.parse().map_err(js_err)?;
        let r = self
            .panel
            .rebuild(k, attack, single_step.unwrap_or(false))
            .map_err(js_err)?;
        to_js(&r).map_err(js_err)
    }
}
