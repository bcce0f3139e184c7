//! Bounded signed discrete logarithms by baby-step giant-step (BSGS).
//!
//! Given `T = g^z` with `z ∈ [−B, B]`, write `z = k·m + j` with `0 ≤ j < m`.
//!
//! - **Baby steps** (once per group and generator, reused by every decryption of a session):
//!   a table `key(g^j) → j` for `0 ≤ j < m`, where `key` is a compact 64-bit hash of the canonical
//!   encoding ([`DlogGroup::hash_keys`]).
//! - **Giant steps**: two walkers leave `T` outwards, `T·g^{−k·m}` (k = 0, 1, …) and `T·g^{k·m}`
//!   (k = 1, 2, …). A walker that lands on a baby key `j` gives `z = ±k·m + j`; the hit is verified
//!   (`g^j` recomputed and compared) so a hash collision can never produce a wrong number.
//!   Small |z| — the common case — are found after few steps.
//! - A value outside `[−B, B]` is [`Error::DlogOutOfRange`], never a wrong answer.
//!
//! Decrypting many rows at once ([`Table::solve_batch`]) advances all walkers in lock step so a
//! backend can hash a whole batch at once (ristretto255 shares one field inversion across the
//! batch compression).
//!
//! For a base that changes with every decryption (FHIPE's `e(K1, C1)`), no table can be reused;
//! [`solve_growing`] builds a small table and doubles it until the value is found, so the cost is
//! `O(√|z|)` rather than `O(√B)`.

use crate::{Error, Result};
use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex, OnceLock};

/// What BSGS needs from a cyclic group (written multiplicatively).
pub trait DlogGroup: 'static {
    /// A group element.
    type Element: Clone + PartialEq + Send + Sync;
    /// The neutral element.
    fn identity() -> Self::Element;
    /// The fixed generator `g` (the base of the shared tables).
    fn generator() -> Self::Element;
    /// The group operation `a·b`.
    fn op(a: &Self::Element, b: &Self::Element) -> Self::Element;
    /// The inverse `a⁻¹`.
    fn inverse(a: &Self::Element) -> Self::Element;
    /// `a·a` (backends with a faster squaring override this).
    fn square(a: &Self::Element) -> Self::Element {
        Self::op(a, a)
    }
    /// One 64-bit key per element, a hash of its canonical encoding (equal elements ⇒ equal keys).
    fn hash_keys(elems: &[Self::Element]) -> Vec<u64>;
    /// `base^k` for a small non-negative `k` (square and multiply by default).
    fn pow_u64(base: &Self::Element, k: u64) -> Self::Element {
        let mut acc = Self::identity();
        let mut sq = base.clone();
        let mut k = k;
        while k > 0 {
            if k & 1 == 1 {
                acc = Self::op(&acc, &sq);
            }
            k >>= 1;
            if k > 0 {
                sq = Self::square(&sq);
            }
        }
        acc
    }
}

/// Largest bound accepted: [`crate::limits::MAX_DLOG_BOUND`] (2⁴⁰).
pub const MAX_BOUND: u64 = crate::limits::MAX_DLOG_BOUND;

/// Check a bound and a table size against the caps: `bound ≤ 2⁴⁰` and the work budget — each
/// walker takes at most `⌈bound / m⌉ ≤ MAX_DLOG_STEPS / 2` giant steps.
pub fn check_work(bound: u64, m: u64) -> Result<()> {
    use crate::limits::{Limit, MAX_DLOG_STEPS};
    Limit::DlogBound.check(bound)?;
    if m == 0 {
        return Err(Error::invalid("dlog table size 0"));
    }
    let per_walker = bound.div_ceil(m);
    if per_walker > MAX_DLOG_STEPS / 2 {
        return Err(Limit::DlogSteps.exceeded(per_walker.saturating_mul(2)));
    }
    Ok(())
}

/// The default number of baby steps for a bound `B`: `4·√B` rounded up to a power of two,
/// clamped to `[2⁸, 2²⁰]`. Four times the balanced size makes the giant phase short for the
/// typical |z| while the table stays a one-off cost per session.
pub fn table_size_for(bound: u64) -> u64 {
    let root = (bound as f64).sqrt().ceil() as u64;
    root.saturating_mul(4)
        .clamp(1 << 8, 1 << 20)
        .next_power_of_two()
}

const EMPTY: u32 = u32::MAX;
const CHUNK: usize = 1024;

/// An open-addressing map `u64 key → u32 index` (keys are already uniform hashes).
#[derive(Clone)]
struct KeyIndex {
    slots: Vec<(u64, u32)>,
    mask: usize,
    len: usize,
    /// Entries whose key collides with an existing one (practically always empty).
    overflow: Vec<(u64, u32)>,
}

