//! Differential property test: the bucket multi-exponentiation, the fixed-base window table and
//! the one-off windowed exponentiation of `fe/group/multiexp.rs` against naive square-and-multiply,
//! over ristretto255 and ffdhe2048, with exponents from 0 to 2⁶⁴ − 1 (and the structured ones:
//! 0, 1, 2ᵏ, 2ᵏ − 1), natively and under wasm32.

use glasslayer::fe::dlog::DlogGroup;
use glasslayer::fe::group::multiexp::{multiexp, pow_limbs, WindowTable};
use glasslayer::fe::group::{ModP2048, Ristretto255};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn exponent(kind: u8, k: u32, raw: u64) -> u64 {
    let k = k % 64;
    match kind % 6 {
        0 => 0,
        1 => 1,
        2 => 1 << k,
        3 => (1u64 << k).wrapping_sub(1),
        4 => raw % 256,
        _ => raw,
    }
}

fn naive<G: DlogGroup>(terms: &[(G::Element, u64)]) -> G::Element {
    terms
        .iter()
        .fold(G::identity(), |acc, (b, e)| G::op(&acc, &G::pow_u64(b, *e)))
}

fn check<G: DlogGroup>(cases: u32) {
    let strategy = prop::collection::vec(
        (1u64..1_000_000, any::<u8>(), any::<u32>(), any::<u64>()),
        0..12,
    );
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
    .run(&strategy, |terms| {
        let terms: Vec<(G::Element, u64)> = terms
            .into_iter()
            .map(|(b, kind, k, raw)| (G::pow_u64(&G::generator(), b), exponent(kind, k, raw)))
            .collect();
        let refs: Vec<(&G::Element, u64)> = terms.iter().map(|(b, e)| (b, *e)).collect();
        prop_assert!(multiexp::<G>(&refs) == naive::<G>(&terms));
        if let Some((b, e)) = terms.first() {
            let expect = G::pow_u64(b, *e);
            prop_assert!(pow_limbs::<G>(b, &[*e]) == expect);
            for (c, bits) in [(1usize, 64usize), (4, 64), (6, 20), (8, 64)] {
                // A table shorter than the exponent continues from its top entry.
                prop_assert!(WindowTable::<G>::new(b, c, bits).pow(&[*e]) == expect);
            }
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn ristretto255_multiexp_and_tables_match_naive() {
    check::<Ristretto255>(if cfg!(target_arch = "wasm32") {
        20
    } else {
        100
    });
}

#[test]
fn ffdhe2048_multiexp_and_tables_match_naive() {
    check::<ModP2048>(if cfg!(target_arch = "wasm32") { 4 } else { 20 });
}
