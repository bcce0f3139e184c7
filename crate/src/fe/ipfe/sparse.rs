//! Sparse function keys: a key for a vector `y` that is zero outside a few slots (a convolution
//! filter placed at one position of the image), and a decryption whose cost scales with those
//! slots, not with the ciphertext length.
//!
//! The key is the ordinary ABDP15 key `sk_y = ⟨s, y⟩`; only its representation differs: the
//! non-zero slots `idx` (strictly increasing) and their weights. Decryption computes
//! `Π_{i ∈ idx} ct_i^{y_i} · ct_0^{−sk_y} = g^{⟨x, y⟩}`, touching only the patch's slots:
//!
//! - `ct_0^{−sk_y}` for all keys at once through the backend's own batched path
//!   ([`PrimeGroup::decrypt_slots`] on the empty ciphertext `(ct_0)`: a shared `ct_0` table);
//! - the patch product, generic over the group: for many keys with small weights (a conv layer:
//!   every slot is in `k·r²` keys), a table of the multiples `ct_i^1 … ct_i^K` of every touched
//!   slot (`K = max |y|`), then one group operation per non-zero weight; otherwise a bucket
//!   multi-exponentiation ([`crate::fe::group::multiexp`]) over the patch. Negative weights are
//!   collected apart and inverted once per key.

use super::{check_len, Ciphertext, FunctionKey, MasterSecretKey, PublicParams};
use crate::fe::dlog::DlogGroup;
use crate::fe::group::{multiexp, PrimeGroup};
use crate::{Error, Result};
use rand_core::CryptoRngCore;

/// A function key for a sparse vector: `(idx, y, sk_y = Σ s_{idx_j}·y_j)`.
#[derive(Clone)]
pub struct SparseFunctionKey<G: PrimeGroup> {
    n: usize,
    idx: Vec<u32>,
    y: Vec<i64>,
    sk: G::Scalar,
}

/// Largest `max |y|` for which a multiples table is built.
const TABLE_MAX: u64 = 256;

/// Check a sparse vector against the dimension `n`.
pub fn check_sparse(n: usize, idx: &[u32], y: &[i64]) -> Result<()> {
    if idx.len() != y.len() {
        return Err(Error::invalid(format!(
            "sparse key: {} indices but {} weights",
            idx.len(),
            y.len()
        )));
    }
    if idx.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::invalid(
            "sparse key: indices must be strictly increasing",
        ));
    }
    if let Some(&last) = idx.last() {
        if last as usize >= n {
            return Err(Error::invalid(format!(
                "sparse key: index {last} out of range (n = {n})"
            )));
        }
    }
    Ok(())
}

impl<G: PrimeGroup> MasterSecretKey<G> {
    /// KeyDer for the vector with weights `y` on the slots `idx` (strictly increasing) and zero
    /// elsewhere. Costs `|idx|` scalar products, not `n`.
    pub fn derive_sparse_key(&self, idx: &[u32], y: &[i64]) -> Result<SparseFunctionKey<G>> {
        check_sparse(self.s.len(), idx, y)?;
        let s: Vec<G::Scalar> = idx.iter().map(|&i| self.s[i as usize].clone()).collect();
        Ok(SparseFunctionKey {
            n: self.s.len(),
            idx: idx.to_vec(),
            y: y.to_vec(),
            sk: G::key_scalar(&s, y),
        })
    }
}

impl<G: PrimeGroup> SparseFunctionKey<G> {
    /// The vector length `n` of the ciphertexts this key decrypts.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The non-zero slots.
    pub fn indices(&self) -> &[u32] {
        &self.idx
    }

    /// The weights on [`Self::indices`] (public to the decryptor, like a dense key's `y`).
    pub fn weights(&self) -> &[i64] {
        &self.y
    }

    /// The same key as a dense [`FunctionKey`] (length `n`; for tests and comparisons).
    pub fn to_dense(&self) -> FunctionKey<G> {
        let mut y = vec![0i64; self.n];
        for (&i, &v) in self.idx.iter().zip(&self.y) {
            y[i as usize] = v;
        }
        FunctionKey {
            y,
            sk: self.sk.clone(),
        }
    }
}

