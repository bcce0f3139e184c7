//! The client's encrypted training set: each sample is encrypted once and the ciphertext reused
//! in later epochs (CryptoNN's pre-processing: the client uploads its encrypted data and the
//! server trains over it). A sample's ciphertext is reused only for the same pixels; a bounded
//! number of samples is kept (beyond it, samples are re-encrypted every time).

use std::collections::HashMap;
use std::sync::Arc;

/// Samples cached at most (≈ 125 KB each for ristretto255 at n = 784).
pub const CACHE_LIMIT: usize = 4096;

/// Ciphertexts by training-set index.
pub(crate) struct CiphertextCache<C> {
    map: HashMap<usize, (Vec<u8>, Arc<C>)>,
}

impl<C> Default for CiphertextCache<C> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
        }
    }
}

impl<C> CiphertextCache<C> {
    /// The stored ciphertext of sample `id`, if it was uploaded.
    pub(crate) fn get(&self, id: usize) -> Option<Arc<C>> {
        self.map.get(&id).map(|(_, ct)| ct.clone())
    }

    /// The ciphertexts of rows `ids` (pixels `pixels[k]`): cached ones are reused, the others are
    /// made in one call `encrypt_missing(positions)`. Returns the ciphertexts and, per row,
    /// whether it was made (and sent) now.
    pub(crate) fn get_many(
        &mut self,
        ids: &[usize],
        pixels: &[Vec<u8>],
        encrypt_missing: impl FnOnce(&[usize]) -> crate::Result<Vec<C>>,
    ) -> crate::Result<(Vec<Arc<C>>, Vec<bool>)> {
        let cached: Vec<Option<Arc<C>>> = ids
            .iter()
            .zip(pixels)
            .map(|(id, px)| {
                self.map
                    .get(id)
                    .filter(|(p, _)| p == px)
                    .map(|(_, ct)| ct.clone())
            })
            .collect();
        let missing: Vec<usize> = (0..ids.len()).filter(|&k| cached[k].is_none()).collect();
        let made = encrypt_missing(&missing)?;
        if made.len() != missing.len() {
            return Err(crate::Error::invalid("encryption returned the wrong count"));
        }
        let mut made = made.into_iter();
        let mut out = Vec::with_capacity(ids.len());
        let mut fresh = Vec::with_capacity(ids.len());
        for (k, c) in cached.into_iter().enumerate() {
            match c {
                Some(ct) => {
                    out.push(ct);
                    fresh.push(false);
                }
                None => {
                    let ct = Arc::new(
                        made.next()
                            .ok_or_else(|| crate::Error::invalid("missing ciphertext"))?,
                    );
                    if self.map.len() < CACHE_LIMIT || self.map.contains_key(&ids[k]) {
                        self.map.insert(ids[k], (pixels[k].clone(), ct.clone()));
                    }
                    out.push(ct);
                    fresh.push(true);
                }
            }
        }
        Ok((out, fresh))
    }
}
