//! The FE correctness suite in headless Chromium: IPFE for every group, FHIPE, discrete-log
//! bounds, tampered bytes, and the wasm entry points of `wasm::fe` (ranges, progress, cancel).
#![cfg(target_arch = "wasm32")]

use glasslayer::fe::group::{ModP2048, ModP3072, PrimeGroup, Ristretto255};
use glasslayer::fe::ipfe::{Ciphertext, FunctionKey};
use glasslayer::fe::FhipeCiphertext;
use glasslayer::roles::{Authority, Client, FhipeClient, FhipeServer, Server};
use glasslayer::wasm::fe::{
    ipfe_encrypt, FhipeClientHandle, FhipeServerHandle, IpfeAuthority, IpfeClientHandle, IpfeServer,
};
use glasslayer::Error;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn dot(x: &[i64], y: &[i64]) -> i64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// Roundtrip with signed weights, ±bound and bound + 1 (OS randomness = the browser's CSPRNG).
fn ipfe_suite<G: PrimeGroup>(n: usize) {
    let bound = 40_000u64;
    let (authority, pp) = Authority::<G>::setup(n).unwrap();
    let client = Client::new(pp.clone());
    let server = Server::new(pp, bound).unwrap();
    let x: Vec<i64> = (0..n as i64).map(|i| (i * 37) % 256).collect();
    let mut rows: Vec<Vec<i64>> = (0..3)
        .map(|r| (0..n as i64).map(|i| ((i + r) * 53) % 255 - 127).collect())
        .collect();
    rows.push(vec![0; n]);
    let keys = authority.function_keys(&rows).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let expect: Vec<i64> = rows.iter().map(|r| dot(&x, r)).collect();
    assert_eq!(
        server.decrypt_rows(&ct, &keys).unwrap(),
        expect,
        "{}",
        G::NAME
    );

    let mut edge = vec![0i64; n];
    edge[0] = 1;
    let key = authority.function_key(&edge).unwrap();
    let mut xe = vec![0i64; n];
    for (v, want) in [
        (40_000i64, Ok(40_000)),
        (-40_000, Ok(-40_000)),
        (40_001, Err(Error::DlogOutOfRange { bound })),
        (-40_001, Err(Error::DlogOutOfRange { bound })),
    ] {
        xe[0] = v;
        assert_eq!(
            server.decrypt(&client.encrypt(&xe).unwrap(), &key),
            want,
            "{} x0={v}",
            G::NAME
        );
    }

    // Tampered / truncated bytes: typed errors.
    let bytes = ct.to_bytes();
    assert!(matches!(
        Ciphertext::<G>::from_bytes(&bytes[..bytes.len() - 1]),
        Err(Error::Decode(_))
    ));
    let mut bad = bytes.clone();
    bad[3] ^= 0xff;
    assert!(matches!(
        Ciphertext::<G>::from_bytes(&bad),
        Err(Error::Decode(_))
    ));
    let kb = keys[0].to_bytes();
    assert!(matches!(
        FunctionKey::<G>::from_bytes(&kb[..10]),
        Err(Error::Decode(_))
    ));
    assert_eq!(Ciphertext::<G>::from_bytes(&bytes).unwrap(), ct);
}

#[wasm_bindgen_test]
fn ipfe_ristretto() {
    ipfe_suite::<Ristretto255>(16);
}

#[wasm_bindgen_test]
fn ipfe_ffdhe2048() {
    ipfe_suite::<ModP2048>(3);
}

#[wasm_bindgen_test]
fn ipfe_ffdhe3072() {
    ipfe_suite::<ModP3072>(2);
}

#[wasm_bindgen_test]
fn ipfe_gradient_path() {
    let (authority, pp) = Authority::<Ristretto255>::setup(3).unwrap();
    let x = vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8], vec![9, 10, 11, 12]];
    let delta = vec![vec![1, -1, 2], vec![0, 3, -4]];
    let cts = Client::new(pp.clone()).encrypt_features(&x).unwrap();
    let keys = authority.function_keys(&delta).unwrap();
    let dw = Server::new(pp, 1000)
        .unwrap()
        .decrypt_gradient(&cts, &keys)
        .unwrap();
    for i in 0..2 {
        for j in 0..4 {
            assert_eq!(dw[i][j], (0..3).map(|b| delta[i][b] * x[b][j]).sum::<i64>());
        }
    }
}

