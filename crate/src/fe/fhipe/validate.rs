//! Batched prime-order subgroup test for decoded BLS12-381 points (FHIPE keys and ciphertexts).
//!
//! A decoded point is first checked to be on the curve (cheap, per point). Membership in the
//! prime-order subgroup `G` is then tested for the whole set at once: for `k` independent
//! rounds, random small weights `ρ_i ∈ {0, …, m−1}` are drawn and `S = Σ ρ_i·P_i` is tested
//! with arkworks' exact endomorphism test (`φ(S) = −[x²]S` in G1, `ψ(S) = [x]S` in G2, Scott,
//! eprint 2021/1130). A round costs about `n·(m−1)/m` point additions and one exact test,
//! instead of `n` exact tests (a 128-bit resp. 64-bit scalar multiplication each).
//!
//! **Soundness.** Let `#E = h·r` with `gcd(h, r) = 1`, so every point is uniquely `P = G + T`
//! with `G ∈ G` and `[h]T = 0`, and `S ∈ G ⟺ Σ ρ_i·T_i = 0`. Suppose some `T_j ≠ 0`, and let
//! `ℓ_min` be the smallest prime factor of `h`. Fix all weights but `ρ_j`: two values
//! `ρ_j ≠ ρ'_j` in `{0, …, m−1}` with `m ≤ ℓ_min` give different `ρ_j·T_j`, because
//! `0 < |ρ_j − ρ'_j| < ℓ_min` is prime to `ord(T_j)` (every prime factor of `ord(T_j)` divides
//! `h`). So at most one of the `m` values makes the sum vanish: a round accepts with
//! probability at most `1/m`, and `k` independent rounds with at most `m^{−k}`. The weights
//! come from the OS/browser CSPRNG after the points are fixed, so the sender cannot adapt.
//! With `m = ℓ_min` and `m^k ≥ 2^64` ([`SOUNDNESS_BITS`]):
//! - G1: `h = 3·11²·10177²·859267²·52437899²`, so `m = 3`, `k = 41` (`3⁻⁴¹ < 2⁻⁶⁴`);
//! - G2: `h = 13²·23²·2713·11953·262069·c` with `c` free of primes below 10⁶, so `m = 13`,
//!   `k = 18` (`13⁻¹⁸ < 2⁻⁶⁶`).
//!
//! Small factors are why `m` is small: a weight range larger than `ℓ_min` would not help
//! against a component of order 3, which any linear test misses with probability 1/3.
//! (A key point with a component outside G1 would not even change a decryption: the pairing
//! with a G2 point is a power of the reduced Tate pairing, which is trivial on points of order
//! prime to `r`. The ciphertext's G2 points are where membership matters for correctness.)

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use rand_core::RngCore;

/// The batch test accepts a set with a point outside the subgroup with probability `< 2^−64`.
pub const SOUNDNESS_BITS: u32 = 64;

/// Smallest prime factor of the G1 cofactor.
pub const G1_MIN_COFACTOR_PRIME: u32 = 3;
/// Smallest prime factor of the G2 cofactor.
pub const G2_MIN_COFACTOR_PRIME: u32 = 13;

/// Rounds `k` with `m^k ≥ 2^SOUNDNESS_BITS`.
pub const fn rounds(m: u32) -> usize {
    let mut k = 0;
    let mut acc: u128 = 1;
    let target: u128 = 1 << SOUNDNESS_BITS;
    while acc < target {
        acc *= m as u128;
        k += 1;
    }
    k
}

/// Uniform weights in `0..m` (rejection sampling on bytes; `m ≤ 256`).
struct Weights<'a, R: RngCore> {
    rng: &'a mut R,
    buf: [u8; 64],
    at: usize,
    limit: u8,
    m: u8,
}

impl<'a, R: RngCore> Weights<'a, R> {
    fn new(rng: &'a mut R, m: u32) -> Self {
        debug_assert!((2..=255).contains(&m));
        let m = m as u8;
        Weights {
            rng,
            buf: [0; 64],
            at: 64,
            limit: ((256 / m as u32) * m as u32 - 1) as u8,
            m,
        }
    }

    fn next(&mut self) -> usize {
        loop {
            if self.at == self.buf.len() {
                self.rng.fill_bytes(&mut self.buf);
                self.at = 0;
            }
            let b = self.buf[self.at];
            self.at += 1;
            if b <= self.limit {
                return (b % self.m) as usize;
            }
        }
    }
}

