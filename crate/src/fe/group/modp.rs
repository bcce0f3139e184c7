//! `Z_p^*` over the RFC 7919 safe primes: the subgroup of quadratic residues (prime order
//! `q = (p−1)/2`), generator `g = 2`. This is CryptoNN's construction at an honest size.
//!
//! - ffdhe2048: ≈ 112-bit security, 256-bit secret exponents (RFC 7919 asks ≥ 225).
//! - ffdhe3072: ≈ 128-bit security, 320-bit secret exponents (RFC 7919 asks ≥ 275).
//!
//! Secret exponents are drawn uniformly from `[0, 2^bits)` (short exponents, RFC 7919 §5.2), so
//! a function key `sk_y = ⟨s, y⟩` is kept as a signed integer over `Z` rather than reduced mod
//! `q` — a few bits longer than the exponents, not 2048 bits.
//!
//! Arithmetic is Montgomery multiplication on 64-bit limbs ([`super::mont`]); elements stay in
//! Montgomery form `aR mod p`, fully reduced (a canonical form: the dlog table keys on its low
//! limb). `g^e` uses a fixed-base window table (8-bit windows, one multiplication per window);
//! `h_i^r` a 4-bit fixed-window exponentiation; decryption the bucket multi-exponentiation with
//! the slots inverted once per ciphertext (batch inversion) and window tables for `ct_0^{±1}`.
//! This backend is not constant-time (it is here to measure CryptoNN's cost honestly).
//!
//! Decoding checks `1 ≤ v < p` and the Jacobi symbol `(v/p) = 1` (membership of the order-`q`
//! subgroup).

use super::ffdhe;
use super::mont::{jacobi, Mont};
use super::multiexp::{self, WindowTable};
use super::{split_sign, PrimeGroup};
use crate::fe::dlog::DlogGroup;
use crate::fe::ipfe::{Ciphertext, FunctionKey};
use crate::fe::wire::Reader;
use crate::fe::GroupChoice;
use crate::{Error, Result};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::Zero;
use rand_core::CryptoRngCore;
use std::marker::PhantomData;
use std::sync::OnceLock;

/// An element of the quadratic-residue subgroup, in Montgomery form (fully reduced).
#[derive(Clone, PartialEq, Eq)]
pub struct ModPElement(pub(crate) Vec<u64>);

impl std::fmt::Debug for ModPElement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ModPElement({} bits, mont…{:016x})",
            self.0.len() * 64,
            self.0.first().copied().unwrap_or(0)
        )
    }
}

/// A signed exponent (a secret coordinate, `r`, or a key `sk_y = ⟨s, y⟩` over `Z`).
/// `Debug` never prints the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ModPExponent(pub(crate) BigInt);

impl std::fmt::Debug for ModPExponent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ModPExponent(<redacted>)")
    }
}

impl ModPExponent {
    fn limbs(&self) -> (bool, Vec<u64>) {
        (
            self.0.sign() == Sign::Minus,
            self.0.magnitude().to_u64_digits(),
        )
    }
}

/// Parameters of one RFC 7919 group.
pub trait FfdheParams:
    Copy + Clone + std::fmt::Debug + Default + PartialEq + Eq + Send + Sync + 'static
{
    /// `ffdhe2048` / `ffdhe3072`.
    const NAME: &'static str;
    /// Wire id.
    const ID: u8;
    /// Honest security level.
    const SECURITY_BITS: u32;
    /// Run-time name.
    const CHOICE: GroupChoice;
    /// Bytes of `p`.
    const BYTES: usize;
    /// Bits of a secret exponent.
    const EXPONENT_BITS: usize;
    /// The modulus in hex.
    const PRIME_HEX: &'static str;
    /// The arithmetic context (built once).
    fn arith() -> &'static Arith;
    /// The fixed-base tables for `g` and `g⁻¹` (built once, after [`FfdheParams::arith`]).
    fn tables() -> &'static GenTables<Self>;
}

/// Montgomery context, `q`, and `g` in Montgomery form.
pub struct Arith {
    mont: Mont,
    q: BigUint,
    g: Vec<u64>,
}

