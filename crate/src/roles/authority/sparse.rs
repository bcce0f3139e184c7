//! The authority's sparse keys: one key per convolution filter and output position (the filter
//! placed on its patch, zero elsewhere), derived in `O(patch)` each.

use super::Authority;
use crate::fe::group::PrimeGroup;
use crate::fe::ipfe::sparse::SparseFunctionKey;
use crate::nn::conv::{ConvLayer, SparseRow};
use crate::{Error, Result};

impl<G: PrimeGroup> Authority<G> {
    /// The function key for the sparse vector with weights `y` on slots `idx` (strictly
    /// increasing), zero elsewhere.
    pub fn sparse_function_key(&self, idx: &[u32], y: &[i64]) -> Result<SparseFunctionKey<G>> {
        self.msk.derive_sparse_key(idx, y)
    }

    /// Keys for sparse rows (in parallel natively).
    pub fn sparse_function_keys(&self, rows: &[SparseRow]) -> Result<Vec<SparseFunctionKey<G>>> {
        let key = |r: &SparseRow| self.sparse_function_key(&r.idx, &r.val);
        #[cfg(not(target_arch = "wasm32"))]
        {
            use rayon::prelude::*;
            rows.par_iter().map(key).collect()
        }
        #[cfg(target_arch = "wasm32")]
        {
            rows.iter().map(key).collect()
        }
    }

    /// One key per filter and output position of `layer`, in output order (`f·P + p`).
    pub fn conv_keys(&self, layer: &ConvLayer) -> Result<Vec<SparseFunctionKey<G>>> {
        let n = self.pp.n();
        if layer.shape().inputs() != n {
            return Err(Error::invalid(format!(
                "conv layer over {} slots, but the public parameters have {n}",
                layer.shape().inputs()
            )));
        }
        self.sparse_function_keys(&layer.rows()?)
    }
}
