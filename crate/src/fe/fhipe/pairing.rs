//! BLS12-381 plumbing for FHIPE (arkworks): fixed-base tables for `g1`/`g2`, a multi-Miller
//! loop over *borrowed* prepared G2 points (so a ciphertext's G2 side is prepared once and
//! shared by every key), and `GT` as a [`DlogGroup`].

use crate::fe::dlog::DlogGroup;
use ark_bls12_381::{Bls12_381, Config, Fq12, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::bls12::{Bls12Config, G2Prepared, TwistType};
use ark_ec::pairing::{MillerLoopOutput, Pairing, PairingOutput};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::PrimeGroup as _;
use ark_ff::{BitIteratorBE, CyclotomicMultSubgroup, Field, One, Zero};
use std::sync::OnceLock;

/// A G2 point prepared for the Miller loop (line coefficients).
pub type G2Prep = G2Prepared<Config>;
/// An element of the target group `GT` (written additively by arkworks).
pub type GtElem = PairingOutput<Bls12_381>;

/// `g1`'s fixed-base table: 12-bit windows (arkworks picks the window as `⌊0.69·log2(n)⌋` of
/// the planned number of scalars, so `n = 2¹⁸` asks for 12): 22 additions per scalar instead of
/// 32 with 8-bit windows, for a table of 21·4096 affine points (≈ 9 MB, built once per process).
fn g1_table() -> &'static BatchMulPreprocessing<G1Projective> {
    static T: OnceLock<BatchMulPreprocessing<G1Projective>> = OnceLock::new();
    T.get_or_init(|| BatchMulPreprocessing::new(G1Projective::generator(), 1 << 18))
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

/// A uniform scalar (benchmark inputs).
pub fn random_fr<R: rand_core::RngCore>(rng: &mut R) -> Fr {
    let mut b = [0u8; 64];
    rng.fill_bytes(&mut b);
    <Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(&b)
}

/// Prepare G2 points (parallel natively).
pub fn prepare_g2(points: &[G2Affine]) -> Vec<G2Prep> {
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

/// A G2 point's Miller-loop lines, each scaled by the inverse of its `y_P` coefficient.
///
/// arkworks' prepared line at step `t` evaluates at `P` to `c0 + c1·x_P·v + c2·y_P·v·w` (M-type
/// twist: slots 0, 1 and 4 of `F_p¹²`). Here each line is stored as `(A, B) = (c0/c2, c1/c2)`,
/// and at `P` it is evaluated as `A·y' + B·x'·v + v·w` with `y' = 1/y_P`, `x' = x_P/y_P`: the
/// line times `1/(c2·y_P) ∈ F_p²`. Every element of `F_p²*` is killed by the final
/// exponentiation (`p² − 1` divides `(p¹² − 1)/r` because `r ∤ p² − 1`), so the pairing is
/// unchanged — bit for bit arkworks' (tested) — while each line product has a coefficient 1
/// ([`mul_line`]: 10 `F_p²` products instead of 13).
///
/// `c2 = −2·Y·Z` for a doubling and `x_T − x_Q·Z` for an addition step: non-zero for every
/// point of the prime-order group but the identity (no 2-torsion; `T ≠ ±Q` inside the loop).
/// A point whose lines cannot be normalised (the identity, or anything else with a zero `c2`)
/// keeps arkworks' lines and is multiplied in the general way.
pub struct G2Lines {
    scaled: Vec<(ark_bls12_381::Fq2, ark_bls12_381::Fq2)>,
    general: Option<G2Prep>,
}

impl G2Lines {
    /// Normalise one prepared point's lines (one batched inversion).
    pub fn new(prep: G2Prep) -> G2Lines {
        Self::batch(vec![prep]).pop().unwrap_or(G2Lines {
            scaled: Vec::new(),
            general: None,
        })
    }

    /// Normalise many prepared points with one batched inversion for all their lines.
    pub fn batch(preps: Vec<G2Prep>) -> Vec<G2Lines> {
        let mut inv: Vec<ark_bls12_381::Fq2> = preps
            .iter()
            .flat_map(|q| q.ell_coeffs.iter().map(|c| c.2))
            .collect();
        ark_ff::batch_inversion(&mut inv);
        let mut at = 0;
        preps
            .into_iter()
            .map(|q| {
                let k = q.ell_coeffs.len();
                let invs = &inv[at..at + k];
                at += k;
                if q.infinity {
                    G2Lines {
                        scaled: Vec::new(),
                        general: None,
                    }
                } else if invs.iter().any(|i| i.is_zero()) {
                    G2Lines {
                        scaled: Vec::new(),
                        general: Some(q),
                    }
                } else {
                    let scaled = q
                        .ell_coeffs
                        .iter()
                        .zip(invs)
                        .map(|(c, i)| (c.0 * i, c.1 * i))
                        .collect();
                    G2Lines {
                        scaled,
                        general: None,
                    }
                }
            })
            .collect()
    }

    /// Lines for many points computed directly in affine coordinates, already normalised:
    /// the same `(A, B)` as [`G2Lines::batch`] of arkworks' projective preparation (tested),
    /// at about half the cost. Per step and point: `λ` (tangent `3x²/2y` or chord
    /// `(y_T − y_Q)/(x_T − x_Q)`), `A = λ·x − y`, `B = −λ`, then `T ← 2T` or `T + Q`; the
    /// step's denominators of all points share one inversion (Montgomery's trick).
    ///
    /// arkworks' line at `P` is `c0 + c1·x_P·v + c2·y_P·v·w`; for `Z = 1` a doubling gives
    /// `(3b′ − y², 3x², −2y)` and `c0/c2 = (y² − 3b′)/2y = (3x³ − 2y²)/2y = λx − y`,
    /// `c1/c2 = −λ`; an addition `(θ·x_Q − η·y_Q, −θ, η)` with `θ = y_T − y_Q`,
    /// `η = x_T − x_Q` gives `λ·x_Q − y_Q` (the same line) and `−λ`. The denominators
    /// `2y` and `x_T − x_Q` are non-zero for a point of prime order `r` (`T ≠ ±Q` since the
    /// loop's multiples are below `r`); a point for which one is zero anyway (possible only
    /// outside G2) falls back to arkworks' lines.
    pub fn batch_affine(points: &[G2Affine]) -> Vec<G2Lines> {
        use ark_bls12_381::Fq2;
        use ark_ff::AdditiveGroup;
        let live: Vec<usize> = (0..points.len()).filter(|&i| !points[i].infinity).collect();
        let q: Vec<(Fq2, Fq2)> = live.iter().map(|&i| (points[i].x, points[i].y)).collect();
        let mut t = q.clone();
        let steps = 68;
        let mut lines: Vec<Vec<(Fq2, Fq2)>> =
            (0..live.len()).map(|_| Vec::with_capacity(steps)).collect();
        let mut den = vec![Fq2::zero(); live.len()];
        let mut bad = vec![false; live.len()];
        let mut step = |t: &mut Vec<(Fq2, Fq2)>, add: bool| {
            for (k, d) in den.iter_mut().enumerate() {
                *d = if add {
                    t[k].0 - q[k].0
                } else {
                    t[k].1.double()
                };
                bad[k] |= d.is_zero();
            }
            ark_ff::batch_inversion(&mut den);
            for (k, tk) in t.iter_mut().enumerate() {
                let (x, y) = *tk;
                let lambda = if add {
                    (y - q[k].1) * den[k]
                } else {
                    let x2 = x.square();
                    (x2.double() + x2) * den[k]
                };
                let (xr, yr) = if add { q[k] } else { (x, y) };
                lines[k].push((lambda * xr - yr, -lambda));
                let x3 = if add {
                    lambda.square() - x - q[k].0
                } else {
                    lambda.square() - x.double()
                };
                let y3 = lambda * (x - x3) - y;
                *tk = (x3, y3);
            }
        };
        for bit in BitIteratorBE::without_leading_zeros(<Config as Bls12Config>::X).skip(1) {
            step(&mut t, false);
            if bit {
                step(&mut t, true);
            }
        }
        let mut out: Vec<G2Lines> = points
            .iter()
            .map(|_| G2Lines {
                scaled: Vec::new(),
                general: None,
            })
            .collect();
        for ((&i, l), b) in live.iter().zip(lines).zip(bad) {
            out[i] = if b {
                G2Lines {
                    scaled: Vec::new(),
                    general: Some(G2Prep::from(points[i])),
                }
            } else {
                G2Lines {
                    scaled: l,
                    general: None,
                }
            };
        }
        out
    }

    /// The identity of G2 (contributes 1 to every pairing product).
    pub fn is_identity(&self) -> bool {
        self.scaled.is_empty() && self.general.is_none()
    }
}

/// `f ← f·(a + b·v + v·w)` (= arkworks' `f.mul_by_014(a, b, 1)`):
/// `(F0 + F1·w)(L0 + v·w) = (F0·L0 + F1·v²) + (F1·L0 + F0·v)·w` with `L0 = a + b·v`, so two
/// `F_p⁶` products by the sparse `L0` (arkworks' `mul_by_01`, 5 `F_p²` products each) and two
/// shifts: 10 `F_p²` products instead of `mul_by_014`'s 13 (in wasm ≈ 3.6 against ≈ 4.8 µs
/// per line, Node, CPU time).
///
/// A fully lazy variant (36 unreduced 12×12-limb products, 12 Montgomery reductions per line,
/// 32- or 29-bit limbs) was bit-identical but measured slower in V8 (4.4–4.8 µs, 29-bit limbs
/// 12 µs): V8 keeps the double-width accumulators in memory, and mont32's fused CIOS loop
/// already reduces each `F_p²` coordinate once.
#[inline]
pub(crate) fn mul_line(f: &mut Fq12, a: &ark_bls12_381::Fq2, b: &ark_bls12_381::Fq2) {
    use ark_bls12_381::{Fq6, Fq6Config};
    use ark_ff::Fp6Config;
    let xi = |mut c: ark_bls12_381::Fq2| {
        Fq6Config::mul_fp2_by_nonresidue_in_place(&mut c);
        c
    };
    let (f0, f1) = (f.c0, f.c1);
    let mut c0 = f0;
    c0.mul_by_01(a, b);
    let mut c1 = f1;
    c1.mul_by_01(a, b);
    // F1·v² = (ξ·y1, ξ·y2, y0);  F0·v = (ξ·x2, x0, x1).
    c0 += Fq6::new(xi(f1.c1), xi(f1.c2), f1.c0);
    c1 += Fq6::new(xi(f0.c2), f0.c0, f0.c1);
    f.c0 = c0;
    f.c1 = c1;
}

/// `Π e(p_i, q_i)` over normalised lines ([`G2Lines`]): one shared Miller loop, one final
/// exponentiation, `1/y_P` for all points by one batched inversion. Pairs with an identity
/// point contribute 1 and are skipped.
pub(crate) fn multi_pairing_lines(pairs: &[(&G1Affine, &G2Lines)]) -> GtElem {
    let f = miller_loop_lines(pairs);
    // The final exponentiation fails only for f = 0, which a Miller loop never produces.
    Bls12_381::final_exponentiation(MillerLoopOutput(f)).unwrap_or(PairingOutput(Fq12::one()))
}

/// The shared Miller loop of [`multi_pairing_lines`] (before the final exponentiation; its
/// value differs from arkworks' Miller loop by a factor the final exponentiation removes).
pub fn miller_loop_lines(pairs: &[(&G1Affine, &G2Lines)]) -> Fq12 {
    let mut fast: Vec<(&G1Affine, &G2Lines)> = Vec::with_capacity(pairs.len());
    let mut general: Vec<(&G1Affine, &G2Prep)> = Vec::new();
    for &(p, q) in pairs {
        if p.infinity || q.is_identity() {
            continue;
        }
        match &q.general {
            Some(g) => general.push((p, g)),
            None => fast.push((p, q)),
        }
    }
    // A G1 point of E(F_p) other than the identity has y ≠ 0 (#E(F_p) is odd: no 2-torsion).
    let mut inv_y: Vec<ark_bls12_381::Fq> = fast.iter().map(|(p, _)| p.y).collect();
    ark_ff::batch_inversion(&mut inv_y);
    let pts: Vec<(ark_bls12_381::Fq, ark_bls12_381::Fq)> = fast
        .iter()
        .zip(&inv_y)
        .map(|((p, _), iy)| (p.x * iy, *iy))
        .collect();
    let mut f = Fq12::one();
    let mut idx = 0usize;
    let step = |f: &mut Fq12, idx: usize| {
        for ((_, q), (xs, ys)) in fast.iter().zip(&pts) {
            if let Some((a, b)) = q.scaled.get(idx) {
                let mut a = *a;
                let mut b = *b;
                a.mul_assign_by_fp(ys);
                b.mul_assign_by_fp(xs);
                mul_line(f, &a, &b);
            }
        }
        for (p, q) in &general {
            if let Some(c) = q.ell_coeffs.get(idx) {
                ell(f, c, p);
            }
        }
    };
    for bit in BitIteratorBE::without_leading_zeros(<Config as Bls12Config>::X).skip(1) {
        f.square_in_place();
        step(&mut f, idx);
        idx += 1;
        if bit {
            step(&mut f, idx);
            idx += 1;
        }
    }
    if <Config as Bls12Config>::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    f
}

#[cfg(test)]
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
    fn normalised_lines_give_arkworks_pairing() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let n = 6;
        let mut p: Vec<G1Affine> = (0..n).map(|_| G1Affine::rand(&mut rng)).collect();
        let mut q: Vec<G2Affine> = (0..n).map(|_| G2Affine::rand(&mut rng)).collect();
        q[2] = G2Affine::zero();
        p[4] = G1Affine::zero();
        let lines = G2Lines::batch(prepare_g2(&q));
        let pairs: Vec<(&G1Affine, &G2Lines)> = p.iter().zip(&lines).collect();
        let ark = Bls12_381::multi_pairing(p.iter().copied(), q.iter().copied());
        assert_eq!(multi_pairing_lines(&pairs), ark);
        // A point kept on arkworks' general lines gives the same product.
        let mut mixed = G2Lines::batch(prepare_g2(&q));
        mixed[1] = G2Lines {
            scaled: Vec::new(),
            general: Some(G2Prep::from(q[1])),
        };
        let pairs: Vec<(&G1Affine, &G2Lines)> = p.iter().zip(&mixed).collect();
        assert_eq!(multi_pairing_lines(&pairs), ark);
        assert_eq!(multi_pairing_lines(&[]), Gt::identity());
    }

    #[test]
    fn affine_lines_equal_normalised_arkworks_lines() {
        let mut rng = ChaCha20Rng::seed_from_u64(6);
        let mut q: Vec<G2Affine> = (0..5).map(|_| G2Affine::rand(&mut rng)).collect();
        q[3] = G2Affine::zero();
        let ours = G2Lines::batch_affine(&q);
        let theirs = G2Lines::batch(prepare_g2(&q));
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a.scaled, b.scaled);
            assert_eq!(a.is_identity(), b.is_identity());
        }
        assert_eq!(ours[0].scaled.len(), 68);
    }

    #[test]
    fn line_products_match_arkworks() {
        use ark_bls12_381::Fq2;
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        for _ in 0..100 {
            let f = Fq12::rand(&mut rng);
            let a = Fq2::rand(&mut rng);
            let b = Fq2::rand(&mut rng);
            let mut expect = f;
            expect.mul_by_014(&a, &b, &Fq2::ONE);
            let mut ours = f;
            mul_line(&mut ours, &a, &b);
            assert_eq!(ours, expect);
        }
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