impl Arith {
    fn new(hex: &str) -> Self {
        let p = BigUint::parse_bytes(hex.as_bytes(), 16).unwrap_or_default();
        let mont = Mont::new(&p);
        let q = (&p - 1u32) >> 1;
        let g = mont.to_mont(&BigUint::from(2u32));
        Arith { mont, q, g }
    }
}

/// Fixed-base tables: `g` for secret exponents, `g⁻¹` for small negative messages.
pub struct GenTables<P: FfdheParams> {
    g: WindowTable<ModP<P>>,
    g_inv: WindowTable<ModP<P>>,
}

impl<P: FfdheParams> GenTables<P> {
    fn new() -> Self {
        let a = P::arith();
        let g = ModPElement(a.g.clone());
        let g_inv = ModP::<P>::inverse(&g);
        GenTables {
            // Secret exponents, and key scalars a little longer.
            g: WindowTable::new(&g, 8, P::EXPONENT_BITS + 64),
            g_inv: WindowTable::new(&g_inv, 8, 64),
        }
    }
}

macro_rules! ffdhe_params {
    ($name:ident, $str:literal, $id:literal, $sec:literal, $bytes:literal, $ebits:literal, $hex:path, $choice:ident) => {
        #[doc = concat!("RFC 7919 `", $str, "`: ", stringify!($sec), "-bit security, ", stringify!($ebits), "-bit exponents.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl FfdheParams for $name {
            const NAME: &'static str = $str;
            const ID: u8 = $id;
            const SECURITY_BITS: u32 = $sec;
            const CHOICE: GroupChoice = GroupChoice::$choice;
            const BYTES: usize = $bytes;
            const EXPONENT_BITS: usize = $ebits;
            const PRIME_HEX: &'static str = $hex;
            fn arith() -> &'static Arith {
                static A: OnceLock<Arith> = OnceLock::new();
                A.get_or_init(|| Arith::new($hex))
            }
            fn tables() -> &'static GenTables<Self> {
                static T: OnceLock<GenTables<$name>> = OnceLock::new();
                T.get_or_init(GenTables::new)
            }
        }
    };
}

ffdhe_params!(
    Ffdhe2048,
    "ffdhe2048",
    2,
    112,
    256,
    256,
    ffdhe::FFDHE2048_P,
    Ffdhe2048
);
ffdhe_params!(
    Ffdhe3072,
    "ffdhe3072",
    3,
    128,
    384,
    320,
    ffdhe::FFDHE3072_P,
    Ffdhe3072
);

/// The quadratic-residue subgroup of `Z_p^*` for the RFC 7919 prime `P`.
pub struct ModP<P: FfdheParams>(PhantomData<fn() -> P>);

/// ffdhe2048 (≈ 112-bit security).
pub type ModP2048 = ModP<Ffdhe2048>;
/// ffdhe3072 (≈ 128-bit security).
pub type ModP3072 = ModP<Ffdhe3072>;

impl<P: FfdheParams> Clone for ModP<P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: FfdheParams> Copy for ModP<P> {}
impl<P: FfdheParams> Default for ModP<P> {
    fn default() -> Self {
        ModP(PhantomData)
    }
}
impl<P: FfdheParams> PartialEq for ModP<P> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<P: FfdheParams> Eq for ModP<P> {}
impl<P: FfdheParams> std::fmt::Debug for ModP<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ModP<{}>", P::NAME)
    }
}

impl<P: FfdheParams> ModP<P> {
    fn mont() -> &'static Mont {
        &P::arith().mont
    }

    /// `q = (p − 1)/2`, the order of the group.
    pub fn order() -> &'static BigUint {
        &P::arith().q
    }

    /// The canonical value `v ∈ [1, p)` of an element.
    pub fn to_biguint(e: &ModPElement) -> BigUint {
        Self::mont().to_canonical(&e.0)
    }

    fn pow_signed(
        table: &WindowTable<Self>,
        inv_table: Option<&WindowTable<Self>>,
        e: &ModPExponent,
    ) -> ModPElement {
        let (neg, mag) = e.limbs();
        match (neg, inv_table) {
            (false, _) => table.pow(&mag),
            (true, Some(t)) => t.pow(&mag),
            (true, None) => Self::inverse(&table.pow(&mag)),
        }
    }
}

