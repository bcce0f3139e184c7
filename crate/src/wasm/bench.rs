//! Wasm entry points for the browser benchmark (`npm run bench`): the same workloads as
//! `glasslayer bench all`, timed inside the worker with `performance.now()`.

use super::js_err;
use wasm_bindgen::prelude::*;

/// The workloads as `[{name, what, target_ms}]`.
#[wasm_bindgen(js_name = benchWorkloads)]
pub fn bench_workloads() -> Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(crate::bench::WORKLOADS).map_err(|e| JsError::new(&e.to_string()))
}

/// Run one workload on `digit` (784 bytes): one warm-up, then `runs` timed runs →
/// `{name, runs, median_ms, min_ms, samples_ms}`.
#[wasm_bindgen(js_name = benchRun)]
pub fn bench_run(name: &str, digit: &[u8], runs: u32) -> Result<JsValue, JsError> {
    let m = crate::bench::run(name, digit, runs as usize).map_err(js_err)?;
    serde_wasm_bindgen::to_value(&m).map_err(|e| JsError::new(&e.to_string()))
}
