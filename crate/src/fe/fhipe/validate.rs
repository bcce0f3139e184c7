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
use ark_ec::{AdditiveGroup, CurveGroup};
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
pub fn in_subgroup_batch<C: SWCurveConfig, R: RngCore>(
    points: &[Affine<C>],
    m: u32,
    rounds: usize,
    rng: &mut R,
) -> bool {
    if points.is_empty() {
        return true;
    }
    let mut w = Weights::new(rng, m);
    let mut buckets = vec![Projective::<C>::ZERO; m as usize];
    for _ in 0..rounds {
        buckets.iter_mut().for_each(|b| *b = Projective::<C>::ZERO);
        for p in points {
            let j = w.next();
            if j != 0 {
                buckets[j] += p;
            }
        }
        // Σ j·B_j by running sums.
        let mut running = Projective::<C>::ZERO;
        let mut total = Projective::<C>::ZERO;
        for b in buckets.iter().skip(1).rev() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
