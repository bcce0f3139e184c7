//! Live training in headless Chromium: real protocol steps through the wasm surface, the watched
//! sample's server view, and the attack on it. Tiny sizes (wasm debug builds are slow).
#![cfg(target_arch = "wasm32")]

use glasslayer::wasm::train::LiveTraining;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Eight synthetic "digits": a vertical bar for even labels, a horizontal one for odd.
fn digits(k: usize) -> (Vec<u8>, Vec<u8>) {
    let mut img = vec![0u8; k * 784];
    let labels: Vec<u8> = (0..k).map(|i| (i % 2) as u8).collect();
    for (i, &l) in labels.iter().enumerate() {
        for t in 4..24 {
            let (r, c) = if l == 0 { (t, 14) } else { (14, t) };
            img[i * 784 + r * 28 + c] = 255;
        }
    }
    (img, labels)
}

#[wasm_bindgen_test]
fn client_loop_trains_and_its_view_hides_w1() {
    let (img, lab) = digits(8);
    let mut t =
        LiveTraining::new("client-loop", 16, "relu", 4, 0.5, 1, &img, &lab, &img, &lab).unwrap();
    t.watch_sample(0).unwrap();
    for _ in 0..8 {
        t.step().unwrap();
    }
    assert!(t.test_accuracy().unwrap() >= 0.99, "two bars are easy");
    let view = t.watched_view().unwrap().expect("sample 0 was in a batch");
    assert!(view.contains("\"w1\":null"));
    assert!(t.attack_watched("tv").is_ok());
}

#[wasm_bindgen_test]
fn cryptonn_step_runs_real_fe_and_leaks_the_sample() {
    let (img, lab) = digits(2);
    let mut t =
        LiveTraining::new("cryptonn", 4, "sigmoid", 1, 0.1, 1, &img, &lab, &img, &lab).unwrap();
    t.watch_sample(1).unwrap();
    t.step().unwrap();
    t.step().unwrap();
    let view = t.watched_view().unwrap().expect("sample 1 was seen");
    assert!(!view.contains("\"w1\":null"), "CryptoNN's server knows W1");
    let r = t.attack_watched("gradient").unwrap();
    let psnr = js_sys::Reflect::get(&r, &"psnr".into())
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(psnr > 40.0, "the gradient gives the sample back: {psnr} dB");
}

#[wasm_bindgen_test]
fn bad_inputs_are_errors() {
    let (img, lab) = digits(2);
    assert!(LiveTraining::new("nope", 16, "relu", 1, 0.1, 1, &img, &lab, &img, &lab).is_err());
    assert!(
        LiveTraining::new("fhipe", 16, "relu", 1, 0.1, 1, &img[1..], &lab, &img, &lab).is_err()
    );
    let mut t = LiveTraining::new("fhipe", 16, "relu", 1, 0.1, 1, &img, &lab, &img, &lab).unwrap();
    assert!(t.watch_sample(5).is_err());
    assert!(t.attack_watched("tv").is_err(), "nothing watched yet");
}
