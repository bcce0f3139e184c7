//! BLS12-381 plumbing for FHIPE (arkworks): fixed-base tables for `g1`/`g2`, a multi-Miller
//! loop over *borrowed* prepared G2 points (so a ciphertext's G2 side is prepared once and
//! shared by every key), and `GT` as a [`DlogGroup`].

use crate::fe::dlog::DlogGroup;
use ark_bls12_381::{Bls12_381, Config, Fq12, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::bls12::{Bls12Config, G2Prepared, TwistType};
use ark_ec::pairing::{MillerLoopOutput, Pairing, PairingOutput};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::PrimeGroup as _;
use ark_ff::{BitIteratorBE, CyclotomicMultSubgroup, Field, One};
use std::sync::OnceLock;

/// A G2 point prepared for the Miller loop (line coefficients).
pub type G2Prep = G2Prepared<Config>;
/// An element of the target group `GT` (written additively by arkworks).
pub type GtElem = PairingOutput<Bls12_381>;

fn g1_table() -> &'static BatchMulPreprocessing<G1Projective> {
    static T: OnceLock<BatchMulPreprocessing<G1Projective>> = OnceLock::new();
    T.get_or_init(|| BatchMulPreprocessing::new(G1Projective::generator(), 1 << 12))
}

fn g2_table() -> &'static BatchMulPreprocessing<G2Projective> {
    static T: OnceLock<BatchMulPreprocessing<G2Projective>> = OnceLock::new();
    T.get_or_init(|| BatchMulPreprocessing::new(G2Projective::generator(), 1 << 12))
}

/// `g1^{s_i}` for every scalar (fixed-base windows; parallel natively).
pub(crate) fn g1_mul(scalars: &[Fr]) -> Vec<G1Affine> {
    let t = g1_table();
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        scalars
            .par_chunks(64)
            .flat_map_iter(|c| t.batch_mul(c))
            .collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        t.batch_mul(scalars)
    }
}

/// `g2^{s_i}` for every scalar (fixed-base windows; parallel natively).
pub(crate) fn g2_mul(scalars: &[Fr]) -> Vec<G2Affine> {
    let t = g2_table();
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        scalars
            .par_chunks(32)
            .flat_map_iter(|c| t.batch_mul(c))
            .collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        t.batch_mul(scalars)
    }
}

/// Prepare G2 points (parallel natively).
pub(crate) fn prepare_g2(points: &[G2Affine]) -> Vec<G2Prep> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        points.par_iter().map(G2Prep::from).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        points.iter().map(G2Prep::from).collect()
    }
}

/// Evaluate one line (coefficients of the prepared G2 point) at `p` and multiply into `f`.
#[inline]
fn ell(
    f: &mut Fq12,
    coeffs: &(ark_bls12_381::Fq2, ark_bls12_381::Fq2, ark_bls12_381::Fq2),
    p: &G1Affine,
) {
    let (mut c0, mut c1, mut c2) = *coeffs;
    match <Config as Bls12Config>::TWIST_TYPE {
        TwistType::M => {
            c2.mul_assign_by_fp(&p.y);
            c1.mul_assign_by_fp(&p.x);
            f.mul_by_014(&c0, &c1, &c2);
        }
        TwistType::D => {
            c0.mul_assign_by_fp(&p.y);
            c1.mul_assign_by_fp(&p.x);
            f.mul_by_034(&c0, &c1, &c2);
        }
    }
}

