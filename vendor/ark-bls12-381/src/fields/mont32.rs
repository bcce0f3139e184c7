//! Montgomery multiplication with 32-bit limbs, for WebAssembly (glasslayer's patch).
//!
//! arkworks multiplies 64-bit limbs through `u128` products. wasm32 has a native
//! `i64.mul` but no 64×64→128-bit multiply, so every `u128` product becomes a call to
//! the `__multi3` routine. Here the same numbers are read as twice as many 32-bit limbs,
//! whose 32×32→64-bit products are single `i64.mul` instructions. The algorithm is CIOS
//! (Koç, Acar, Kaliski 1996) with the "no-carry" shortcut, valid because the top limb of
//! both BLS12-381 moduli is below `2³¹ − 1`. `R = 2^{64·N} = 2^{32·L}` is the same, so
//! the results are bit-for-bit arkworks' Montgomery form. Measured in Node 20 (V8):
//! an `Fq` product takes ≈ 165 ns here against ≈ 380 ns for arkworks' 64-bit code.
//!
//! Natively the 64-bit code stays in use (it is faster there); this module is compiled on
//! every target so that native tests can check it against arkworks.

/// `−m⁻¹ mod 2³²` for an odd `m`.
pub const fn inv32(m0: u64) -> u32 {
    let m = m0 as u32;
    let mut inv = 1u32;
    let mut i = 0;
    while i < 31 {
        inv = inv.wrapping_mul(inv);
        inv = inv.wrapping_mul(m);
        i += 1;
    }
    inv.wrapping_neg()
}

/// `N` little-endian 64-bit limbs as `L = 2N` 32-bit ones (the modulus at compile time, the
/// operands of every product at run time).
#[inline(always)]
pub const fn limbs32<const N: usize, const L: usize>(m: &[u64; N]) -> [u32; L] {
    let mut out = [0u32; L];
    let mut i = 0;
    while i < N {
        out[2 * i] = m[i] as u32;
        out[2 * i + 1] = (m[i] >> 32) as u32;
        i += 1;
    }
    out
}

/// True if the no-carry CIOS variant applies: top 32-bit limb below `2³¹ − 1`.
pub const fn no_carry_ok<const L: usize>(m: &[u32; L]) -> bool {
    m[L - 1] < (u32::MAX >> 1)
}

/// `a·b·2^{−64N} mod m` for `a, b < m` (Montgomery product), fully reduced.
///
/// `m32 = limbs32(m)`, `inv = inv32(m[0])`, and `no_carry_ok(m32)` must hold.
#[inline(always)]
pub fn mul<const N: usize, const L: usize>(
    a: &[u64; N],
    b: &[u64; N],
    m: &[u64; N],
    m32: &[u32; L],
    inv: u32,
) -> [u64; N] {
    let a: [u32; L] = limbs32(a);
    let b: [u32; L] = limbs32(b);
    let mut t = [0u32; L];
    for i in 0..L {
        let bi = b[i] as u64;
        // j = 0: t + a_0·b_i, then choose k so that the low limb cancels.
        let v = t[0] as u64 + (a[0] as u64) * bi;
        let mut c1 = v >> 32;
        let k = (v as u32).wrapping_mul(inv) as u64;
        let mut c2 = ((v as u32) as u64 + k * (m32[0] as u64)) >> 32;
        for j in 1..L {
            let v = t[j] as u64 + (a[j] as u64) * bi + c1;
            c1 = v >> 32;
            let w = (v as u32) as u64 + k * (m32[j] as u64) + c2;
            c2 = w >> 32;
            t[j - 1] = w as u32;
        }
        t[L - 1] = (c1 + c2) as u32;
    }
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = t[2 * i] as u64 | ((t[2 * i + 1] as u64) << 32);
    }
    // t < 2m: subtract m once if t ≥ m.
    reduce_once(out, false, m)
}