impl<P: FfdheParams> DlogGroup for ModP<P> {
    type Element = ModPElement;

    fn identity() -> ModPElement {
        ModPElement(Self::mont().one.clone())
    }
    fn generator() -> ModPElement {
        ModPElement(P::arith().g.clone())
    }
    fn op(a: &ModPElement, b: &ModPElement) -> ModPElement {
        ModPElement(Self::mont().mul(&a.0, &b.0))
    }
    fn square(a: &ModPElement) -> ModPElement {
        ModPElement(Self::mont().sqr(&a.0))
    }
    fn inverse(a: &ModPElement) -> ModPElement {
        // Group elements are never 0, so the inverse exists.
        ModPElement(Self::mont().invert(&a.0).unwrap_or_else(|| a.0.clone()))
    }
    fn hash_keys(elems: &[ModPElement]) -> Vec<u64> {
        // The Montgomery form is a bijection of the canonical residue: its low limb is a
        // uniform 64-bit hash of the canonical encoding.
        elems
            .iter()
            .map(|e| e.0.first().copied().unwrap_or(0))
            .collect()
    }
    fn pow_u64(base: &ModPElement, k: u64) -> ModPElement {
        multiexp::pow_limbs::<Self>(base, &[k])
    }
}

impl<P: FfdheParams> PrimeGroup for ModP<P> {
    const NAME: &'static str = P::NAME;
    const ID: u8 = P::ID;
    const SECURITY_BITS: u32 = P::SECURITY_BITS;
    const CHOICE: GroupChoice = P::CHOICE;
    const ELEMENT_LEN: usize = P::BYTES;

    type Scalar = ModPExponent;

    fn random_scalar<R: CryptoRngCore + ?Sized>(rng: &mut R) -> ModPExponent {
        let mut buf = vec![0u8; P::EXPONENT_BITS / 8];
        rng.fill_bytes(&mut buf);
        ModPExponent(BigInt::from_biguint(
            Sign::Plus,
            BigUint::from_bytes_le(&buf),
        ))
    }

    fn pow_gen(s: &ModPExponent) -> ModPElement {
        let t = P::tables();
        Self::pow_signed(&t.g, None, s)
    }

    fn pow_gen_i64(z: i64) -> ModPElement {
        let t = P::tables();
        let (neg, mag) = split_sign(z);
        if neg {
            t.g_inv.pow(&[mag])
        } else {
            t.g.pow(&[mag])
        }
    }

    fn key_scalar(s: &[ModPExponent], y: &[i64]) -> ModPExponent {
        let mut acc = BigInt::zero();
        for (s, &y) in s.iter().zip(y) {
            if y != 0 {
                acc += &s.0 * y;
            }
        }
        ModPExponent(acc)
    }

    type EncryptTables = CombTables;

    fn encrypt_tables(h: &[ModPElement]) -> CombTables {
        let chunk = P::EXPONENT_BITS.div_ceil(COMB_TEETH);
        let one = |b: &ModPElement| comb_entries::<P>(b, chunk);
        #[cfg(not(target_arch = "wasm32"))]
        let entries = {
            use rayon::prelude::*;
            h.par_iter().map(one).collect()
        };
        #[cfg(target_arch = "wasm32")]
        let entries = h.iter().map(one).collect();
        CombTables { chunk, entries }
    }

    fn encrypt_slots(
        h: &[ModPElement],
        tables: &CombTables,
        r: &ModPExponent,
        x: &[i64],
    ) -> Vec<ModPElement> {
        let (_, r_limbs) = r.limbs(); // r ≥ 0 by construction
        let masks = comb_masks(&r_limbs, tables.chunk);
        let slot = |i: usize| {
            let hr = match (&masks, tables.entries.get(i)) {
                (Some(m), Some(t)) => comb_pow::<P>(t, m),
                _ => multiexp::pow_limbs::<Self>(&h[i], &r_limbs),
            };
            Self::op(&hr, &Self::pow_gen_i64(x[i]))
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            (0..h.len()).into_par_iter().map(slot).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            (0..h.len()).map(slot).collect()
        }
    }