/// `Π e(p_i, q_i)` with one shared Miller loop and one final exponentiation. Pairs with a point
/// at infinity contribute 1 and are skipped.
pub(crate) fn multi_pairing(pairs: &[(&G1Affine, &G2Prep)]) -> GtElem {
    let live: Vec<&(&G1Affine, &G2Prep)> = pairs
        .iter()
        .filter(|(p, q)| !p.infinity && !q.infinity)
        .collect();
    let mut f = Fq12::one();
    let mut idx = 0usize;
    for bit in BitIteratorBE::without_leading_zeros(<Config as Bls12Config>::X).skip(1) {
        f.square_in_place();
        for (p, q) in &live {
            if let Some(c) = q.ell_coeffs.get(idx) {
                ell(&mut f, c, p);
            }
        }
        idx += 1;
        if bit {
            for (p, q) in &live {
                if let Some(c) = q.ell_coeffs.get(idx) {
                    ell(&mut f, c, p);
                }
            }
            idx += 1;
        }
    }
    if <Config as Bls12Config>::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    // The final exponentiation fails only for f = 0, which a Miller loop never produces.
    Bls12_381::final_exponentiation(MillerLoopOutput(f)).unwrap_or(PairingOutput(Fq12::one()))
}

/// The target group `GT ⊂ F_{p^12}` as a [`DlogGroup`] with generator `e(g1, g2)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gt;

impl DlogGroup for Gt {
    type Element = GtElem;

    fn identity() -> GtElem {
        PairingOutput(Fq12::one())
    }
    fn generator() -> GtElem {
        static G: OnceLock<GtElem> = OnceLock::new();
        *G.get_or_init(GtElem::generator)
    }
    fn op(a: &GtElem, b: &GtElem) -> GtElem {
        *a + b
    }
    fn inverse(a: &GtElem) -> GtElem {
        -*a
    }
    fn hash_keys(elems: &[GtElem]) -> Vec<u64> {
        // Field elements are stored fully reduced (Montgomery form): a limb of one coefficient is
        // a hash of the canonical encoding.
        elems.iter().map(|e| e.0.c0.c0.c0.0 .0[0]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;
    use ark_ff::UniformRand;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn multi_pairing_matches_arkworks() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let n = 5;
        let p: Vec<G1Affine> = (0..n).map(|_| G1Affine::rand(&mut rng)).collect();
        let mut q: Vec<G2Affine> = (0..n).map(|_| G2Affine::rand(&mut rng)).collect();
        q[2] = G2Affine::zero(); // infinity contributes 1
        let prepared = prepare_g2(&q);
        let pairs: Vec<(&G1Affine, &G2Prep)> = p.iter().zip(&prepared).collect();
        let ours = multi_pairing(&pairs);
        let ark = Bls12_381::multi_pairing(p.iter().copied(), q.iter().copied());
        assert_eq!(ours, ark);
        assert_eq!(multi_pairing(&[]), Gt::identity());
    }

    #[test]
    #[ignore = "timing experiment"]
    fn timing_vs_arkworks() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let n = 784;
        let p: Vec<G1Affine> = (0..n).map(|_| G1Affine::rand(&mut rng)).collect();
        let q: Vec<G2Affine> = (0..n).map(|_| G2Affine::rand(&mut rng)).collect();
        let prepared = prepare_g2(&q);
        let pairs: Vec<(&G1Affine, &G2Prep)> = p.iter().zip(&prepared).collect();
        let t = std::time::Instant::now();
        let a = multi_pairing(&pairs);
        let ours = t.elapsed();
        let t = std::time::Instant::now();
        let b = Bls12_381::multi_miller_loop(p.iter().copied(), prepared.iter().cloned());
        let b = Bls12_381::final_exponentiation(b).unwrap();
        let ark = t.elapsed();
        assert_eq!(a, b);
        eprintln!("ours {ours:?}, arkworks (with clone) {ark:?}");
        let d1 = Gt::pow_u64(&Gt::generator(), 12345);
        let target = Gt::pow_u64(&d1, 300_000);
        let t = std::time::Instant::now();
        let z = crate::fe::dlog::solve_growing::<Gt>(&d1, &target, 25_000_000).unwrap();
        eprintln!("GT dlog of 300000: {:?}", t.elapsed());
        assert_eq!(z, 300_000);
    }
}