#[wasm_bindgen_test]
fn fhipe_signed_and_bounds() {
    let client = FhipeClient::setup(4).unwrap();
    let server = FhipeServer::new(1000).unwrap();
    let x = vec![10, -20, 30, 0];
    let ws = vec![
        vec![1, 2, 3, 4],
        vec![-5, 5, -5, 5],
        vec![0, 0, 0, 0],
        vec![100, 0, 0, 0],
        vec![100, 0, 0, 1],
    ];
    let keys = client.keygen_rows(&ws[..4]).unwrap();
    let ct = client.encrypt(&x).unwrap();
    let z = server.decrypt_rows(&ct, &keys).unwrap();
    assert_eq!(z, vec![60, -300, 0, 1000]);
    let out = client.keygen(&[-101, 0, 0, 0]).unwrap();
    assert_eq!(
        server.decrypt(&ct, &out),
        Err(Error::DlogOutOfRange { bound: 1000 })
    );
    let bytes = ct.to_bytes();
    assert!(matches!(
        FhipeCiphertext::from_bytes(&bytes[..100]),
        Err(Error::Decode(_))
    ));
    let mut bad = bytes.clone();
    bad[20] ^= 0x55;
    assert!(FhipeCiphertext::from_bytes(&bad)
        .map(|c| c != ct)
        .unwrap_or(true));
}

#[wasm_bindgen_test]
fn debug_is_redacted() {
    let (a, _) = Authority::<Ristretto255>::setup(2).unwrap();
    assert!(format!("{a:?}").contains("redacted"));
    assert!(format!("{:?}", FhipeClient::setup(2).unwrap()).contains("redacted"));
}

#[wasm_bindgen_test]
fn entry_points_ipfe() {
    let n = 5u32;
    let authority = IpfeAuthority::with_replay_seed("ristretto255", n, &[7; 32]).unwrap();
    assert_eq!(authority.group(), "ristretto255");
    let pp = authority.public_params();
    let w: Vec<i32> = vec![1, 2, 3, 4, 5, -1, -2, -3, -4, -5, 127, 0, 0, 0, -127];
    let keys = authority.function_keys(&w, 0, 3).unwrap();
    let x = [1, 2, 3, 4, 255];
    let ct = ipfe_encrypt("ristretto255", &pp, &x).unwrap();
    let server = IpfeServer::new("ristretto255", &pp, 100_000.0).unwrap();
    assert_eq!(
        server.decrypt_range(&ct, &keys, 0, 3).unwrap(),
        vec![1305.0, -1305.0, 127.0 - 127.0 * 255.0]
    );
    assert_eq!(
        server.decrypt_range(&ct, &keys, 1, 2).unwrap(),
        vec![-1305.0]
    );
    let seen = std::rc::Rc::new(std::cell::Cell::new(0));
    let s2 = seen.clone();
    let cb = wasm_bindgen::closure::Closure::<dyn FnMut(f64, f64) -> JsValue>::new(
        move |done: f64, _t: f64| {
            s2.set(done as i32);
            JsValue::TRUE
        },
    );
    let f: &js_sys::Function = cb.as_ref().unchecked_ref();
    assert_eq!(server.decrypt_all(&ct, &keys, f).unwrap().len(), 3);
    assert_eq!(seen.get(), 3);
    let stop = wasm_bindgen::closure::Closure::<dyn FnMut(f64, f64) -> JsValue>::new(
        |_d: f64, _t: f64| JsValue::FALSE,
    );
    assert!(
        server
            .decrypt_all(&ct, &keys, stop.as_ref().unchecked_ref())
            .is_err(),
        "cancel"
    );
    assert!(server.decrypt_range(&ct, &keys, 2, 9).is_err());
    assert!(server.decrypt_range(&ct[..10], &keys, 0, 1).is_err());
    assert!(IpfeAuthority::new("p256", 3).is_err());
    // ffdhe through the same surface.
    let a2 = IpfeAuthority::new("ffdhe2048", 2).unwrap();
    let pp2 = a2.public_params();
    let k2 = a2.function_keys(&[3, -4], 0, 1).unwrap();
    let c2 = ipfe_encrypt("ffdhe2048", &pp2, &[5, 6]).unwrap();
    let s2 = IpfeServer::new("ffdhe2048", &pp2, 100.0).unwrap();
    assert_eq!(s2.decrypt_range(&c2, &k2, 0, 1).unwrap(), vec![-9.0]);
}

