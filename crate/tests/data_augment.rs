//! Client-side augmentation: a flip is a mirror, a crop is a zero-filled shift of the same shape,
//! and the same seed gives the same batch.

use glasslayer::data::{Augment, ImageSet, ImageShape};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const SHAPE: ImageShape = ImageShape {
    channels: 3,
    side: 6,
};

/// Distinct-ish non-zero pixels, so a moved pixel cannot pass for another.
fn image(k: usize) -> Vec<u8> {
    (0..SHAPE.len())
        .map(|i| 1 + ((i * 7 + k * 31) % 250) as u8)
        .collect()
}

fn at(img: &[u8], c: usize, y: isize, x: isize) -> u8 {
    let s = SHAPE.side as isize;
    if (0..s).contains(&y) && (0..s).contains(&x) {
        img[c * SHAPE.side * SHAPE.side + (y * s + x) as usize]
    } else {
        0
    }
}

/// The image shifted by `(dy, dx)` (zero fill), then mirrored when `flip`.
fn moved(img: &[u8], dy: isize, dx: isize, flip: bool) -> Vec<u8> {
    let s = SHAPE.side as isize;
    let mut out = Vec::new();
    for c in 0..SHAPE.channels {
        for y in 0..s {
            for x in 0..s {
                let cx = if flip { s - 1 - x } else { x };
                out.push(at(img, c, y + dy, cx + dx));
            }
        }
    }
    out
}

#[test]
fn a_flip_is_a_left_right_mirror_of_every_channel() {
    let img = image(0);
    let mirror = moved(&img, 0, 0, true);
    assert_ne!(mirror, img);
    let flip = Augment::parse("flip").unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let (mut kept, mut flipped) = (0, 0);
    for _ in 0..40 {
        let out = flip.image(&img, SHAPE, &mut rng).unwrap();
        if out == img {
            kept += 1;
        } else {
            assert_eq!(out, mirror, "a flip must be the mirror image");
            flipped += 1;
        }
    }
    assert!(kept > 0 && flipped > 0, "kept {kept}, flipped {flipped}");
}

#[test]
fn a_crop_keeps_the_shape_and_is_a_shift_within_the_padding() {
    let img = image(1);
    for pad in [2usize, 4] {
        let crop = Augment {
            flip: false,
            crop_pad: pad,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let p = pad as isize;
        let mut shifted = 0;
        for _ in 0..30 {
            let out = crop.image(&img, SHAPE, &mut rng).unwrap();
            assert_eq!(out.len(), SHAPE.len());
            let shift = (-p..=p)
                .flat_map(|dy| (-p..=p).map(move |dx| (dy, dx)))
                .find(|&(dy, dx)| moved(&img, dy, dx, false) == out);
            let (dy, dx) = shift.expect("a crop is a shift by at most the padding");
            shifted += usize::from((dy, dx) != (0, 0));
        }
        assert!(shifted > 0, "pad {pad}: no crop moved the image");
    }
}

#[test]
fn the_same_seed_gives_the_same_batch_and_another_seed_another() {
    let n = 8;
    let pixels: Vec<u8> = (0..n).flat_map(image).collect();
    let set = ImageSet::new(SHAPE.len(), pixels, (0..n as u8).collect()).unwrap();
    let aug = Augment::parse("flip,crop2").unwrap();
    let idx = [3, 0, 7, 5];
    let a = aug.batch(&set, &idx, SHAPE, 1, 2, 3).unwrap();
    let b = aug.batch(&set, &idx, SHAPE, 1, 2, 3).unwrap();
    assert_eq!(a.pixels, b.pixels);
    assert_eq!(a.labels, vec![3, 0, 7, 5]);
    assert_eq!(a.ids, idx.to_vec());
    assert_eq!(a.pixels.dim(), (4, SHAPE.len()));
    assert_ne!(a.pixels, set.batch(&idx).unwrap().pixels);
    let other_seed = aug.batch(&set, &idx, SHAPE, 2, 2, 3).unwrap();
    let other_epoch = aug.batch(&set, &idx, SHAPE, 1, 3, 3).unwrap();
    assert_ne!(a.pixels, other_seed.pixels);
    assert_ne!(a.pixels, other_epoch.pixels);
    // `none` is the plain batch.
    let none = Augment::parse("none").unwrap();
    assert_eq!(
        none.batch(&set, &idx, SHAPE, 1, 2, 3).unwrap().pixels,
        set.batch(&idx).unwrap().pixels
    );
}

#[test]
fn bad_augmentations_and_shapes_are_errors() {
    for bad in ["", "rotate", "crop0", "crop9", "cropx", "flip,,crop"] {
        assert!(Augment::parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Augment::parse("crop,flip").unwrap().name(), "flip,crop4");
    assert_eq!(Augment::parse("crop2").unwrap().crop_pad, 2);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let aug = Augment::parse("flip").unwrap();
    assert!(aug.image(&[1, 2, 3], SHAPE, &mut rng).is_err());
}