impl<G: PrimeGroup> std::fmt::Debug for SparseFunctionKey<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SparseFunctionKey<{}> {{ n: {}, nnz: {}, sk: <redacted> }}",
            G::NAME,
            self.n,
            self.idx.len()
        )
    }
}

/// The per-ciphertext state of a sparse decryption, built once and shared by every chunk of keys
/// (a copy of the ciphertext and the multiples table of the touched slots, when it pays off).
/// Owns its data, so a long-lived caller (a web worker decrypting in chunks) can keep it.
pub struct SparseDecryptor<G: PrimeGroup> {
    ct: Ciphertext<G>,
    /// `K` and, per slot, `ct_i^1 … ct_i^K` (empty for untouched slots), when tabulated.
    table: Option<(usize, Vec<Vec<G::Element>>)>,
}

impl<G: PrimeGroup> SparseDecryptor<G> {
    /// Prepare to decrypt `ct` with `keys` (a table of multiples is built when the keys are many
    /// and their weights small; the keys later passed to [`Self::decrypt`] may be any subset).
    pub fn new(ct: &Ciphertext<G>, keys: &[SparseFunctionKey<G>]) -> Result<Self> {
        check_keys(ct, keys)?;
        let max_mag = keys
            .iter()
            .flat_map(|k| &k.y)
            .map(|y| y.unsigned_abs())
            .max()
            .unwrap_or(0);
        let mut touched = vec![false; ct.n()];
        let mut nnz: u64 = 0;
        for k in keys {
            for &i in &k.idx {
                touched[i as usize] = true;
            }
            nnz += k.idx.len() as u64;
        }
        let n_touched = touched.iter().filter(|&&t| t).count() as u64;
        // Table: n_touched·(K−1) operations once, then one per non-zero weight. Bucket method:
        // about nnz + 2·K per key, at least.
        let table_cost = n_touched.saturating_mul(max_mag.saturating_sub(1));
        let per_key_savings = (keys.len() as u64).saturating_mul(2 * max_mag.min(64));
        let use_table =
            (1..=TABLE_MAX).contains(&max_mag) && table_cost < per_key_savings.saturating_add(nnz);
        let table = use_table.then(|| {
            let k = max_mag as usize;
            let build = |(i, slot): (usize, &G::Element)| -> Vec<G::Element> {
                if !touched[i] {
                    return Vec::new();
                }
                let mut m = Vec::with_capacity(k);
                let mut acc = slot.clone();
                m.push(acc.clone());
                for _ in 1..k {
                    acc = <G as DlogGroup>::op(&acc, slot);
                    m.push(acc.clone());
                }
                m
            };
            let multiples: Vec<Vec<G::Element>> = {
                #[cfg(not(target_arch = "wasm32"))]
                {
                    use rayon::prelude::*;
                    ct.c.par_iter().enumerate().map(build).collect()
                }
                #[cfg(target_arch = "wasm32")]
                {
                    ct.c.iter().enumerate().map(build).collect()
                }
            };
            (k, multiples)
        });
        Ok(Self {
            ct: ct.clone(),
            table,
        })
    }