/// True if every point is in the prime-order subgroup, up to the error `m^{−rounds}` argued in
/// the module docs. The points must already be known to lie on the curve; `m` must not exceed
/// the smallest prime factor of the cofactor.
///
/// Each round's buckets `B_j = Σ_{ρ_i = j} P_i` are summed in affine coordinates as balanced
/// trees, all buckets of all rounds level by level, so one batched inversion (Montgomery's
/// trick) serves every addition of a level: ≈ 6 field products per addition instead of ≈ 11
/// for a mixed projective one. Then `S = Σ j·B_j` by running sums, tested exactly.
pub fn in_subgroup_batch<C: SWCurveConfig, R: RngCore>(
    points: &[Affine<C>],
    m: u32,
    rounds: usize,
    rng: &mut R,
) -> bool {
    // The identity is in the subgroup and adds nothing to any sum.
    let live: Vec<&Affine<C>> = points.iter().filter(|p| !p.infinity).collect();
    if live.is_empty() || rounds == 0 {
        return true;
    }
    let buckets = m as usize - 1;
    let mut w = Weights::new(rng, m);
    let mut sets: Vec<Vec<Affine<C>>> = vec![Vec::new(); rounds * buckets];
    for r in 0..rounds {
        for p in &live {
            let j = w.next();
            if j != 0 {
                sets[r * buckets + j - 1].push(**p);
            }
        }
    }
    let sums = sum_all(sets);
    for r in 0..rounds {
        let mut running = Projective::<C>::ZERO;
        let mut total = Projective::<C>::ZERO;
        for b in sums[r * buckets..(r + 1) * buckets].iter().rev() {
            running += b;
            total += running;
        }
        if !total
            .into_affine()
            .is_in_correct_subgroup_assuming_on_curve()
        {
            return false;
        }
    }
    true
}

/// The sum of each set (the identity for an empty one), by pairwise affine additions with one
/// batched inversion per level across all sets. A pair with equal `x` (a doubling, or `P − P`)
/// is added projectively instead.
fn sum_all<C: SWCurveConfig>(mut sets: Vec<Vec<Affine<C>>>) -> Vec<Affine<C>> {
    use ark_ff::{Field, Zero};
    loop {
        let mut den: Vec<C::BaseField> = Vec::new();
        for s in &sets {
            for pair in s.chunks_exact(2) {
                den.push(pair[1].x - pair[0].x);
            }
        }
        if den.is_empty() {
            break;
        }
        ark_ff::batch_inversion(&mut den);
        let mut at = 0;
        for s in &mut sets {
            let mut next = Vec::with_capacity(s.len() / 2 + 1);
            for pair in s.chunks(2) {
                if let [a, b] = pair {
                    let inv = den[at];
                    at += 1;
                    if inv.is_zero() {
                        // x_a = x_b: 2a or the identity.
                        let sum = (a.into_group() + b).into_affine();
                        if !sum.infinity {
                            next.push(sum);
                        }
                        continue;
                    }
                    let lambda = (b.y - a.y) * inv;
                    let x3 = lambda.square() - a.x - b.x;
                    let y3 = lambda * (a.x - x3) - a.y;
                    next.push(Affine::<C>::new_unchecked(x3, y3));
                } else {
                    next.push(pair[0]);
                }
            }
            *s = next;
        }
    }
    sets.into_iter()
        .map(|s| s.first().copied().unwrap_or_else(Affine::<C>::identity))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affine_tree_sums_match_projective_sums() {
        use ark_bls12_381::{G1Affine, G1Projective};
        use ark_ec::PrimeGroup;
        use rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([2; 32]);
        let g = G1Projective::generator();
        let p: Vec<G1Affine> = (1..=9u64)
            .map(|k| {
                (g * ark_bls12_381::Fr::from(k * 7919 + (rng.next_u32() as u64))).into_affine()
            })
            .collect();
        // Duplicates and opposites exercise the equal-x path; an empty set sums to the identity.
        let sets = vec![
            p.clone(),
            vec![p[0], p[0], p[1]],
            vec![p[2], -p[2]],
            vec![p[3], -p[3], p[3]],
            vec![],
            vec![p[4]],
        ];
        let want: Vec<G1Affine> = sets
            .iter()
            .map(|s| {
                s.iter()
                    .fold(G1Projective::ZERO, |acc, q| acc + q)
                    .into_affine()
            })
            .collect();
        assert_eq!(sum_all(sets), want);
    }

    #[test]
    fn rounds_reach_the_bound() {
        assert_eq!(rounds(G1_MIN_COFACTOR_PRIME), 41);
        assert_eq!(rounds(G2_MIN_COFACTOR_PRIME), 18);
        assert_eq!(rounds(2), 64);
    }

    #[test]
    fn weights_are_in_range_and_all_appear() {
        use rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([1; 32]);
        let mut w = Weights::new(&mut rng, 13);
        let mut seen = [0usize; 13];
        for _ in 0..13_000 {
            seen[w.next()] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
    }
}
