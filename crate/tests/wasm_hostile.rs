//! Every wasm entry point of `wasm/fe.rs`, `wasm/attack.rs`, `wasm/page.rs` and `wasm/digit.rs`
//! with hostile sizes — 0, 1, 2³¹ − 1, 2³² (where the type can hold it), lengths that disagree,
//! NaN and ±∞ — returns an error (never a trap) and leaves the instance usable: after each
//! refused call, a valid call on the same object still works. Runs in Node.
#![cfg(target_arch = "wasm32")]

use glasslayer::data::models_file::parse_bundle;
use glasslayer::fe::wire::frames;
use glasslayer::wasm::attack::attack_reconstruct;
use glasslayer::wasm::fe::{
    ipfe_encrypt, FhipeClientHandle, FhipeServerHandle, IpfeAuthority, IpfeClientHandle, IpfeServer,
};
use glasslayer::wasm::page::PageServer;
use glasslayer::wasm::{attack_metrics, preprocess_canvas};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const HOSTILE_U32: [u32; 5] = [0, 1, (1 << 31) - 1, 1 << 31, u32::MAX];
/// Hostile decryption bounds (2³² itself is a valid bound: it is under the cap of 2⁴⁰).
const HOSTILE_F64: [f64; 8] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -1.0,
    -0.5,
    1.099_511_627_777e12, // 2⁴⁰ + 1
    1.152_921_504_606_847e18,
    f64::MAX,
];

fn options(pairs: &[(&str, f64)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), &JsValue::from_f64(*v)).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn ipfe_entry_points() {
    // Dimensions: 0 and everything over the cap are refused, without allocating.
    for n in [0u32, 4097, (1 << 31) - 1, 1 << 31, u32::MAX] {
        assert!(IpfeAuthority::new("ristretto255", n).is_err(), "n = {n}");
    }
    assert!(IpfeAuthority::new("no-such-group", 4).is_err());
    let n = 4usize;
    let authority = IpfeAuthority::new("ristretto255", n as u32).unwrap();
    let pp = authority.public_params();
    let w: Vec<i32> = vec![1, -2, 3, -4, 5, 6, 7, 8];
    for (s, e) in [
        (0u32, 3u32),
        (2, 1),
        (0, u32::MAX),
        (u32::MAX, u32::MAX),
        ((1 << 31) - 1, 1 << 31),
    ] {
        assert!(authority.function_keys(&w, s, e).is_err(), "{s}..{e}");
    }
    assert!(authority.function_keys(&w[..7], 0, 1).is_err());
    let keys = authority.function_keys(&w, 0, 2).unwrap();

    let client = IpfeClientHandle::new("ristretto255", &pp).unwrap();
    assert!(IpfeClientHandle::new("ristretto255", &pp[..pp.len() - 1]).is_err());
    assert!(IpfeClientHandle::new("ffdhe2048", &pp).is_err());
    for x in [&[][..], &[1][..], &[1, 2, 3, 4, 5][..]] {
        assert!(client.encrypt(x).is_err());
        assert!(ipfe_encrypt("ristretto255", &pp, x).is_err());
    }
    let ct = client.encrypt(&[10, 20, 30, 40]).unwrap();

    for b in HOSTILE_F64 {
        assert!(
            IpfeServer::new("ristretto255", &pp, b).is_err(),
            "bound {b}"
        );
    }
    let server = IpfeServer::new("ristretto255", &pp, 100_000.0).unwrap();
    for (s, e) in [(0u32, 3u32), (2, 1), (0, u32::MAX), (u32::MAX, u32::MAX)] {
        assert!(server.decrypt_range(&ct, &keys, s, e).is_err());
    }
    // Key frames that lie about their length, or hold something else.
    let mut lying = keys.clone();
    lying[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(server.decrypt_range(&ct, &lying, 0, 1).is_err());
    assert!(server
        .decrypt_range(&ct, &frames([ct.clone()]), 0, 1)
        .is_err());
    assert!(server.decrypt_range(&keys, &keys, 0, 1).is_err());
    assert!(server
        .decrypt_range(&ct[..ct.len() - 1], &keys, 0, 1)
        .is_err());
    // Still usable.
    assert_eq!(
        server.decrypt_range(&ct, &keys, 0, 2).unwrap(),
        vec![10.0 - 40.0 + 90.0 - 160.0, 50.0 + 120.0 + 210.0 + 320.0]
    );
    assert_eq!(client.encrypt(&[1, 1, 1, 1]).unwrap().len(), ct.len());
    assert!(authority.function_keys(&w, 0, 1).is_ok());
}

#[wasm_bindgen_test]
fn fhipe_entry_points() {
    for n in [0u32, 1025, (1 << 31) - 1, 1 << 31, u32::MAX] {
        assert!(FhipeClientHandle::new(n).is_err(), "n = {n}");
    }
    let client = FhipeClientHandle::new(2).unwrap();
    let w = [3, -4, 5, 6];
    for (s, e) in [(0u32, 3u32), (2, 1), (0, u32::MAX), (u32::MAX, u32::MAX)] {
        assert!(client.keygen_range(&w, s, e).is_err());
    }
    assert!(client.keygen_range(&w[..3], 0, 1).is_err());
    assert!(client.encrypt(&[1]).is_err());
    assert!(client.encrypt(&[1, 2, 3]).is_err());
    let keys = client.keygen_range(&w, 0, 2).unwrap();
    let ct = client.encrypt(&[10, 20]).unwrap();

    for b in HOSTILE_F64 {
        assert!(FhipeServerHandle::new(b, None).is_err(), "bound {b}");
    }
    for n in [0u32, 1025, u32::MAX] {
        assert!(FhipeServerHandle::new(1000.0, Some(n)).is_err());
    }
    let mut server = FhipeServerHandle::new(1000.0, Some(2)).unwrap();
    assert!(server.decrypt_range(&keys, 0, 1).is_err(), "before prepare");
    // A ciphertext of another length is refused before it is prepared.
    let other = FhipeClientHandle::new(3).unwrap();
    assert!(server.prepare(&other.encrypt(&[1, 2, 3]).unwrap()).is_err());
    assert!(server.prepare(&ct[..ct.len() - 1]).is_err());
    assert!(server.prepare(&keys).is_err());
    server.prepare(&ct).unwrap();
    for (s, e) in [(0u32, 3u32), (2, 1), (0, u32::MAX)] {
        assert!(server.decrypt_range(&keys, s, e).is_err());
    }
    let other_keys = other.keygen_range(&[1, 1, 1], 0, 1).unwrap();
    assert!(server.decrypt_range(&other_keys, 0, 1).is_err());
    // Still usable.
    assert_eq!(
        server.decrypt_range(&keys, 0, 2).unwrap(),
        vec![30.0 - 80.0, 50.0 + 120.0]
    );
}

#[wasm_bindgen_test]
fn attack_entry_points() {
    let h = 4usize;
    let w1: Vec<f32> = (0..h * 784)
        .map(|i| ((i * 7919) % 13) as f32 / 13.0)
        .collect();
    let truth: Vec<f32> = (0..784)
        .map(|i| if i % 9 == 0 { 1.0 } else { 0.0 })
        .collect();
    let z: Vec<f64> = (0..h)
        .map(|r| {
            (0..784)
                .map(|p| f64::from(w1[r * 784 + p]) * f64::from(truth[p]))
                .sum()
        })
        .collect();
    let none = || JsValue::UNDEFINED;
    for hidden in [0usize, 1, 5, (1 << 31) - 1, usize::MAX] {
        assert!(attack_reconstruct(&w1, hidden, &z, "minsum", none(), None).is_err());
    }
    assert!(attack_reconstruct(&w1, h, &z[..3], "minsum", none(), None).is_err());
    assert!(attack_reconstruct(&w1[..100], h, &z, "minsum", none(), None).is_err());
    assert!(attack_reconstruct(&w1, h, &z, "minsum", none(), Some(vec![0.0; 5])).is_err());
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut bad = z.clone();
        bad[1] = v;
        assert!(attack_reconstruct(&w1, h, &bad, "minsum", none(), None).is_err());
        let mut bad_w = w1.clone();
        bad_w[5] = v as f32;
        assert!(attack_reconstruct(&bad_w, h, &z, "minsum", none(), None).is_err());
        for key in ["lambda", "epsilon", "t", "pixelMax"] {
            assert!(
                attack_reconstruct(&w1, h, &z, "tv", options(&[(key, v)]), None).is_err(),
                "{key} = {v}"
            );
        }
    }
    for (rows, cols) in [
        (0.0, 28.0),
        (16.0, 268_435_505.0),
        (65_536.0, 65_536.0),
        (4_294_967_295.0, 2.0),
        (65.0, 65.0),
    ] {
        let o = options(&[("rows", rows), ("cols", cols)]);
        assert!(
            attack_reconstruct(&w1, h, &z, "paper", o, None).is_err(),
            "{rows}×{cols}"
        );
    }
    for it in [4_294_967_295.0, 1e6] {
        let o = options(&[("maxIter", it)]);
        assert!(attack_reconstruct(&w1, h, &z, "tv", o, None).is_err());
    }
    // attackMetrics.
    for (rows, cols) in [
        (0usize, 0usize),
        (16, 268_435_505),
        (usize::MAX, usize::MAX),
        (28, 27),
    ] {
        assert!(attack_metrics(&truth, &truth, rows, cols).is_err());
    }
    let mut nan = truth.clone();
    nan[0] = f32::NAN;
    assert!(attack_metrics(&truth, &nan, 28, 28).is_err());
    assert!(attack_metrics(&truth, &truth, 28, 28).is_ok());
    // Still works with sane input.
    assert!(attack_reconstruct(&w1, h, &z, "minsum", none(), Some(truth)).is_ok());
}

