//! The "What still leaks" panel's binding (`LeakPanel`) in a headless browser: the page's call
//! shape, and bad input as a JS error, never a trap.
#![cfg(target_arch = "wasm32")]

use glasslayer::leak::panel::PANEL_SAMPLES;
use glasslayer::wasm::leak::LeakPanel;
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A digit bundle (`count u32 LE ‖ labels ‖ pixels`) of `k` varied strokes.
fn bundle(k: usize) -> Vec<u8> {
    let mut b = (k as u32).to_le_bytes().to_vec();
    b.extend((0..k).map(|i| (i % 10) as u8));
    for i in 0..k {
        let mut px = [0u8; 784];
        let (r0, c0) = (4 + (i * 7) % 12, 4 + (i * 11) % 12);
        for t in 0..40 {
            px[(r0 + t % 12) * 28 + c0 + (t * (1 + i % 3)) % 12] =
                (120 + (i * 13 + t * 7) % 136) as u8;
        }
        b.extend_from_slice(&px);
    }
    b
}

fn digit() -> Vec<f32> {
    let b = bundle(PANEL_SAMPLES + 3);
    let off = 4 + PANEL_SAMPLES + 3 + (PANEL_SAMPLES + 2) * 784;
    b[off..off + 784]
        .iter()
        .map(|&p| f32::from(p) / 255.0)
        .collect()
}

fn options(protocol: &str, s: f64) -> JsValue {
    let o = js_sys::Object::new();
    Reflect::set(&o, &"protocol".into(), &protocol.into()).unwrap();
    Reflect::set(&o, &"hidden".into(), &JsValue::from(96)).unwrap();
    Reflect::set(&o, &"weightScale".into(), &JsValue::from(s)).unwrap();
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn the_panel_rebuilds_the_drawn_digit_under_one_master_key() {
    let p = LeakPanel::new(
        &bundle(PANEL_SAMPLES),
        &digit(),
        4,
        options("fhipe", 1e6),
        None,
    )
    .unwrap();
    let s = p.summary().unwrap();
    let settings = get(&s, "settings");
    assert_eq!(
        get(&settings, "samples").as_f64(),
        Some(PANEL_SAMPLES as f64)
    );
    assert_eq!(
        get(&s, "gramMethod").as_string().as_deref(),
        Some("trajectory_ls")
    );
    assert!(get(&s, "digitRowError").as_f64().unwrap() < 0.01);
    let r = p.rebuild(128, "tv", None).unwrap();
    let psnr = get(&r, "psnr").as_f64().unwrap();
    let base = get(&r, "baselinePsnr").as_f64().unwrap();
    assert!(psnr > base + 10.0, "{psnr} vs {base}");
    assert_eq!(js_sys::Array::from(&get(&r, "image")).length(), 784);
}

#[wasm_bindgen_test]
fn bad_input_is_a_js_error() {
    let b = bundle(PANEL_SAMPLES);
    assert!(LeakPanel::new(&b, &digit()[..10], 4, options("fhipe", 1e4), None).is_err());
    assert!(LeakPanel::new(&b[..100], &digit(), 4, options("fhipe", 1e4), None).is_err());
    assert!(LeakPanel::new(&b, &digit(), 4, options("cryptonn", 1e4), None).is_err());
    assert!(LeakPanel::new(&b, &digit(), 4, options("fhipe", 0.0), None).is_err());
    assert!(LeakPanel::new(&b, &digit(), 4, JsValue::from("nonsense"), None).is_err());
    let p = LeakPanel::new(&b, &digit(), 4, options("client-loop", 1e4), None).unwrap();
    assert!(p.rebuild(0, "tv", None).is_err());
    assert!(p.rebuild(128, "paper", None).is_err());
    assert!(p.rebuild(1_000_000, "tv", None).is_err());
}