/// A long-lived client: tables prepared once (n = 70 > the old 64-slot limit for tables in
/// wasm), many encryptions under one key, each with fresh randomness; bad inputs are errors.
#[wasm_bindgen_test]
fn entry_points_ipfe_client_handle() {
    let n = 70u32;
    let authority = IpfeAuthority::new("ristretto255", n).unwrap();
    let pp = authority.public_params();
    let w: Vec<i32> = (0..2 * n as i32).map(|i| (i * 37) % 255 - 127).collect();
    let keys = authority.function_keys(&w, 0, 2).unwrap();
    let client = IpfeClientHandle::new("ristretto255", &pp).unwrap();
    assert_eq!(
        (client.group(), client.n()),
        ("ristretto255".to_string(), n)
    );
    client.prepare().unwrap();
    client.prepare().unwrap(); // idempotent
    let server = IpfeServer::new("ristretto255", &pp, 5_000_000.0).unwrap();
    let x: Vec<i32> = (0..n as i32).map(|i| (i * 53) % 256).collect();
    let expect: Vec<f64> = w
        .chunks(n as usize)
        .map(|row| row.iter().zip(&x).map(|(a, b)| f64::from(a * b)).sum())
        .collect();
    let c1 = client.encrypt(&x).unwrap();
    let c2 = client.encrypt(&x).unwrap();
    assert_ne!(c1, c2, "fresh randomness per encryption");
    assert_eq!(server.decrypt_range(&c1, &keys, 0, 2).unwrap(), expect);
    assert_eq!(server.decrypt_range(&c2, &keys, 0, 2).unwrap(), expect);
    // The one-off free function agrees.
    let c3 = ipfe_encrypt("ristretto255", &pp, &x).unwrap();
    assert_eq!(server.decrypt_range(&c3, &keys, 0, 2).unwrap(), expect);
    assert!(client.encrypt(&x[1..]).is_err(), "wrong length");
    assert!(IpfeClientHandle::new("p256", &pp).is_err());
    assert!(
        IpfeClientHandle::new("ffdhe2048", &pp).is_err(),
        "group mismatch"
    );
    assert!(IpfeClientHandle::new("ristretto255", &pp[..pp.len() - 1]).is_err());
    // ffdhe through the same surface.
    let a2 = IpfeAuthority::new("ffdhe2048", 2).unwrap();
    let pp2 = a2.public_params();
    let k2 = a2.function_keys(&[3, -4], 0, 1).unwrap();
    let client2 = IpfeClientHandle::new("ffdhe2048", &pp2).unwrap();
    client2.prepare().unwrap();
    let s2 = IpfeServer::new("ffdhe2048", &pp2, 100.0).unwrap();
    let c = client2.encrypt(&[5, 6]).unwrap();
    assert_eq!(s2.decrypt_range(&c, &k2, 0, 1).unwrap(), vec![-9.0]);
}

#[wasm_bindgen_test]
fn entry_points_fhipe() {
    let client = FhipeClientHandle::with_replay_seed(3, &[1; 32]).unwrap();
    let w: Vec<i32> = vec![1, 1, 1, -2, 0, 2, 0, 0, 0];
    let keys_a = client.keygen_range(&w, 0, 2).unwrap();
    let keys_b = client.keygen_range(&w, 2, 3).unwrap();
    let keys = [keys_a, keys_b].concat();
    let ct = client.encrypt(&[7, 8, -9]).unwrap();
    let mut server = FhipeServerHandle::new(500.0, None).unwrap();
    assert!(server.decrypt_range(&keys, 0, 1).is_err(), "prepare first");
    server.prepare(&ct).unwrap();
    assert_eq!(
        server.decrypt_range(&keys, 0, 3).unwrap(),
        vec![6.0, -32.0, 0.0]
    );
    let stop =
        wasm_bindgen::closure::Closure::<dyn FnMut(f64, f64) -> JsValue>::new(|d: f64, _t: f64| {
            JsValue::from_bool(d < 1.0)
        });
    assert!(
        server
            .decrypt_all(&keys, stop.as_ref().unchecked_ref())
            .is_err(),
        "cancel after one row"
    );
    assert!(client.keygen_range(&w, 0, 4).is_err());
}

use wasm_bindgen::JsCast;