#[wasm_bindgen_test]
fn digit_entry_point() {
    let ink = |w: usize, h: usize| {
        let mut v = vec![0u8; w * h * 4];
        for p in (3..v.len()).step_by(4 * 3) {
            v[p] = 255;
        }
        v
    };
    for (w, h) in [
        (0u32, 10u32),
        (10, 0),
        (65_536, 65_536),
        (u32::MAX, u32::MAX),
        ((1 << 31) - 1, 1),
        (1 << 16, 1 << 16),
    ] {
        assert!(preprocess_canvas(&ink(2, 2), w, h).is_err(), "{w}×{h}");
    }
    assert!(preprocess_canvas(&ink(10, 10)[..399], 10, 10).is_err());
    assert_eq!(preprocess_canvas(&ink(10, 10), 10, 10).unwrap().len(), 784);
}

#[wasm_bindgen_test]
fn page_entry_points() {
    // The models file and the digit bundles come from the network: hostile bytes are errors.
    for bytes in [
        &[][..],
        &b"GLDEMO1\0"[..],
        &b"GLDEMO1\0\x01\xff\xff\xff\xff"[..],
        &[0xffu8; 64][..],
    ] {
        assert!(PageServer::new(bytes).is_err());
    }
    for count in HOSTILE_U32 {
        let mut bundle = count.to_le_bytes().to_vec();
        bundle.extend([1u8; 785]);
        let ok = count == 1;
        assert_eq!(parse_bundle(&bundle).is_ok(), ok, "count {count}");
    }
    let v = glasslayer::wasm::page::vocabulary().unwrap();
    assert!(!v.is_undefined());
}