/// `(Σ_k a_k·b_k)·2^{−64N} mod m` with one Montgomery reduction for the whole sum: CIOS
/// that adds every term's row `a_k·b_k[i]` before reducing one limb, so two terms cost
/// `3·L²` limb products instead of `4·L²` (≈ 1.4 products' time in V8). The running value
/// stays below `(M + 1)·m`, so it gets one extra (64-bit) top limb, and the result is below
/// `2m` when `M·m < 2^{64N}`; callers use `M ≤ 2`, which [`no_carry_ok`] guarantees (it
/// implies `2m < 2^{64N}`).
#[inline(always)]
pub fn sum_of_products<const N: usize, const L: usize, const M: usize>(
    a: &[[u64; N]; M],
    b: &[[u64; N]; M],
    m: &[u64; N],
    m32: &[u32; L],
    inv: u32,
) -> [u64; N] {
    let a: [[u32; L]; M] = core::array::from_fn(|k| limbs32(&a[k]));
    let b: [[u32; L]; M] = core::array::from_fn(|k| limbs32(&b[k]));
    let mut t = [0u32; L];
    let mut top = 0u64;
    for i in 0..L {
        for k in 0..M {
            let bi = b[k][i] as u64;
            let mut c = 0u64;
            for j in 0..L {
                let v = t[j] as u64 + (a[k][j] as u64) * bi + c;
                t[j] = v as u32;
                c = v >> 32;
            }
            top += c;
        }
        let q = t[0].wrapping_mul(inv) as u64;
        let mut c = (t[0] as u64 + q * (m32[0] as u64)) >> 32;
        for j in 1..L {
            let v = t[j] as u64 + q * (m32[j] as u64) + c;
            t[j - 1] = v as u32;
            c = v >> 32;
        }
        let v = top + c;
        t[L - 1] = v as u32;
        top = v >> 32;
    }
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = t[2 * i] as u64 | ((t[2 * i + 1] as u64) << 32);
    }
    reduce_once(out, top != 0, m)
}

/// `x − m` if `x ≥ m` (with `over` set when `x` has a bit above its `N` limbs), else `x`.
#[inline(always)]
fn reduce_once<const N: usize>(mut x: [u64; N], over: bool, m: &[u64; N]) -> [u64; N] {
    let mut geq = true;
    if !over {
        for i in (0..N).rev() {
            if x[i] != m[i] {
                geq = x[i] > m[i];
                break;
            }
        }
    }
    if geq {
        let mut borrow = false;
        for i in 0..N {
            let (d, b1) = x[i].overflowing_sub(m[i]);
            let (d, b2) = d.overflowing_sub(borrow as u64);
            x[i] = d;
            borrow = b1 | b2;
        }
    }
    x
}

/// Whether `Fq`/`Fr` products run on this module in this build (wasm32, or the feature
/// `force_mont32`): lets a test check that the feature reached the field types.
pub const ACTIVE: bool = cfg!(any(target_arch = "wasm32", feature = "force_mont32"));

