//! MNIST preprocessing of a drawn digit (LeCun et al.): crop the ink to its bounding box, scale it so
//! the longer side is 20 pixels (area-averaging, aspect kept), then place it in a 28×28 field so that
//! its centre of mass sits at the centre.

use crate::{Error, Result};

/// Side of an MNIST image.
pub const SIDE: usize = 28;
/// The longer side of the digit's box after scaling.
pub const FIT: usize = 20;
/// Ink below this (0..1) does not count for the bounding box.
const INK_THRESHOLD: f32 = 0.05;

/// Preprocess an RGBA canvas buffer (`width × height × 4` bytes, row-major) into 784 values in
/// [0, 1], 1 = full ink. Ink is the alpha channel (`alpha / 255`): draw strokes of any colour on a
/// transparent canvas.
pub fn preprocess_rgba(rgba: &[u8], width: usize, height: usize) -> Result<Vec<f32>> {
    if width == 0 || height == 0 {
        return Err(Error::invalid("canvas width and height must be positive"));
    }
    let expected = width
        .checked_mul(height)
        .and_then(|p| p.checked_mul(4))
        .ok_or_else(|| Error::invalid("canvas is too large"))?;
    crate::limits::Limit::CanvasPixels.check(expected / 4)?;
    if rgba.len() != expected {
        return Err(Error::invalid(format!(
            "canvas buffer has {} bytes, expected {width}×{height}×4 = {expected}",
            rgba.len()
        )));
    }
    let ink: Vec<f32> = rgba
        .chunks_exact(4)
        .map(|p| f32::from(p[3]) / 255.0)
        .collect();
    preprocess_ink(&ink, width, height)
}

/// Preprocess an ink map (`width × height` values in [0, 1]) into a 28×28 MNIST-like sample.
pub fn preprocess_ink(ink: &[f32], width: usize, height: usize) -> Result<Vec<f32>> {
    if width.checked_mul(height) != Some(ink.len()) {
        return Err(Error::invalid("ink map size does not match width × height"));
    }
    let (x0, y0, x1, y1) = bounding_box(ink, width, height).ok_or(Error::EmptyCanvas)?;
    let (cw, ch) = (x1 - x0 + 1, y1 - y0 + 1);
    let scale = FIT as f32 / cw.max(ch) as f32;
    let tw = ((cw as f32 * scale).round() as usize).clamp(1, FIT);
    let th = ((ch as f32 * scale).round() as usize).clamp(1, FIT);
    let small = resample_area(ink, width, (x0, y0, cw, ch), tw, th);

    // Centre of mass of the scaled digit, then shift it to the centre of the 28×28 field.
    let (mut mass, mut mx, mut my) = (0.0f32, 0.0f32, 0.0f32);
    for y in 0..th {
        for x in 0..tw {
            let v = small[y * tw + x];
            mass += v;
            mx += v * (x as f32 + 0.5);
            my += v * (y as f32 + 0.5);
        }
    }
    if mass <= 0.0 {
        return Err(Error::EmptyCanvas);
    }
    let half = SIDE as f32 / 2.0;
    let ox = (half - mx / mass).round() as isize;
    let oy = (half - my / mass).round() as isize;
    // Keep the whole box inside the field (a very lopsided digit could otherwise be cut off).
    let ox = ox.clamp(0, (SIDE - tw) as isize) as usize;
    let oy = oy.clamp(0, (SIDE - th) as isize) as usize;

    let mut out = vec![0.0f32; SIDE * SIDE];
    for y in 0..th {
        for x in 0..tw {
            out[(y + oy) * SIDE + x + ox] = small[y * tw + x].clamp(0.0, 1.0);
        }
    }
    Ok(out)
}

fn bounding_box(ink: &[f32], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if ink[y * w + x] > INK_THRESHOLD {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
        }
    }
    (x0 != usize::MAX).then_some((x0, y0, x1, y1))
}

