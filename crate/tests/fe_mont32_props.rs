//! Differential property test of the 32-bit-limb BLS12-381 field code
//! (vendor/ark-bls12-381/src/fields/mont32.rs) against `BigUint` and, natively, against
//! arkworks' 64-bit products: random values and the structured ones that break carry chains —
//! `m − 2^k`, `2^k − 1`, all-ones limbs, `R mod m`, `m − 1`. Natively 10⁶ products per field
//! (and as many two-term sums of products), under wasm32 10⁵ — where these products are the
//! ones every FHIPE pairing uses.

use ark_bls12_381::mont32;
use ark_bls12_381::{Fq, FqConfig, Fr, FrConfig};
use ark_ff::{BigInt, MontConfig, PrimeField};
use num_bigint::BigUint;
use num_traits::{One, Zero};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Values per case; every pair is multiplied, so a case checks `VALUES²` products.
const VALUES: usize = 10;
/// Cases per field: `CASES · VALUES²` products (10⁶ natively, 10⁵ under wasm32).
const CASES: u32 = if cfg!(target_arch = "wasm32") {
    1_000
} else {
    10_000
};

fn big<const N: usize>(limbs: &[u64; N]) -> BigUint {
    limbs
        .iter()
        .rev()
        .fold(BigUint::zero(), |acc, &l| (acc << 64) + l)
}

fn limbs<const N: usize>(v: &BigUint) -> [u64; N] {
    let mut out = [0u64; N];
    for (o, d) in out.iter_mut().zip(v.iter_u64_digits()) {
        *o = d;
    }
    out
}

/// A value below `m` from a structured family or random limbs.
fn structured<const N: usize>(m: &BigUint, kind: u8, k: u32, raw: [u64; N]) -> BigUint {
    let bits = 64 * N as u32;
    let k = k % bits;
    let one = BigUint::one();
    let v = match kind % 9 {
        0 => m - ((&one << k) % m), // m − 2^k
        1 => (&one << k) - 1u32,    // 2^k − 1
        2 => (&one << bits) - 1u32, // all-ones limbs (reduced below)
        3 => (&one << bits) % m,    // R mod m
        4 => m - 1u32,              // m − 1
        5 => {
            // random limbs with some forced to all-ones or zero
            let mut r = raw;
            for (i, l) in r.iter_mut().enumerate() {
                match (k >> (2 * i)) & 3 {
                    0 => *l = u64::MAX,
                    1 => *l = 0,
                    _ => {}
                }
            }
            big(&r)
        }
        6 => BigUint::from(k),
        _ => big(&raw),
    };
    v % m
}

fn run<const N: usize, const L: usize>(
    modulus: BigInt<N>,
    ark_mul: impl Fn(&[u64; N], &[u64; N]) -> [u64; N],
) {
    let m = big(&modulus.0);
    let m32: [u32; L] = mont32::limbs32::<N, L>(&modulus.0);
    let inv = mont32::inv32(modulus.0[0]);
    let r_inv = (BigUint::one() << (64 * N))
        .modinv(&m)
        .expect("R is invertible mod an odd modulus");
    let value = (
        any::<u8>(),
        any::<u32>(),
        prop::array::uniform(any::<u64>()),
    );
    let strategy = prop::collection::vec(value, VALUES);
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
    .run(&strategy, |vals| {
        let vals: Vec<(BigUint, [u64; N])> = vals
            .into_iter()
            .map(|(kind, k, raw)| {
                let v = structured::<N>(&m, kind, k, raw);
                let l = limbs::<N>(&v);
                (v, l)
            })
            .collect();
        for (a, al) in &vals {
            for (b, bl) in &vals {
                let ours = mont32::mul::<N, L>(al, bl, &modulus.0, &m32, inv);
                let expect = (a * b * &r_inv) % &m;
                prop_assert_eq!(big(&ours), expect.clone(), "{} · {}", a, b);
                prop_assert_eq!(ours, ark_mul(al, bl));
            }
        }
        // Two-term sums of products with one reduction (an F_p² product).
        for w in vals.windows(4) {
            let ours = mont32::sum_of_products::<N, L, 2>(
                &[w[0].1, w[1].1],
                &[w[2].1, w[3].1],
                &modulus.0,
                &m32,
                inv,
            );
            let expect = ((&w[0].0 * &w[2].0 + &w[1].0 * &w[3].0) * &r_inv) % &m;
            prop_assert_eq!(big(&ours), expect);
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn fq_mont32_matches_biguint_and_arkworks() {
    run::<6, 12>(<FqConfig as MontConfig<6>>::MODULUS, |a, b| {
        let x = Fq::new_unchecked(BigInt(*a)) * Fq::new_unchecked(BigInt(*b));
        (x.0).0
    });
}

#[test]
fn fr_mont32_matches_biguint_and_arkworks() {
    run::<4, 8>(<FrConfig as MontConfig<4>>::MODULUS, |a, b| {
        let x = Fr::new_unchecked(BigInt(*a)) * Fr::new_unchecked(BigInt(*b));
        (x.0).0
    });
}

#[test]
fn field_types_round_trip_through_their_limbs() {
    // The structured values are valid field elements (below the modulus).
    let m = big(&<FqConfig as MontConfig<6>>::MODULUS.0);
    let v = structured::<6>(&m, 0, 7, [0; 6]);
    let x = Fq::from_bigint(BigInt(limbs::<6>(&v))).expect("below the modulus");
    assert_eq!(big(&x.into_bigint().0), v);
}