    fn decrypt_slots(ct: &Ciphertext<Self>, keys: &[FunctionKey<Self>]) -> Vec<ModPElement> {
        let mont = Self::mont();
        let slots = ct.slots();
        let any_negative = keys.iter().any(|k| k.y().iter().any(|&v| v < 0));
        // One inversion for all slots (and ct_0) instead of one per row.
        let mut to_invert: Vec<Vec<u64>> = Vec::new();
        if any_negative {
            to_invert.extend(slots.iter().map(|e| e.0.clone()));
        }
        to_invert.push(ct.c0().0.clone());
        // Valid elements are never 0; should one be, keep the lengths (no panic, a wrong value
        // that the discrete log then rejects).
        let inverted = mont
            .batch_invert(&to_invert)
            .unwrap_or_else(|| to_invert.clone());
        let c0_inv = ModPElement(inverted.last().cloned().unwrap_or_else(|| mont.one.clone()));
        let slots_inv: Vec<ModPElement> = if any_negative {
            inverted[..slots.len()]
                .iter()
                .cloned()
                .map(ModPElement)
                .collect()
        } else {
            Vec::new()
        };
        // ct_0^{−sk}: window tables shared by all keys when there are many.
        let max_bits = keys
            .iter()
            .map(|k| k.sk().0.bits() as usize)
            .max()
            .unwrap_or(0);
        let (t_c0, t_c0_inv) = if keys.len() >= 16 {
            let some_negative = keys.iter().any(|k| k.sk().0.sign() == Sign::Minus);
            let some_positive = keys.iter().any(|k| k.sk().0.sign() == Sign::Plus);
            (
                some_negative.then(|| WindowTable::<Self>::new(ct.c0(), 6, max_bits)),
                some_positive.then(|| WindowTable::<Self>::new(&c0_inv, 6, max_bits)),
            )
        } else {
            (None, None)
        };
        let mut terms: Vec<(&ModPElement, u64)> = Vec::with_capacity(slots.len());
        keys.iter()
            .map(|key| {
                terms.clear();
                for (i, (&y, slot)) in key.y().iter().zip(slots).enumerate() {
                    let (neg, mag) = split_sign(y);
                    let base = if neg { slots_inv.get(i) } else { Some(slot) };
                    if let (Some(base), true) = (base, mag != 0) {
                        terms.push((base, mag));
                    }
                }
                let sum = multiexp::multiexp::<Self>(&terms);
                let (neg, mag) = key.sk().limbs();
                let mask = match (neg, &t_c0, &t_c0_inv) {
                    (true, Some(t), _) => t.pow(&mag),
                    (false, _, Some(t)) => t.pow(&mag),
                    (true, _, _) => multiexp::pow_limbs::<Self>(ct.c0(), &mag),
                    (false, _, _) => multiexp::pow_limbs::<Self>(&c0_inv, &mag),
                };
                Self::op(&sum, &mask)
            })
            .collect()
    }

    fn write_element(e: &ModPElement, out: &mut Vec<u8>) {
        let v = Self::to_biguint(e).to_bytes_be();
        out.extend(std::iter::repeat(0u8).take(P::BYTES.saturating_sub(v.len())));
        out.extend_from_slice(&v);
    }

    fn read_element(bytes: &[u8]) -> Result<ModPElement> {
        if bytes.len() != P::BYTES {
            return Err(Error::Decode(format!(
                "{} element must be {} bytes",
                P::NAME,
                P::BYTES
            )));
        }
        let v = BigUint::from_bytes_be(bytes);
        let mont = Self::mont();
        if v.is_zero() || v >= mont.p_big {
            return Err(Error::Decode(format!("{} element out of range", P::NAME)));
        }
        if jacobi(&v, &mont.p_big) != 1 {
            return Err(Error::Decode(format!(
                "{} element is not a quadratic residue (outside the prime-order subgroup)",
                P::NAME
            )));
        }
        Ok(ModPElement(mont.to_mont(&v)))
    }

    fn write_scalar(s: &ModPExponent, out: &mut Vec<u8>) {
        let (sign, mag) = s.0.to_bytes_be();
        let mag = if s.0.is_zero() { Vec::new() } else { mag };
        out.push(u8::from(sign == Sign::Minus));
        out.extend_from_slice(&(mag.len() as u16).to_le_bytes());
        out.extend_from_slice(&mag);
    }

