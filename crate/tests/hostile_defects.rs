//! One test per defect of issue #16 (size arithmetic that wrapped on wasm32, work and memory a
//! peer or a caller could make unbounded). Each failed before its fix; the wasm32 run is the one
//! that shows the wraps, since `usize` is 32 bits there.

use glasslayer::attack::metrics::Quality;
use glasslayer::data::mnist::Mnist;
use glasslayer::fe::group::Ristretto255;
use glasslayer::roles::{Authority, FhipeClient, FhipeServer, Server};
use glasslayer::wasm::attack::{reconstruct, AttackOptions};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// 5 478 275 · 784 = 2³² + 304: in 32-bit arithmetic 304 image bytes "fit" that many labels.
const WRAPPING_COUNT: u32 = 5_478_275;
/// 16 · 268 435 505 = 2³² + 784.
const WRAPPING_COLS: usize = 268_435_505;

#[test]
fn idx_count_that_wraps_is_refused() {
    let mut img = Vec::new();
    for v in [0x803u32, WRAPPING_COUNT, 28, 28] {
        img.extend_from_slice(&v.to_be_bytes());
    }
    img.extend(std::iter::repeat(1u8).take(304));
    let mut lab = Vec::new();
    for v in [0x801u32, WRAPPING_COUNT] {
        lab.extend_from_slice(&v.to_be_bytes());
    }
    lab.extend(std::iter::repeat(1u8).take(WRAPPING_COUNT as usize));
    assert!(Mnist::parse(&img, &lab).is_err());
}

#[test]
fn metrics_sizes_that_wrap_are_refused() {
    let t = vec![0.5f64; 784];
    assert!(Quality::measure(&t, &t, 16, WRAPPING_COLS).is_err());
    assert!(Quality::measure(&t, &t, usize::MAX, usize::MAX).is_err());
}

#[test]
fn reconstruct_sizes_that_wrap_are_refused() {
    let opts = AttackOptions {
        rows: Some(16),
        cols: Some(WRAPPING_COLS),
        ..AttackOptions::default()
    };
    let w1 = vec![0.1f32; 784];
    assert!(reconstruct(&w1, 1, &[1.0], "tv", &opts, None).is_err());
    assert!(reconstruct(&w1, 1, &[1.0], "paper", &opts, None).is_err());
}

#[test]
fn dlog_bounds_over_2_pow_40_are_refused() {
    let (_, pp) = Authority::<Ristretto255>::setup(2).unwrap();
    assert!(Server::new(pp, 1 << 60).is_err());
    assert!(FhipeServer::new(1 << 60).is_err());
    assert!(FhipeServer::new(1 << 40).is_err());
}

#[test]
fn fhipe_setup_dimension_is_capped() {
    // 2048² field elements (134 MB) were accepted, 16384² (8.6 GB) too.
    assert!(FhipeClient::setup(2048).is_err());
    assert!(FhipeClient::setup(16_384).is_err());
}

#[cfg(target_arch = "wasm32")]
mod wasm_entry_points {
    use super::*;
    use glasslayer::wasm::attack_metrics;
    use glasslayer::wasm::fe::{FhipeClientHandle, IpfeServer};
    use glasslayer::wasm::page::PageServer;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_pages_digit_bundle_count_does_not_wrap() {
        // count · 785 + 4 wraps to 304 in 32-bit arithmetic: 304 bytes must not pass.
        let mut bundle = WRAPPING_COUNT.to_le_bytes().to_vec();
        bundle.extend(vec![0u8; 300]);
        assert!(glasslayer::data::models_file::parse_bundle(&bundle).is_err());
        assert!(PageServer::new(&bundle).is_err());
    }

    #[test]
    fn attack_metrics_rows_times_cols_does_not_wrap() {
        let t = vec![0.5f32; 784];
        assert!(attack_metrics(&t, &t, 16, WRAPPING_COLS).is_err());
    }

    #[test]
    fn server_bound_over_2_pow_40_is_refused() {
        let (_, pp) = Authority::<Ristretto255>::setup(2).unwrap();
        assert!(IpfeServer::new("ristretto255", &pp.to_bytes(), (1u64 << 60) as f64).is_err());
    }

    #[test]
    fn fhipe_client_dimension_is_capped() {
        // "capacity overflow" (a trap) from n ≈ 11 600 on wasm32.
        assert!(FhipeClientHandle::new(12_000).is_err());
        assert!(FhipeClientHandle::new(u32::MAX).is_err());
    }
}