    /// `g^{⟨x, y⟩}` for each key, on the calling thread.
    pub fn decrypt(&self, keys: &[SparseFunctionKey<G>]) -> Result<Vec<G::Element>> {
        check_keys(&self.ct, keys)?;
        // ct_0^{−sk} for every key through the backend's batched path.
        let empty = Ciphertext::<G> {
            c0: self.ct.c0.clone(),
            c: Vec::new(),
        };
        let mask_keys: Vec<FunctionKey<G>> = keys
            .iter()
            .map(|k| FunctionKey {
                y: Vec::new(),
                sk: k.sk.clone(),
            })
            .collect();
        let masks = G::decrypt_slots(&empty, &mask_keys);
        let slots = &self.ct.c;
        let mut pos: Vec<(&G::Element, u64)> = Vec::new();
        let mut neg: Vec<(&G::Element, u64)> = Vec::new();
        let out = keys
            .iter()
            .zip(masks)
            .map(|(key, mask)| {
                let (p, n) = match &self.table {
                    Some((k, multiples)) => {
                        let (mut p, mut n): (Option<G::Element>, Option<G::Element>) = (None, None);
                        for (&i, &y) in key.idx.iter().zip(&key.y) {
                            let mag = y.unsigned_abs() as usize;
                            if mag == 0 {
                                continue;
                            }
                            // Keys outside the table's set fall back to the slot itself.
                            let e = match multiples[i as usize].get(mag - 1) {
                                Some(e) if mag <= *k => e.clone(),
                                _ => <G as DlogGroup>::pow_u64(&slots[i as usize], mag as u64),
                            };
                            let acc = if y > 0 { &mut p } else { &mut n };
                            *acc = Some(match acc.take() {
                                Some(a) => <G as DlogGroup>::op(&a, &e),
                                None => e,
                            });
                        }
                        (
                            p.unwrap_or_else(<G as DlogGroup>::identity),
                            n.unwrap_or_else(<G as DlogGroup>::identity),
                        )
                    }
                    None => {
                        pos.clear();
                        neg.clear();
                        for (&i, &y) in key.idx.iter().zip(&key.y) {
                            if y > 0 {
                                pos.push((&slots[i as usize], y as u64));
                            } else if y < 0 {
                                neg.push((&slots[i as usize], y.unsigned_abs()));
                            }
                        }
                        (multiexp::multiexp::<G>(&pos), multiexp::multiexp::<G>(&neg))
                    }
                };
                let pm = <G as DlogGroup>::op(&p, &mask);
                if n == <G as DlogGroup>::identity() {
                    pm
                } else {
                    <G as DlogGroup>::op(&pm, &<G as DlogGroup>::inverse(&n))
                }
            })
            .collect();
        Ok(out)
    }
}

fn check_keys<G: PrimeGroup>(ct: &Ciphertext<G>, keys: &[SparseFunctionKey<G>]) -> Result<()> {
    if let Some(k) = keys.iter().find(|k| k.n != ct.n()) {
        return Err(Error::invalid(format!(
            "sparse key for length {}, ciphertext has length {}",
            k.n,
            ct.n()
        )));
    }
    Ok(())
}

/// `g^{⟨x, y⟩}` for each sparse key (one-shot: [`SparseDecryptor`] for chunked callers).
pub fn decrypt_sparse_to_group<G: PrimeGroup>(
    ct: &Ciphertext<G>,
    keys: &[SparseFunctionKey<G>],
) -> Result<Vec<G::Element>> {
    SparseDecryptor::new(ct, keys)?.decrypt(keys)
}