    fn read_scalar(r: &mut Reader<'_>) -> Result<ModPExponent> {
        let sign = r.u8()?;
        let len = usize::from(r.u16()?);
        if sign > 1 || len > MAX_SCALAR_BYTES {
            return Err(Error::Decode(format!("{} key scalar malformed", P::NAME)));
        }
        let bytes = r.bytes(len)?;
        // Canonical only (what write_scalar produces): no leading zero byte, no "−0".
        if bytes.first() == Some(&0) || (sign == 1 && bytes.is_empty()) {
            return Err(Error::Decode(format!(
                "{} key scalar is not canonically encoded",
                P::NAME
            )));
        }
        let mag = BigUint::from_bytes_be(bytes);
        let sign = if sign == 1 { Sign::Minus } else { Sign::Plus };
        Ok(ModPExponent(BigInt::from_biguint(sign, mag)))
    }
}

/// Teeth of the encryptor's comb: `h^r = Π_k (h^{2^{c·k}})^{r_k}` with `r` cut into 4 chunks of
/// `c = EXPONENT_BITS / 4` bits, evaluated with one table of the 15 non-empty subset products
/// per base: `c` squarings and ≤ `c` multiplications instead of ≈ `1.2·EXPONENT_BITS`.
const COMB_TEETH: usize = 4;

/// Per-public-key comb tables: for each `h_i`, `Π_{k ∈ S} h_i^{2^{c·k}}` for every non-empty
/// subset `S` of the 4 teeth (index `S − 1`). 15 elements per base (≈ 3 MB for n = 784 at
/// 2048 bits), built once per public key.
pub struct CombTables {
    chunk: usize,
    entries: Vec<Vec<ModPElement>>,
}

fn comb_entries<P: FfdheParams>(h: &ModPElement, chunk: usize) -> Vec<ModPElement> {
    let mut teeth = Vec::with_capacity(COMB_TEETH);
    teeth.push(h.clone());
    for k in 1..COMB_TEETH {
        let mut t = teeth[k - 1].clone();
        for _ in 0..chunk {
            t = ModP::<P>::square(&t);
        }
        teeth.push(t);
    }
    let mut entries: Vec<ModPElement> = Vec::with_capacity((1 << COMB_TEETH) - 1);
    for mask in 1usize..(1 << COMB_TEETH) {
        let low = mask.trailing_zeros() as usize;
        let rest = mask & (mask - 1);
        entries.push(if rest == 0 {
            teeth[low].clone()
        } else {
            ModP::<P>::op(&entries[rest - 1], &teeth[low])
        });
    }
    entries
}

/// The comb columns of `r`, most significant first (`None` if `r` is longer than the comb).
fn comb_masks(r: &[u64], chunk: usize) -> Option<Vec<usize>> {
    let bit = |i: usize| r.get(i / 64).is_some_and(|l| (l >> (i % 64)) & 1 == 1);
    let len = r.iter().rposition(|&l| l != 0).map_or(0, |t| t * 64 + 64);
    if (0..len).any(|i| i >= chunk * COMB_TEETH && bit(i)) {
        return None;
    }
    Some(
        (0..chunk)
            .rev()
            .map(|b| (0..COMB_TEETH).fold(0, |m, k| m | (usize::from(bit(k * chunk + b)) << k)))
            .collect(),
    )
}

fn comb_pow<P: FfdheParams>(entries: &[ModPElement], masks: &[usize]) -> ModPElement {
    let mut acc: Option<ModPElement> = None;
    for &m in masks {
        if let Some(a) = acc.as_mut() {
            *a = ModP::<P>::square(a);
        }
        if m != 0 {
            acc = Some(match acc {
                Some(a) => ModP::<P>::op(&a, &entries[m - 1]),
                None => entries[m - 1].clone(),
            });
        }
    }
    acc.unwrap_or_else(ModP::<P>::identity)
}