impl KeyIndex {
    fn with_capacity(n: usize) -> Self {
        let cap = (n.max(8) * 2).next_power_of_two();
        KeyIndex {
            slots: vec![(0, EMPTY); cap],
            mask: cap - 1,
            len: 0,
            overflow: Vec::new(),
        }
    }

    fn insert(&mut self, key: u64, value: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut i = (key as usize) & self.mask;
        loop {
            let (k, v) = self.slots[i];
            if v == EMPTY {
                self.slots[i] = (key, value);
                self.len += 1;
                return;
            }
            if k == key {
                self.overflow.push((key, value));
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let overflow = std::mem::take(&mut self.overflow);
        *self = KeyIndex::with_capacity(old.len());
        for (k, v) in old.into_iter().chain(overflow) {
            if v != EMPTY {
                self.insert(k, v);
            }
        }
    }

    /// Every index stored under `key` (usually zero or one).
    fn candidates(&self, key: u64, out: &mut Vec<u32>) {
        out.clear();
        let mut i = (key as usize) & self.mask;
        loop {
            let (k, v) = self.slots[i];
            if v == EMPTY {
                break;
            }
            if k == key {
                out.push(v);
                break;
            }
            i = (i + 1) & self.mask;
        }
        if !out.is_empty() && !self.overflow.is_empty() {
            out.extend(
                self.overflow
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, v)| *v),
            );
        }
    }
}

/// A baby-step table for one base: `key(base^j) → j` for `0 ≤ j < m`.
pub struct Table<G: DlogGroup> {
    base: G::Element,
    m: u64,
    index: KeyIndex,
    /// `base^m`.
    stride: G::Element,
    /// `base^{−m}`.
    stride_inv: G::Element,
}

impl<G: DlogGroup> std::fmt::Debug for Table<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("dlog::Table").field("m", &self.m).finish()
    }
}

impl<G: DlogGroup> Table<G> {
    /// Build the table for `base` with `m` baby steps (`1 ≤ m < 2³²`).
    pub fn build(base: G::Element, m: u64) -> Result<Self> {
        if m == 0 || m >= u64::from(EMPTY) {
            return Err(Error::invalid(format!("dlog table size {m} out of range")));
        }
        let mut t = Table {
            stride: G::identity(),
            stride_inv: G::identity(),
            index: KeyIndex::with_capacity(m as usize),
            base,
            m: 0,
        };
        t.extend_to(m);
        Ok(t)
    }

    /// The shared table for the group's generator with `m` baby steps: built once per process
    /// and reused by every server of the session.
    pub fn shared(m: u64) -> Result<Arc<Self>> {
        type Cache = Mutex<Vec<(TypeId, u64, Arc<dyn Any + Send + Sync>)>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        let id = TypeId::of::<G>();
        // A poisoned lock only means another thread panicked while building: rebuild.
        let mut guard = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = guard
            .iter()
            .find(|(tid, tm, _)| *tid == id && *tm == m)
            .and_then(|(_, _, any)| Arc::clone(any).downcast::<Self>().ok())
        {
            return Ok(t);
        }
        let table = Arc::new(Self::build(G::generator(), m)?);
        // Keep the cache small: one table per group is the intended use; keep the few most
        // recent sizes so alternating callers do not rebuild.
        if guard.iter().filter(|(tid, _, _)| *tid == id).count() >= 4 {
            if let Some(oldest) = guard.iter().position(|(tid, _, _)| *tid == id) {
                guard.remove(oldest);
            }
        }
        guard.push((id, m, table.clone() as Arc<dyn Any + Send + Sync>));
        Ok(table)
    }

    /// The number of baby steps `m`.
    pub fn size(&self) -> u64 {
        self.m
    }

    /// Grow the baby steps to `new_m` (keeps the existing entries).
    pub fn extend_to(&mut self, new_m: u64) {
        if new_m <= self.m {
            return;
        }
        let start = self.m;
        let mut cur = G::pow_u64(&self.base, start);
        let mut j = start;
        let mut buf = Vec::with_capacity(CHUNK);
        while j < new_m {
            buf.clear();
            let end = (j + CHUNK as u64).min(new_m);
            for _ in j..end {
                let next = G::op(&cur, &self.base);
                buf.push(std::mem::replace(&mut cur, next));
            }
            for (off, key) in G::hash_keys(&buf).into_iter().enumerate() {
                self.index.insert(key, (j + off as u64) as u32);
            }
            j = end;
        }
        self.m = new_m;
        self.stride = cur;
        self.stride_inv = G::inverse(&self.stride);
    }