/// A `MontConfig` whose products use [`mul`] on wasm32 (and natively with the feature
/// `force_mont32`, so the 32-bit path runs under native tests) and arkworks' 64-bit code elsewhere.
///
/// `$config` gets a hand-written `MontConfig<$n>` whose constants and additive operations
/// come from `$base`, a `#[derive(MontConfig)]` twin with the same modulus.
macro_rules! wasm32_mont_config {
    ($config:ident, $base:ident, $n:literal, $l:literal) => {
        const _: () = {
            use ark_ff::fields::{Fp, MontBackend, MontConfig};
            use ark_ff::BigInt;
            use $crate::fields::mont32;
            type F = Fp<MontBackend<$config, $n>, $n>;
            type G = Fp<MontBackend<$base, $n>, $n>;

            #[inline(always)]
            const fn base(a: &F) -> G {
                Fp::new_unchecked(a.0)
            }
            #[inline(always)]
            const fn ours(a: G) -> F {
                Fp::new_unchecked(a.0)
            }
            const fn ours_opt(a: Option<G>) -> Option<F> {
                match a {
                    Some(x) => Some(Fp::new_unchecked(x.0)),
                    None => None,
                }
            }
            #[allow(dead_code)]
            const M32: [u32; $l] = mont32::limbs32::<$n, $l>(&<$base as MontConfig<$n>>::MODULUS.0);
            #[allow(dead_code)]
            const INV: u32 = mont32::inv32(<$base as MontConfig<$n>>::MODULUS.0[0]);
            const _: () = assert!(mont32::no_carry_ok(&M32));

            impl MontConfig<$n> for $config {
                const MODULUS: BigInt<$n> = <$base as MontConfig<$n>>::MODULUS;
                const GENERATOR: F = ours(<$base as MontConfig<$n>>::GENERATOR);
                const TWO_ADIC_ROOT_OF_UNITY: F =
                    ours(<$base as MontConfig<$n>>::TWO_ADIC_ROOT_OF_UNITY);
                const SMALL_SUBGROUP_BASE: Option<u32> =
                    <$base as MontConfig<$n>>::SMALL_SUBGROUP_BASE;
                const SMALL_SUBGROUP_BASE_ADICITY: Option<u32> =
                    <$base as MontConfig<$n>>::SMALL_SUBGROUP_BASE_ADICITY;
                const LARGE_SUBGROUP_ROOT_OF_UNITY: Option<F> =
                    ours_opt(<$base as MontConfig<$n>>::LARGE_SUBGROUP_ROOT_OF_UNITY);

                #[inline(always)]
                fn add_assign(a: &mut F, b: &F) {
                    let mut x = base(a);
                    <$base as MontConfig<$n>>::add_assign(&mut x, &base(b));
                    *a = ours(x);
                }
                #[inline(always)]
                fn sub_assign(a: &mut F, b: &F) {
                    let mut x = base(a);
                    <$base as MontConfig<$n>>::sub_assign(&mut x, &base(b));
                    *a = ours(x);
                }
                #[inline(always)]
                fn double_in_place(a: &mut F) {
                    let mut x = base(a);
                    <$base as MontConfig<$n>>::double_in_place(&mut x);
                    *a = ours(x);
                }
                #[inline(always)]
                fn neg_in_place(a: &mut F) {
                    let mut x = base(a);
                    <$base as MontConfig<$n>>::neg_in_place(&mut x);
                    *a = ours(x);
                }
                #[inline(always)]
                fn mul_assign(a: &mut F, b: &F) {
                    #[cfg(any(target_arch = "wasm32", feature = "force_mont32"))]
                    {
                        (a.0).0 =
                            mont32::mul::<$n, $l>(&(a.0).0, &(b.0).0, &Self::MODULUS.0, &M32, INV);
                    }
                    #[cfg(not(any(target_arch = "wasm32", feature = "force_mont32")))]
                    {
                        let mut x = base(a);
                        <$base as MontConfig<$n>>::mul_assign(&mut x, &base(b));
                        *a = ours(x);
                    }
                }
                #[inline(always)]
                fn square_in_place(a: &mut F) {
                    #[cfg(any(target_arch = "wasm32", feature = "force_mont32"))]
                    {
                        (a.0).0 =
                            mont32::mul::<$n, $l>(&(a.0).0, &(a.0).0, &Self::MODULUS.0, &M32, INV);
                    }
                    #[cfg(not(any(target_arch = "wasm32", feature = "force_mont32")))]
                    {
                        let mut x = base(a);
                        <$base as MontConfig<$n>>::square_in_place(&mut x);
                        *a = ours(x);
                    }
                }
                #[inline(always)]
                fn sum_of_products<const M: usize>(a: &[F; M], b: &[F; M]) -> F {
                    #[cfg(any(target_arch = "wasm32", feature = "force_mont32"))]
                    if M <= 2 {
                        let a: [[u64; $n]; M] = core::array::from_fn(|i| (a[i].0).0);
                        let b: [[u64; $n]; M] = core::array::from_fn(|i| (b[i].0).0);
                        F::new_unchecked(BigInt(mont32::sum_of_products::<$n, $l, M>(
                            &a,
                            &b,
                            &Self::MODULUS.0,
                            &M32,
                            INV,
                        )))
                    } else {
                        let mut acc = F::new_unchecked(BigInt([0u64; $n]));
                        for (x, y) in a.iter().zip(b) {
                            let mut p = *x;
                            Self::mul_assign(&mut p, y);
                            Self::add_assign(&mut acc, &p);
                        }
                        acc
                    }
                    #[cfg(not(any(target_arch = "wasm32", feature = "force_mont32")))]
                    {
                        let a: [G; M] = core::array::from_fn(|i| base(&a[i]));
                        let b: [G; M] = core::array::from_fn(|i| base(&b[i]));
                        ours(<$base as MontConfig<$n>>::sum_of_products(&a, &b))
                    }
                }
            }
        };
    };
}
pub(crate) use wasm32_mont_config;