/// Enc(mpk, x) without the encryptor's per-key tables: `ct_i = h_i^r · g^{x_i}` by one
/// variable-base exponentiation per slot. For a public key that encrypts once (one photo through a
/// conv layer), where building the fixed-base tables of [`PublicParams::encrypt_tables`] would
/// cost far more than the encryption itself. Same ciphertext distribution as [`super::encrypt`].
pub fn encrypt_once<G: PrimeGroup, R: CryptoRngCore + ?Sized>(
    pp: &PublicParams<G>,
    x: &[i64],
    rng: &mut R,
) -> Result<Ciphertext<G>> {
    check_len("plaintext", x.len(), pp.n())?;
    let r = G::random_scalar(rng);
    let c0 = G::pow_gen(&r);
    // h^r through the backend's own exponentiation: the mask `c0^{−sk}` of a decryption with an
    // empty ciphertext `(h)` and `sk = −r` is `h^r`.
    let neg_r = G::key_scalar(std::slice::from_ref(&r), &[-1]);
    let key = [FunctionKey::<G> {
        y: Vec::new(),
        sk: neg_r,
    }];
    let slot = |(h, &x): (&G::Element, &i64)| -> G::Element {
        let hr = G::decrypt_slots(
            &Ciphertext {
                c0: h.clone(),
                c: Vec::new(),
            },
            &key,
        )
        .pop()
        .unwrap_or_else(<G as DlogGroup>::identity);
        <G as DlogGroup>::op(&hr, &G::pow_gen_i64(x))
    };
    let c = {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            pp.h.par_iter().zip(x.par_iter()).map(slot).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            pp.h.iter().zip(x.iter()).map(slot).collect()
        }
    };
    Ok(Ciphertext { c0, c })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fe::group::{ModP2048, Ristretto255};
    use crate::fe::ipfe;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn agrees_with_dense<G: PrimeGroup>(n: usize, nkeys: usize, max_w: i64) {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (msk, pp) = ipfe::setup::<G, _>(n, &mut rng).unwrap();
        let x: Vec<i64> = (0..n as i64).map(|i| (i * 13) % 256).collect();
        let ct = ipfe::encrypt(&pp, &x, &mut rng).unwrap();
        let keys: Vec<SparseFunctionKey<G>> = (0..nkeys)
            .map(|k| {
                let idx: Vec<u32> = (0..n as u32).filter(|i| (i + k as u32) % 3 != 0).collect();
                let y: Vec<i64> = idx
                    .iter()
                    .map(|&i| ((i as i64 * 7 + k as i64 * 5) % (2 * max_w + 1)) - max_w)
                    .collect();
                msk.derive_sparse_key(&idx, &y).unwrap()
            })
            .collect();
        let got = decrypt_sparse_to_group(&ct, &keys).unwrap();
        // The table-free encryption decrypts the same.
        let ct1 = encrypt_once(&pp, &x, &mut rng).unwrap();
        assert!(decrypt_sparse_to_group(&ct1, &keys).unwrap() == got);
        assert!(encrypt_once(&pp, &x[1..], &mut rng).is_err());
        let dense: Vec<FunctionKey<G>> = keys.iter().map(|k| k.to_dense()).collect();
        for (k, key) in dense.iter().enumerate() {
            let want: i64 = key.y.iter().zip(&x).map(|(a, b)| a * b).sum();
            assert!(got[k] == G::pow_gen_i64(want), "key {k}");
        }
        assert!(ipfe::decrypt_to_group(&ct, &dense).unwrap() == got);
    }

    #[test]
    fn sparse_decryption_matches_dense_on_both_paths() {
        // Many keys, small weights: the multiples table.
        agrees_with_dense::<Ristretto255>(20, 70, 9);
        // Few keys, large weights: bucket multi-exponentiation.
        agrees_with_dense::<Ristretto255>(20, 3, 5000);
        agrees_with_dense::<ModP2048>(12, 3, 40);
    }

    #[test]
    fn decryption_reads_only_the_patch_slots() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let n = 40;
        let (msk, pp) = ipfe::setup::<Ristretto255, _>(n, &mut rng).unwrap();
        let x: Vec<i64> = (0..n as i64).map(|i| i % 9).collect();
        let ct = ipfe::encrypt(&pp, &x, &mut rng).unwrap();
        let keys: Vec<SparseFunctionKey<Ristretto255>> = (0..40)
            .map(|k| msk.derive_sparse_key(&[3, 4, 5], &[k - 20, 2, -1]).unwrap())
            .collect();
        // Every slot outside the patch wiped: the same results.
        let mut wiped = ct.clone();
        for (i, slot) in wiped.c.iter_mut().enumerate() {
            if !(3..=5).contains(&i) {
                *slot = <Ristretto255 as DlogGroup>::identity();
            }
        }
        let a = decrypt_sparse_to_group(&ct, &keys).unwrap();
        assert!(decrypt_sparse_to_group(&wiped, &keys).unwrap() == a);
        for (k, p) in a.iter().enumerate() {
            let want = (k as i64 - 20) * x[3] + 2 * x[4] - x[5];
            assert!(*p == Ristretto255::pow_gen_i64(want));
        }
    }

    #[test]
    fn rejects_bad_sparse_keys() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let (msk, pp) = ipfe::setup::<Ristretto255, _>(4, &mut rng).unwrap();
        assert!(msk.derive_sparse_key(&[0, 4], &[1, 1]).is_err());
        assert!(msk.derive_sparse_key(&[1, 1], &[1, 1]).is_err());
        assert!(msk.derive_sparse_key(&[2, 1], &[1, 1]).is_err());
        assert!(msk.derive_sparse_key(&[0], &[1, 1]).is_err());
        let (msk5, _) = ipfe::setup::<Ristretto255, _>(5, &mut rng).unwrap();
        let key5 = msk5.derive_sparse_key(&[0], &[1]).unwrap();
        let ct = ipfe::encrypt(&pp, &[1, 2, 3, 4], &mut rng).unwrap();
        assert!(decrypt_sparse_to_group(&ct, &[key5]).is_err());
    }
}
