//! The client's encrypted training set: each sample is encrypted once and the ciphertext reused
//! in later epochs (CryptoNN's pre-processing: the client uploads its encrypted data and the
//! server trains over it). A sample's ciphertext is reused only for the same pixels; a bounded
//! number of samples is kept (beyond it, samples are re-encrypted every time).

use super::channel::{Carries, Channel, Delivered};
use super::Batch;
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

    /// The client's upload of `batch` (both engines, MLP and CNN): samples not uploaded before are
    /// encrypted from their integer `rows` by `encrypt` (each once; reused across epochs), and
    /// the bytes that cross the channel are those of the fresh ciphertexts (`ct_bytes`).
    pub(crate) fn upload(
        &mut self,
        batch: &Batch,
        rows: &[Vec<i64>],
        channel: &mut Channel,
        encrypt: impl FnOnce(&[Vec<i64>]) -> crate::Result<Vec<C>>,
        ct_bytes: impl Fn(&C) -> u64,
    ) -> crate::Result<Delivered<Vec<Arc<C>>>> {
        let pixels: Vec<Vec<u8>> = batch
            .pixels
            .rows()
            .into_iter()
            .map(|r| r.to_vec())
            .collect();
        let (cts, fresh) = self.get_many(&batch.ids, &pixels, |missing| {
            let todo: Vec<Vec<i64>> = missing.iter().map(|&k| rows[k].clone()).collect();
            encrypt(&todo)
        })?;
        let sent = cts
            .iter()
            .zip(&fresh)
            .filter(|(_, &f)| f)
            .map(|(c, _)| ct_bytes(c))
            .sum();
        Ok(channel.to_server(Carries::Ciphertexts, sent, cts))
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
