//! The page's bindings in headless Chromium, composed as the page's workers compose them: a models
//! file from `trainDemoModel`, a scene per protocol (the server's key request, the authority's
//! keys, the client's ciphertext, the server's decryption), the one attacker on the server's view,
//! the scene file, and live training.
#![cfg(target_arch = "wasm32")]

use glasslayer::wasm::fe::{ipfe_encrypt, IpfeAuthority, IpfeServer};
use glasslayer::wasm::models::{demo_file_header, mean_digit_record, train_demo_model};
use glasslayer::wasm::page::{PageScene, PageServer};
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const N: usize = 784;
const H: u32 = 64;

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

fn server() -> PageServer {
    let (img, lab) = idx(40);
    let mut file = demo_file_header();
    for (role, seed) in [(0u8, 1u32), (1, 2)] {
        let rec = train_demo_model(&img, &lab, &img, &lab, role, H, seed, 1, 40, 8, 0.1, false)
            .unwrap_or_else(|_| panic!("train role {role}"));
        file.extend(rec);
    }
    file.extend(mean_digit_record(&img, &lab).unwrap_or_else(|_| panic!("mean")));
    let mut s = PageServer::new(&file).unwrap_or_else(|_| panic!("parse models.bin"));
    let mut bundle = (20u32).to_le_bytes().to_vec();
    bundle.extend(&lab[8..28]);
    bundle.extend(&img[16..16 + 20 * N]);
    s.set_training_digits(&bundle)
        .unwrap_or_else(|_| panic!("training digits"));
    s.set_test_digits(&bundle)
        .unwrap_or_else(|_| panic!("test digits"));
    s
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

/// A CryptoNN round with real IPFE, as the page's workers run it: the server's z.
fn cryptonn_round(s: &PageServer, x: &[u8]) -> PageScene {
    let mut scene = PageScene::new(s, "cryptonn", H, x, -1).unwrap_or_else(|_| panic!("scene"));
    let request = scene
        .key_request()
        .unwrap_or_else(|_| panic!("request"))
        .expect("the server asks for keys for its own W1")
        .to_vec();
    assert_eq!(request.len(), H as usize * N);
    let authority =
        IpfeAuthority::new("ristretto255", N as u32).unwrap_or_else(|_| panic!("setup"));
    let pp = authority.public_params();
    let ct = ipfe_encrypt("ristretto255", &pp, &scene.client_levels().to_vec())
        .unwrap_or_else(|_| panic!("encrypt"));
    let keys = authority
        .function_keys(&request, 0, H)
        .unwrap_or_else(|_| panic!("keys"));
    scene
        .deliver("ciphertexts", ct.len() as f64)
        .unwrap_or_else(|_| panic!("deliver"));
    scene
        .deliver("keys", keys.len() as f64)
        .unwrap_or_else(|_| panic!("deliver"));
    let bound = scene.dlog_bound().unwrap_or_else(|_| panic!("bound"));
    let server = IpfeServer::new("ristretto255", &pp, bound).unwrap_or_else(|_| panic!("server"));
    let z = server
        .decrypt_all(&ct, &keys, &noop())
        .unwrap_or_else(|_| panic!("decrypt"));
    let summary = scene
        .server_decrypted(&z)
        .unwrap_or_else(|_| panic!("server view"));
    assert_eq!(get(&summary, "heldW1").as_bool(), Some(true));
    assert!(get(&get(&summary, "traffic"), "ciphertextBytes").as_f64() == Some(ct.len() as f64));
    scene
}

#[wasm_bindgen_test]
fn the_attacker_reads_the_view_informed_under_cryptonn_and_blind_under_client_loop() {
    let s = server();
    let x = sample();
    let psnr = |v: &JsValue| get(v, "psnr").as_f64().unwrap_or(f64::NAN);

    let mut c = cryptonn_round(&s, &x);
    let informed = c.attack(&s, "tv", &x).unwrap_or_else(|_| panic!("attack"));
    assert_eq!(get(&informed, "knowsW1").as_bool(), Some(true));
    assert_eq!(
        get(&informed, "w1Source").as_string().as_deref(),
        Some("the server's own W1 (in its view)")
    );

    let mut l = PageScene::new(&s, "client-loop", H, &x, -1).unwrap_or_else(|_| panic!("scene"));
    assert!(l
        .key_request()
        .unwrap_or_else(|_| panic!("request"))
        .is_none());
    let z = l.client_sends_z().unwrap_or_else(|_| panic!("z"));
    l.server_decrypted(&z).unwrap_or_else(|_| panic!("view"));
    let blind = l.attack(&s, "tv", &x).unwrap_or_else(|_| panic!("attack"));
    assert_eq!(get(&blind, "knowsW1").as_bool(), Some(false));
    let tried = js_sys::Array::from(&get(&blind, "tried"));
    assert_eq!(
        tried.length(),
        3,
        "own model, shadow model, public initial W1"
    );
    assert!(
        psnr(&informed) > psnr(&blind) + 3.0,
        "the server's own W1 rebuilds the digit ({:.1} dB), a guess does not ({:.1} dB)",
        psnr(&informed),
        psnr(&blind)
    );

    // Gradient under client in the loop: not applicable, said in words, no image.
    let g = l
        .attack(&s, "gradient", &x)
        .unwrap_or_else(|_| panic!("attack"));
    assert_eq!(get(&g, "applicable").as_bool(), Some(false));
    assert!(get(&g, "reason")
        .as_string()
        .unwrap_or_default()
        .contains("gradient"));
    assert!(get(&g, "image").is_null());
    // …while CryptoNN's gradient step gives the sample back exactly.
    let cg = c
        .attack(&s, "gradient", &x)
        .unwrap_or_else(|_| panic!("attack"));
    assert!(psnr(&cg) > 60.0, "gradient: {}", psnr(&cg));
}

#[wasm_bindgen_test]
fn the_scene_file_holds_the_views_integers() {
    let s = server();
    let x = sample();
    let mut c = cryptonn_round(&s, &x);
    assert!(c.export_scene(&s, "{}").is_err(), "no attack yet");
    c.attack(&s, "tv", &x).unwrap_or_else(|_| panic!("attack"));
    let settings =
        r#"{"protocol":"cryptonn","h":64,"attack":"tv","group":"ristretto255","digit":"m2"}"#;
    let text = c
        .export_scene(&s, settings)
        .unwrap_or_else(|_| panic!("export"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(v["format"], "glasslayer-scene");
    assert_eq!(v["version"], 1);
    let w1 = v["view"]["w1"].as_array().cloned().unwrap_or_default();
    assert_eq!(w1.len(), H as usize);
    assert!(w1.iter().all(|r| r
        .as_array()
        .is_some_and(|r| r.len() == N && r.iter().all(|x| x.is_i64()))));
    let z = v["view"]["z"].as_array().cloned().unwrap_or_default();
    assert_eq!(z.len(), H as usize);
    assert!(z.iter().all(|x| x.is_i64()));
    assert_eq!(v["truth"].as_array().map(Vec::len), Some(N));
    assert!(v["metrics"]["psnr"].is_f64());

    let mut l = PageScene::new(&s, "client-loop", H, &x, 3).unwrap_or_else(|_| panic!("scene"));
    let z = l.client_sends_z().unwrap_or_else(|_| panic!("z"));
    l.server_decrypted(&z).unwrap_or_else(|_| panic!("view"));
    l.attack(&s, "tv", &x).unwrap_or_else(|_| panic!("attack"));
    let text = l
        .export_scene(&s, settings)
        .unwrap_or_else(|_| panic!("export"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert!(v["view"]["w1"].is_null(), "no W1 under client in the loop");
    assert_eq!(
        v["settings"]["protocol"], "client-loop",
        "the scene's own protocol"
    );
    assert_eq!(v["view"]["labels"][0], 3);
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_the_instance_stays_usable() {
    let s = server();
    let x = sample();
    assert!(PageScene::new(&s, "cryptonn", H, &x[..10], -1).is_err());
    assert!(
        PageScene::new(&s, "cryptonn", H, &[0u8; N], -1).is_err(),
        "empty canvas"
    );
    assert!(PageScene::new(&s, "nonsense", H, &x, -1).is_err());
    assert!(
        PageScene::new(&s, "cryptonn", 32, &x, -1).is_err(),
        "no model with h = 32"
    );
    let mut c = PageScene::new(&s, "cryptonn", H, &x, -1).unwrap_or_else(|_| panic!("scene"));
    assert!(c.attack(&s, "tv", &x).is_err(), "nothing decrypted yet");
    assert!(c.server_decrypted(&[1.0; 3]).is_err(), "wrong length");
    assert!(
        c.server_decrypted(&[0.5; H as usize]).is_err(),
        "not integers"
    );
    assert!(c.server_decrypted(&[f64::NAN; H as usize]).is_err());
    assert!(c.deliver("nonsense", 1.0).is_err());
    assert!(c.deliver("keys", -1.0).is_err());
    let mut l = PageScene::new(&s, "client-loop", H, &x, -1).unwrap_or_else(|_| panic!("scene"));
    assert!(
        l.server_decrypted(&[0.0; H as usize]).is_err(),
        "the client sent nothing yet"
    );
    let mut z = l.client_sends_z().unwrap_or_else(|_| panic!("z"));
    z[0] += 1.0;
    assert!(
        l.server_decrypted(&z).is_err(),
        "z must be what the client sent"
    );
    assert!(l.attack(&s, "nonsense", &x).is_err());
    // still usable
    let mut ok = cryptonn_round(&s, &x);
    assert!(ok.attack(&s, "minsum", &x).is_ok());
}

#[wasm_bindgen_test]
fn live_training_reports_points_and_a_throwing_callback_cancels() {
    let s = server();
    let calls = js_sys::Array::new();
    Reflect::set(
        &js_sys::global(),
        &JsValue::from_str("__demoPoints"),
        &calls,
    )
    .unwrap_or_default();
    let push = Function::new_with_args("p", "globalThis.__demoPoints.push(p)");
    let curve = s
        .train_live("client-loop", H, 1, &push)
        .unwrap_or_else(|_| panic!("train"));
    let curve = js_sys::Array::from(&curve);
    assert!(curve.length() >= 2, "a start point and at least one more");
    assert_eq!(calls.length(), curve.length(), "every point was reported");
    let stop = Function::new_with_args("p", "throw new Error('stop')");
    assert!(s.train_live("fhipe", H, 1, &stop).is_err(), "cancelled");
    assert!(s.train_live("nonsense", H, 1, &noop()).is_err());
}