/// Area-averaging resample of the crop `(x0, y0, cw, ch)` of `src` (row stride `stride`) to
/// `tw × th`: each target pixel is the mean of the source area it covers, with fractional edges.
fn resample_area(
    src: &[f32],
    stride: usize,
    (x0, y0, cw, ch): (usize, usize, usize, usize),
    tw: usize,
    th: usize,
) -> Vec<f32> {
    let sx = cw as f32 / tw as f32;
    let sy = ch as f32 / th as f32;
    let mut out = vec![0.0f32; tw * th];
    for ty in 0..th {
        let (fy0, fy1) = (ty as f32 * sy, (ty + 1) as f32 * sy);
        for tx in 0..tw {
            let (fx0, fx1) = (tx as f32 * sx, (tx + 1) as f32 * sx);
            let (mut acc, mut area) = (0.0f32, 0.0f32);
            let mut y = fy0.floor() as usize;
            while (y as f32) < fy1 && y < ch {
                let wy = (fy1.min(y as f32 + 1.0) - fy0.max(y as f32)).max(0.0);
                let mut x = fx0.floor() as usize;
                while (x as f32) < fx1 && x < cw {
                    let wx = (fx1.min(x as f32 + 1.0) - fx0.max(x as f32)).max(0.0);
                    acc += wx * wy * src[(y0 + y) * stride + x0 + x];
                    area += wx * wy;
                    x += 1;
                }
                y += 1;
            }
            out[ty * tw + tx] = if area > 0.0 { acc / area } else { 0.0 };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas_with_rect(w: usize, h: usize, rx: (usize, usize), ry: (usize, usize)) -> Vec<u8> {
        let mut buf = vec![0u8; w * h * 4];
        for y in ry.0..ry.1 {
            for x in rx.0..rx.1 {
                buf[(y * w + x) * 4 + 3] = 255;
            }
        }
        buf
    }

    #[test]
    fn empty_canvas_is_a_clear_error() {
        let buf = vec![0u8; 280 * 280 * 4];
        assert_eq!(preprocess_rgba(&buf, 280, 280), Err(Error::EmptyCanvas));
    }

    #[test]
    fn wrong_length_is_rejected() {
        let err = preprocess_rgba(&[0u8; 10], 280, 280).unwrap_err();
        assert!(err.to_string().contains("expected 280×280×4"), "{err}");
    }

    #[test]
    fn tall_stroke_fits_twenty_rows_and_is_centred() {
        // A vertical bar 20 px wide, 200 px tall in the top-left corner of a 280×280 canvas.
        let buf = canvas_with_rect(280, 280, (10, 30), (5, 205));
        let img = preprocess_rgba(&buf, 280, 280).unwrap();
        let rows: Vec<usize> = (0..SIDE)
            .filter(|&y| (0..SIDE).any(|x| img[y * SIDE + x] > 0.5))
            .collect();
        let cols: Vec<usize> = (0..SIDE)
            .filter(|&x| (0..SIDE).any(|y| img[y * SIDE + x] > 0.5))
            .collect();
        assert_eq!(rows.len(), FIT, "the long side is scaled to 20 px");
        assert_eq!(cols.len(), 2, "aspect is kept: 20/200 · 20 = 2 px wide");
        assert_eq!(
            (rows[0], *rows.last().unwrap()),
            (4, 23),
            "centred vertically"
        );
        assert_eq!(cols, vec![13, 14], "centred horizontally by centre of mass");
    }

    #[test]
    fn output_is_in_unit_range_and_mass_is_centred() {
        let buf = canvas_with_rect(280, 280, (100, 260), (150, 200));
        let img = preprocess_rgba(&buf, 280, 280).unwrap();
        assert!(img.iter().all(|v| (0.0..=1.0).contains(v)));
        let m: f32 = img.iter().sum();
        let cx: f32 = (0..SIDE * SIDE)
            .map(|i| img[i] * ((i % SIDE) as f32 + 0.5))
            .sum::<f32>()
            / m;
        let cy: f32 = (0..SIDE * SIDE)
            .map(|i| img[i] * ((i / SIDE) as f32 + 0.5))
            .sum::<f32>()
            / m;
        assert!(
            (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
            "({cx}, {cy})"
        );
    }
}
