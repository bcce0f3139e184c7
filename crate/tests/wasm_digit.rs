//! The drawing stage's wasm entry point, in headless Chromium: the same preprocessing as natively,
//! and errors reach JS as exceptions with a message.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn preprocess_canvas_centres_a_stroke() {
    let (w, h) = (280usize, 280usize);
    let mut rgba = vec![0u8; w * h * 4];
    for y in 40..240 {
        for x in 60..90 {
            rgba[(y * w + x) * 4 + 3] = 255;
        }
    }
    let img = glasslayer::wasm::preprocess_canvas(&rgba, w as u32, h as u32).expect("valid canvas");
    assert_eq!(img.len(), 784);
    let mass: f32 = img.iter().sum();
    let cy: f32 = (0..784)
        .map(|i| img[i] * ((i / 28) as f32 + 0.5))
        .sum::<f32>()
        / mass;
    assert!((cy - 14.0).abs() <= 0.5, "centred: {cy}");
}

#[wasm_bindgen_test]
fn empty_canvas_and_bad_sizes_are_errors_not_panics() {
    let empty = vec![0u8; 280 * 280 * 4];
    assert!(glasslayer::wasm::preprocess_canvas(&empty, 280, 280).is_err());
    assert!(glasslayer::wasm::preprocess_canvas(&empty, 10, 10).is_err());
    assert!(glasslayer::digit::preprocess_rgba(&empty, 280, 280)
        .unwrap_err()
        .to_string()
        .contains("draw a digit first"));
}