/// A key scalar is `⟨s, y⟩` with `s` of `EXPONENT_BITS` bits: 64 bytes is ample.
const MAX_SCALAR_BYTES: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::One;

    fn check_params<P: FfdheParams>() {
        let a = P::arith();
        let p = &a.mont.p_big;
        assert_eq!(p.bits() as usize, P::BYTES * 8);
        // g = 2 generates the order-q subgroup: 2^q = 1 and 2 ≠ 1.
        let two = BigUint::from(2u32);
        assert!(two.modpow(&a.q, p).is_one());
        assert_eq!(jacobi(&two, p), 1);
        assert_eq!(
            jacobi(&(p - 1u32), p),
            -1,
            "−1 is a non-residue for p ≡ 3 mod 4"
        );
        assert_eq!(ModP::<P>::to_biguint(&ModP::<P>::generator()), two);
    }

    #[test]
    fn ffdhe_params_are_the_rfc_groups() {
        check_params::<Ffdhe2048>();
        check_params::<Ffdhe3072>();
    }

    #[test]
    fn montgomery_matches_biguint() {
        type G = ModP2048;
        let a = ModP::<Ffdhe2048>::pow_gen_i64(123_456_789);
        let b = G::pow_gen_i64(-987);
        let prod = G::op(&a, &b);
        let p = &Ffdhe2048::arith().mont.p_big;
        let expect = (G::to_biguint(&a) * G::to_biguint(&b)) % p;
        assert_eq!(G::to_biguint(&prod), expect);
        for v in [&a, &b, &prod, &G::identity(), &G::inverse(&a)] {
            let sq = (G::to_biguint(v) * G::to_biguint(v)) % p;
            assert_eq!(G::to_biguint(&G::square(v)), sq);
            assert_eq!(G::square(v), G::op(v, v));
        }
        for e in [
            vec![0u64],
            vec![1],
            vec![2],
            vec![31],
            vec![0x8000_0000_0000_0001, 7],
            vec![u64::MAX; 5],
        ] {
            let big = e
                .iter()
                .rev()
                .fold(BigUint::zero(), |acc, &l| (acc << 64) + l);
            let got = multiexp::pow_limbs::<G>(&G::generator(), &e);
            assert_eq!(
                G::to_biguint(&got),
                BigUint::from(2u32).modpow(&big, p),
                "e = {e:?}"
            );
            let t = WindowTable::<G>::new(&G::generator(), 6, 100);
            assert_eq!(t.pow(&e), got, "window table, e = {e:?}");
        }
        // The encryptor's comb agrees with plain exponentiation.
        let h = vec![G::pow_gen_i64(99), G::pow_gen_i64(-12345)];
        let tables = G::encrypt_tables(&h);
        for r in [
            vec![0u64],
            vec![1],
            vec![u64::MAX; 4],
            vec![5, 0, 0, 1 << 63],
            vec![7, 7],
        ] {
            let r_big = r
                .iter()
                .rev()
                .fold(BigInt::zero(), |acc, &l| (acc << 64) + l);
            let got = G::encrypt_slots(&h, &tables, &ModPExponent(r_big), &[3, -4]);
            for (i, hi) in h.iter().enumerate() {
                let expect = G::op(
                    &multiexp::pow_limbs::<G>(hi, &r),
                    &G::pow_gen_i64([3, -4][i]),
                );
                assert_eq!(got[i], expect, "r = {r:?}");
            }
        }
        // Longer than the comb: falls back to plain exponentiation.
        let long = ModPExponent(BigInt::from(1u8) << 300);
        let got = G::encrypt_slots(&h, &tables, &long, &[0, 0]);
        assert_eq!(got[0], multiexp::pow_limbs::<G>(&h[0], &long.limbs().1));
        // p − 1 (all-ones-ish limbs) squares to 1: exercises the carry paths.
        let m1 = ModPElement(Ffdhe2048::arith().mont.to_mont(&(p - 1u32)));
        assert_eq!(G::square(&m1), G::identity());
        let two = BigUint::from(2u32);
        assert_eq!(
            G::to_biguint(&a),
            two.modpow(&BigUint::from(123_456_789u64), p)
        );
        assert_eq!(
            G::to_biguint(&G::op(&b, &G::pow_gen_i64(987))),
            BigUint::one()
        );
    }
}
