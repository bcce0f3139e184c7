//! Sparse image operators over a `rows × cols` image in row-major order (pixel `p = i·cols + j`).
//!
//! - [`differences`]: the anisotropic total-variation operator — one row `x_p − x_right` per
//!   horizontal neighbour pair and one row `x_p − x_down` per vertical pair
//!   (`rows·(cols−1) + (rows−1)·cols` rows; 1512 for 28×28).
//! - [`paper_rows`]: the smoothness rows of the paper's code — for each pixel `(i, j)` with
//!   `(i + j) mod period = 0`, the row `x_p − mean(4-neighbours of p)`. Neighbours are taken in
//!   2-D and never wrap around a row end: border pixels average their 2 or 3 neighbours.

use super::lp::SparseRows;

/// The anisotropic TV difference operator `D` (`‖D x‖₁ = TV(x)`).
pub fn differences(rows: usize, cols: usize) -> SparseRows {
    let mut d = SparseRows::new();
    for i in 0..rows {
        for j in 0..cols {
            let p = i * cols + j;
            if j + 1 < cols {
                d.push(&[(p, 1.0), (p + 1, -1.0)]);
            }
            if i + 1 < rows {
                d.push(&[(p, 1.0), (p + cols, -1.0)]);
            }
        }
    }
    d
}

/// Pixels `(i, j)` with `(i + j) mod period = 0`, in row-major order.
pub fn paper_pixels(rows: usize, cols: usize, period: usize) -> Vec<(usize, usize)> {
    let period = period.max(1);
    (0..rows)
        .flat_map(|i| (0..cols).map(move |j| (i, j)))
        .filter(|(i, j)| (i + j) % period == 0)
        .collect()
}

/// The 4-neighbours of `(i, j)` inside the image (no wrap-around).
pub fn neighbours(rows: usize, cols: usize, i: usize, j: usize) -> Vec<usize> {
    let mut nb = Vec::with_capacity(4);
    if i > 0 {
        nb.push((i - 1) * cols + j);
    }
    if j > 0 {
        nb.push(i * cols + j - 1);
    }
    if j + 1 < cols {
        nb.push(i * cols + j + 1);
    }
    if i + 1 < rows {
        nb.push((i + 1) * cols + j);
    }
    nb
}

/// The paper's smoothness rows `x_p − mean(neighbours)` for the pixels of [`paper_pixels`].
pub fn paper_rows(rows: usize, cols: usize, period: usize) -> SparseRows {
    let mut d = SparseRows::new();
    for (i, j) in paper_pixels(rows, cols, period) {
        let nb = neighbours(rows, cols, i, j);
        if nb.is_empty() {
            continue;
        }
        let w = -1.0 / nb.len() as f64;
        let mut row = vec![(i * cols + j, 1.0)];
        row.extend(nb.into_iter().map(|q| (q, w)));
        row.sort_by_key(|e| e.0);
        d.push(&row);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tv_rows_count_and_value() {
        let d = differences(28, 28);
        assert_eq!(d.len(), 1512);
        // TV of a single lit pixel in the interior is 4.
        let mut x = vec![0.0; 784];
        x[14 * 28 + 14] = 1.0;
        let tv: f64 = d.mul(&x).iter().map(|v| v.abs()).sum();
        assert_eq!(tv, 4.0);
        assert_eq!(d.bandwidth(), 28);
    }

    #[test]
    fn paper_rows_follow_the_period_without_wrap() {
        // period 2 on 32×32: half the pixels
        assert_eq!(paper_pixels(32, 32, 2).len(), 512);
        // period 1000: only (0, 0)
        assert_eq!(paper_pixels(32, 32, 1000), vec![(0, 0)]);
        // the corner row averages its 2 neighbours; the right-edge pixel (0, 31) does not see (1, 0)
        let d = paper_rows(32, 32, 31);
        let (idx, val) = d.row(0);
        assert_eq!(idx, &[0, 1, 32]);
        assert_eq!(val, &[1.0, -0.5, -0.5]);
        let (idx, _) = d.row(1); // pixel (0, 31)
        assert_eq!(idx, &[30, 31, 63]);
        // a constant image satisfies every smoothness row exactly
        let x = vec![7.0; 1024];
        assert!(paper_rows(32, 32, 4)
            .mul(&x)
            .iter()
            .all(|v| v.abs() < 1e-12));
        assert_eq!(paper_rows(32, 32, 4).bandwidth(), 64);
    }
}
