//! The 32-bit-limb Montgomery products that the patched ark-bls12-381 uses on wasm32
//! (vendor/ark-bls12-381/src/fields/mont32.rs) agree bit for bit with arkworks' 64-bit ones.
//! Natively the field types keep the 64-bit code, so these tests are what checks the wasm path
//! natively; the wasm tests (`wasm_fe`) then run FHIPE end to end on it.

use ark_bls12_381::mont32;
use ark_bls12_381::{Fq, FqConfig, Fr, FrConfig};
use ark_ff::{BigInt, Field, MontConfig, PrimeField, UniformRand};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn check<F, const N: usize, const L: usize>(
    modulus: BigInt<N>,
    limbs: fn(&F) -> [u64; N],
    values: &[F],
) where
    F: Field,
{
    let m32: [u32; L] = mont32::limbs32::<N, L>(&modulus.0);
    assert!(mont32::no_carry_ok(&m32));
    let inv = mont32::inv32(modulus.0[0]);
    for a in values {
        for b in values {
            let ours = mont32::mul::<N, L>(&limbs(a), &limbs(b), &modulus.0, &m32, inv);
            assert_eq!(ours, limbs(&(*a * b)), "{a} · {b}");
        }
    }
    // Two-term sums with one reduction (what an F_{p²} product uses), and
    // −1·−1 + −1·−1.
    for w in values.windows(4) {
        let ours = mont32::sum_of_products::<N, L, 2>(
            &[limbs(&w[0]), limbs(&w[1])],
            &[limbs(&w[2]), limbs(&w[3])],
            &modulus.0,
            &m32,
            inv,
        );
        assert_eq!(ours, limbs(&(w[0] * w[2] + w[1] * w[3])));
    }
    let minus_one = -F::one();
    let top = mont32::sum_of_products::<N, L, 2>(
        &[limbs(&minus_one); 2],
        &[limbs(&minus_one); 2],
        &modulus.0,
        &m32,
        inv,
    );
    assert_eq!(top, limbs(&F::from(2u64)));
}

fn edge_and_random<F: PrimeField + UniformRand>(seed: u64) -> Vec<F> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut v = vec![
        F::zero(),
        F::one(),
        -F::one(),
        F::from(2u64),
        -F::from(2u64),
    ];
    v.extend((0..60).map(|_| F::rand(&mut rng)));
    v
}

#[test]
fn fq_products_match_arkworks() {
    let values = edge_and_random::<Fq>(1);
    check::<Fq, 6, 12>(<FqConfig as MontConfig<6>>::MODULUS, |x| (x.0).0, &values);
}

#[test]
fn fr_products_match_arkworks() {
    let values = edge_and_random::<Fr>(2);
    check::<Fr, 4, 8>(<FrConfig as MontConfig<4>>::MODULUS, |x| (x.0).0, &values);
}

#[test]
fn inverse_constant_is_minus_the_modulus_inverse() {
    let m = <FqConfig as MontConfig<6>>::MODULUS.0[0];
    let inv = mont32::inv32(m);
    assert_eq!((m as u32).wrapping_mul(inv), u32::MAX); // m·inv ≡ −1 (mod 2³²)
}
