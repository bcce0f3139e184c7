//! The demo page's wasm entry points in headless Chromium, composed exactly as the page's workers
//! compose them: a model file from `trainDemoModel`, the authority's keys for its `W1`, the
//! server's decryption, the attacker and live training.
#![cfg(target_arch = "wasm32")]

use glasslayer::wasm::demo::{
    demo_file_header, mean_digit_record, train_demo_model, DemoModels, PAGE_TV_LAMBDA,
};
use glasslayer::wasm::fe::{ipfe_encrypt, IpfeAuthority, IpfeServer};
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const N: usize = 784;
const H: u32 = 16;

/// IDX files of `k` synthetic "digits": a bar whose position and thickness depend on the label.
fn idx(k: usize) -> (Vec<u8>, Vec<u8>) {
    let mut img = Vec::new();
    for v in [0x803u32, k as u32, 28, 28] {
        img.extend_from_slice(&v.to_be_bytes());
    }
    let mut lab = Vec::new();
    for v in [0x801u32, k as u32] {
        lab.extend_from_slice(&v.to_be_bytes());
    }
    for s in 0..k {
        let label = (s % 10) as u8;
        lab.push(label);
        for p in 0..N {
            let (r, c) = (p / 28, p % 28);
            let on =
                (6..22).contains(&r) && c >= 4 + label as usize * 2 && c < 7 + label as usize * 2;
            img.push(if on { 255 } else { 0 });
        }
    }
    (img, lab)
}

fn models() -> DemoModels {
    let (img, lab) = idx(40);
    let mut file = demo_file_header();
    for (role, seed) in [(0u8, 1u32), (1, 2)] {
        let rec = train_demo_model(&img, &lab, &img, &lab, role, H, seed, 1, 40, 8, 0.1, false)
            .unwrap_or_else(|_| panic!("train role {role}"));
        file.extend(rec);
    }
    file.extend(mean_digit_record(&img, &lab).unwrap_or_else(|_| panic!("mean")));
    let mut m = DemoModels::new(&file).unwrap_or_else(|_| panic!("parse models.bin"));
    let mut bundle = (20u32).to_le_bytes().to_vec();
    bundle.extend(&lab[8..28]);
    bundle.extend(&img[16..16 + 20 * N]);
    m.set_training_digits(&bundle)
        .unwrap_or_else(|_| panic!("training digits"));
    m.set_test_digits(&bundle)
        .unwrap_or_else(|_| panic!("test digits"));
    m
}

fn sample() -> Vec<u8> {
    let (img, _) = idx(3);
    img[16 + 2 * N..16 + 3 * N].to_vec()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn noop() -> Function {
    Function::new_no_args("")
}

#[wasm_bindgen_test]
fn the_authoritys_keys_for_the_servers_w1_decrypt_to_w1_x() {
    let m = models();
    let x = sample();
    let w = m.w1_flat(H).unwrap_or_else(|_| panic!("w1")).to_vec();
    assert_eq!(w.len(), H as usize * N);
    assert!(w.iter().all(|v| v.abs() <= 127), "int8 weights");
    let authority =
        IpfeAuthority::new("ristretto255", N as u32).unwrap_or_else(|_| panic!("setup"));
    let pp = authority.public_params();
    let xi: Vec<i32> = x.iter().map(|&p| i32::from(p)).collect();
    let ct = ipfe_encrypt("ristretto255", &pp, &xi).unwrap_or_else(|_| panic!("encrypt"));
    let keys = authority
        .function_keys(&w, 0, H)
        .unwrap_or_else(|_| panic!("keys"));
    let bound = m.z_bound_js(H).unwrap_or_else(|_| panic!("bound"));
    let server = IpfeServer::new("ristretto255", &pp, bound).unwrap_or_else(|_| panic!("server"));
    let z = server
        .decrypt_all(&ct, &keys, &noop())
        .unwrap_or_else(|_| panic!("decrypt"));
    let plain = m
        .client_forward(H, &x)
        .unwrap_or_else(|_| panic!("forward"));
    assert_eq!(z, plain, "the decrypted z equals the client's own W1·x");
}

#[wasm_bindgen_test]
fn the_attacker_uses_exactly_the_view_and_fails_without_w1() {
    let m = models();
    let x = sample();
    let z = m
        .client_forward(H, &x)
        .unwrap_or_else(|_| panic!("forward"));
    let knows = m
        .attack(H, "tv", &z, &x, -1, true, 2)
        .unwrap_or_else(|_| panic!("attack"));
    let blind = m
        .attack(H, "tv", &z, &x, -1, false, 2)
        .unwrap_or_else(|_| panic!("attack"));
    let psnr = |v: &JsValue| get(v, "psnr").as_f64().unwrap_or(f64::NAN);
    assert!(psnr(&knows).is_finite() && psnr(&blind).is_finite());
    assert_eq!(get(&knows, "knowsW1").as_bool(), Some(true));
    assert_eq!(get(&blind, "knowsW1").as_bool(), Some(false));
    assert!(get(&knows, "baselinePsnr")
        .as_f64()
        .is_some_and(f64::is_finite));
    // a wrong z length and an empty canvas are errors, not solves
    assert!(m.attack(H, "tv", &z[..3], &x, -1, true, 2).is_err());
    assert!(m.attack(H, "tv", &z, &[0u8; N], -1, true, 2).is_err());
    assert!(m.attack(H, "nonsense", &z, &x, -1, true, 2).is_err());
    assert!(
        m.attack(32, "tv", &z, &x, -1, true, 2).is_err(),
        "no model with h = 32"
    );
    assert!(PAGE_TV_LAMBDA > 0.0);
}

#[wasm_bindgen_test]
fn live_training_reports_points_and_a_throwing_callback_cancels() {
    let m = models();
    let calls = js_sys::Array::new();
    Reflect::set(
        &js_sys::global(),
        &JsValue::from_str("__demoPoints"),
        &calls,
    )
    .unwrap_or_default();
    let push = Function::new_with_args("p", "globalThis.__demoPoints.push(p)");
    let curve = m
        .train_live("client-loop", H, 1, &push)
        .unwrap_or_else(|_| panic!("train"));
    let curve = js_sys::Array::from(&curve);
    assert!(curve.length() >= 2, "a start point and at least one more");
    assert_eq!(calls.length(), curve.length(), "every point was reported");
    let stop = Function::new_with_args("p", "throw new Error('stop')");
    assert!(m.train_live("fhipe", H, 1, &stop).is_err(), "cancelled");
    assert!(m.train_live("nonsense", H, 1, &noop()).is_err());
}
