//! Every decoder of bytes that cross a boundary, on arbitrary bytes and on structured mutations
//! of valid encodings (proptest): never a panic (a trap under wasm32), failures are the typed
//! error, and what decodes re-encodes to the same bytes. Natively 10 000 mutated + 2 000
//! arbitrary inputs per decoder; under wasm32 (Node) 1 000 + 200 — that run is what catches
//! size arithmetic that wraps at 32 bits.

mod hostile;

use hostile::{apply, Mutation, Target, INTERESTING_U32};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Mutated inputs per decoder.
pub const MUTATED: u32 = if cfg!(target_arch = "wasm32") {
    1_000
} else {
    10_000
};
/// Arbitrary inputs per decoder.
pub const ARBITRARY: u32 = MUTATED / 5;

fn targets() -> &'static [Target] {
    static T: OnceLock<Vec<Target>> = OnceLock::new();
    T.get_or_init(hostile::targets)
}

fn target(name: &str) -> &'static Target {
    targets()
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no target {name}"))
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    })
}

fn mutation(size_fields: &'static [(usize, bool)]) -> impl Strategy<Value = Mutation> {
    let size = (
        any::<usize>(),
        prop::sample::select(INTERESTING_U32),
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(move |(at, value, be, delta)| {
            let value = if delta % 4 == 0 {
                value.wrapping_add(delta % 3).wrapping_sub(1)
            } else {
                value
            };
            match size_fields {
                [] => Mutation::SizeField {
                    at,
                    value,
                    big_endian: be,
                },
                f => {
                    let (at, big_endian) = f[at % f.len()];
                    Mutation::SizeField {
                        at,
                        value,
                        big_endian,
                    }
                }
            }
        });
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        any::<usize>().prop_map(|len| Mutation::Truncate { len }),
        vec(any::<u8>(), 1..16).prop_map(|bytes| Mutation::Extend { bytes }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        size.clone(),
        size,
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(from, at, len)| Mutation::Splice { from, at, len }),
    ]
}

fn run_target(name: &str) {
    let t = target(name);
    // Every seed is valid and round-trips.
    for s in &t.seeds {
        (t.check)(s).unwrap_or_else(|e| panic!("{name}: seed fails: {e}"));
    }
    // Structured mutations of the valid encodings.
    let seeds = t.seeds.clone();
    let strategy = (0..seeds.len(), vec(mutation(t.size_fields), 1..4));
    let ran = AtomicU32::new(0);
    runner(MUTATED)
        .run(&strategy, |(i, muts)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let mut buf = seeds[i].clone();
            for m in &muts {
                apply(&mut buf, m);
            }
            (t.check)(&buf).map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // Arbitrary bytes.
    runner(ARBITRARY)
        .run(&vec(any::<u8>(), 0..1024), |buf| {
            ran.fetch_add(1, Ordering::Relaxed);
            (t.check)(&buf).map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // The case counts the README states are what ran.
    assert!(ran.into_inner() >= MUTATED + ARBITRARY);
}

macro_rules! decoder_tests {
    ($($f:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            fn $f() {
                run_target($name);
            }
        )*

        #[test]
        fn every_target_has_a_test() {
            let names = [$($name),*];
            for t in targets() {
                assert!(names.contains(&t.name), "{} has no test", t.name);
            }
        }
    };
}

decoder_tests! {
    ipfe_public_params_ristretto255 => "ipfe-public-params-ristretto255",
    ipfe_function_key_ristretto255 => "ipfe-function-key-ristretto255",
    ipfe_ciphertext_ristretto255 => "ipfe-ciphertext-ristretto255",
    ipfe_public_params_ffdhe2048 => "ipfe-public-params-ffdhe2048",
    ipfe_function_key_ffdhe2048 => "ipfe-function-key-ffdhe2048",
    ipfe_ciphertext_ffdhe2048 => "ipfe-ciphertext-ffdhe2048",
    fhipe_key => "fhipe-key",
    fhipe_ciphertext => "fhipe-ciphertext",
    key_frames => "key-frames",
    mnist_idx => "mnist-idx",
    digit_bundle => "digit-bundle",
    cifar10 => "cifar10",
    canvas => "canvas",
}