    /// Solve one `target = base^z` for `z ∈ [−bound, bound]`.
    pub fn solve(&self, target: &G::Element, bound: u64) -> Result<i64> {
        self.solve_batch(std::slice::from_ref(target), bound)
            .pop()
            .unwrap_or(Err(Error::DlogOutOfRange { bound }))
    }

    /// Solve many targets at once (lock-step walkers, batch hashing).
    pub fn solve_batch(&self, targets: &[G::Element], bound: u64) -> Vec<Result<i64>> {
        if let Err(e) = check_work(bound, self.m) {
            return targets.iter().map(|_| Err(e.clone())).collect();
        }
        self.search(targets, bound)
            .into_iter()
            .map(|found| match found {
                Some(z) if z.unsigned_abs() <= bound => Ok(z),
                _ => Err(Error::DlogOutOfRange { bound }),
            })
            .collect()
    }

    /// Walk until every target is found or the walkers have covered `[−limit, limit]`.
    /// A found value is the true logarithm (it may lie slightly outside `limit`).
    fn search(&self, targets: &[G::Element], limit: u64) -> Vec<Option<i64>> {
        let m = self.m;
        let k_up = limit / m; // up walker k covers [k·m, k·m + m)
        let k_down = limit.saturating_add(m - 1) / m; // down walker k covers [−k·m, −k·m + m)
        let mut found: Vec<Option<i64>> = vec![None; targets.len()];
        let mut up: Vec<G::Element> = targets.to_vec();
        let mut down: Vec<G::Element> = targets.iter().map(|t| G::op(t, &self.stride)).collect();
        let mut pending: Vec<usize> = (0..targets.len()).collect();
        let mut batch: Vec<G::Element> = Vec::with_capacity(2 * targets.len());
        let mut owners: Vec<(usize, bool)> = Vec::with_capacity(2 * targets.len());
        let mut cands = Vec::new();
        let mut k: u64 = 0;
        while !pending.is_empty() && (k <= k_up || (k >= 1 && k <= k_down)) {
            batch.clear();
            owners.clear();
            for &t in &pending {
                if k <= k_up {
                    batch.push(up[t].clone());
                    owners.push((t, true));
                }
                if k >= 1 && k <= k_down {
                    batch.push(down[t].clone());
                    owners.push((t, false));
                }
            }
            let keys = G::hash_keys(&batch);
            for ((elem, &(t, is_up)), key) in batch.iter().zip(&owners).zip(keys) {
                if found[t].is_some() {
                    continue;
                }
                self.index.candidates(key, &mut cands);
                for &j in &cands {
                    if G::pow_u64(&self.base, u64::from(j)) == *elem {
                        let km = (k * m) as i64;
                        found[t] = Some(if is_up { km } else { -km } + i64::from(j));
                        break;
                    }
                }
            }
            pending.retain(|&t| found[t].is_none());
            for &t in &pending {
                if k < k_up {
                    up[t] = G::op(&up[t], &self.stride_inv);
                }
                if k >= 1 && k < k_down {
                    down[t] = G::op(&down[t], &self.stride);
                }
            }
            k += 1;
        }
        found
    }
}

/// Solve `target = base^z`, `z ∈ [−bound, bound]`, for a base used only once: start with a small
/// table and double it (reusing its entries) until the walkers cover |z|. Cost `O(√|z|)`.
pub fn solve_growing<G: DlogGroup>(
    base: &G::Element,
    target: &G::Element,
    bound: u64,
) -> Result<i64> {
    const MAX_M: u64 = crate::limits::MAX_FHIPE_DLOG_TABLE;
    // The largest table must cover the bound within the work budget.
    check_work(bound, MAX_M)?;
    if *base == G::identity() {
        // Every power of the identity is the identity: no logarithm to find (a degenerate key or
        // ciphertext); refuse instead of filling a table with equal keys.
        return Err(Error::invalid(
            "discrete log to the base 1 (degenerate key or ciphertext)",
        ));
    }
    let mut m: u64 = 64;
    let mut table = Table::<G>::build(base.clone(), m)?;
    loop {
        // With m baby steps, m/2 giant steps per walker cover about m²/2; the largest table
        // walks as far as the bound asks.
        let cover = if m >= MAX_M {
            bound
        } else {
            (m / 2).saturating_mul(m).min(bound)
        };
        if let Some(z) = table.search(std::slice::from_ref(target), cover)[0] {
            return if z.unsigned_abs() <= bound {
                Ok(z)
            } else {
                Err(Error::DlogOutOfRange { bound })
            };
        }
        if cover >= bound {
            return Err(Error::DlogOutOfRange { bound });
        }
        m *= 2;
        table.extend_to(m);
    }
}
