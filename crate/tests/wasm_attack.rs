//! The attacker's wasm entry points, in a headless browser (small problems: debug wasm is slow).
#![cfg(target_arch = "wasm32")]

use glasslayer::attack::weights::gaussian;
use glasslayer::wasm::attack::{reconstruct, AttackOptions};
use glasslayer::wasm::{attack_metrics, attack_reconstruct};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SIDE: usize = 12;
const N: usize = SIDE * SIDE;

fn ring() -> Vec<f64> {
    (0..N)
        .map(|p| {
            let (i, j) = ((p / SIDE) as f64 - 5.5, (p % SIDE) as f64 - 5.5);
            (1.0 - ((i * i + j * j).sqrt() - 3.5).abs() / 1.5).clamp(0.0, 1.0)
        })
        .collect()
}

fn observe(h: usize, x: &[f64], seed: u64) -> (Vec<f32>, Vec<f64>) {
    let w = gaussian(h, N, seed).mapv(|v| v as f32);
    let z = w
        .rows()
        .into_iter()
        .map(|r| r.iter().zip(x).map(|(a, b)| f64::from(*a) * b).sum())
        .collect();
    (w.iter().copied().collect(), z)
}

fn opts() -> AttackOptions {
    AttackOptions {
        rows: Some(SIDE),
        cols: Some(SIDE),
        ..AttackOptions::default()
    }
}

#[wasm_bindgen_test]
fn exact_recovery_and_metrics_in_the_browser() {
    let x = ring();
    let truth: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let (w, z) = observe(N, &x, 1);
    for method in ["minsum", "tv", "paper"] {
        let r = reconstruct(&w, N, &z, method, &opts(), Some(&truth)).unwrap();
        assert_eq!(r.status.as_str(), "solved", "{method}");
        let q = r.quality.unwrap();
        assert!(q.psnr > 60.0, "{method}: {}", q.psnr);
    }
}

#[wasm_bindgen_test]
fn tv_with_few_equations_and_the_js_surface() {
    let x = ring();
    let (w, z) = observe(60, &x, 2);
    // a plain JS object, as the page passes it
    let options = js_sys::Object::new();
    for (k, v) in [
        ("rows", SIDE as f64),
        ("cols", SIDE as f64),
        ("lambda", 0.5),
    ] {
        js_sys::Reflect::set(&options, &k.into(), &v.into()).unwrap();
    }
    let options: JsValue = options.into();
    let truth: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let out = attack_reconstruct(&w, 60, &z, "tv", options, Some(truth.clone())).unwrap();
    let v: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
    assert_eq!(v["status"], "solved");
    assert_eq!(v["image"].as_array().unwrap().len(), N);
    assert!(v["quality"]["ssim"].as_f64().unwrap() > 0.3);
    // metrics of the truth against itself
    let q: serde_json::Value =
        serde_wasm_bindgen::from_value(attack_metrics(&truth, &truth, SIDE, SIDE).unwrap())
            .unwrap();
    assert_eq!(q["psnr"], 100.0);
    // bad input throws instead of trapping
    assert!(attack_reconstruct(&w[..10], 60, &z, "tv", JsValue::UNDEFINED, None).is_err());
    assert!(attack_reconstruct(&w, 60, &z, "nope", JsValue::UNDEFINED, None).is_err());
}

#[wasm_bindgen_test]
fn infeasibility_is_reported_in_the_browser() {
    let x: Vec<f64> = (0..N).map(|p| ((p / SIDE + p % SIDE) % 2) as f64).collect();
    let (w, z) = observe(N, &x, 3);
    let mut o = opts();
    o.period = Some(2);
    let r = reconstruct(&w, N, &z, "paper", &o, None).unwrap();
    assert_eq!(r.status.as_str(), "infeasible");
    assert!(r.image.is_empty());
}
