//! Quality metrics against values computed by hand.

use glasslayer::attack::metrics::{
    mse, psnr, ssim, ssim_kernel, within, Quality, SSIM_C1, SSIM_C2,
};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn mse_and_psnr_by_hand() {
    // errors 0.1, −0.1, 0.2, 0: MSE = (0.01 + 0.01 + 0.04 + 0)/4 = 0.015
    let t = [0.5, 0.5, 0.5, 0.5];
    let x = [0.6, 0.4, 0.7, 0.5];
    assert!(close(mse(&t, &x), 0.015, 1e-15));
    // PSNR(0.01) = 10·log10(100) = 20 dB; PSNR(0.001) = 30 dB
    assert!(close(psnr(0.01), 20.0, 1e-12));
    assert!(close(psnr(0.001), 30.0, 1e-12));
    // exact reconstruction: capped at 100 dB
    assert_eq!(psnr(0.0), 100.0);
    assert!(mse(&t, &x[..3]).is_nan());
}

#[test]
fn within_one_grey_level() {
    let t = [0.0, 0.5, 1.0, 0.2];
    // 0.5/255 off, exactly 1/255 off, 2/255 off, 0 off → 3 of 4
    let x = [0.5 / 255.0, 0.5 + 1.0 / 255.0, 1.0 - 2.0 / 255.0, 0.2];
    assert!(close(within(&t, &x), 0.75, 1e-15));
}

#[test]
fn ssim_of_identical_images_is_one() {
    let img: Vec<f64> = (0..28 * 28)
        .map(|p| ((p * 37) % 101) as f64 / 100.0)
        .collect();
    assert!(close(ssim(&img, &img, 28, 28), 1.0, 1e-12));
}

#[test]
fn ssim_of_two_constant_images() {
    // σ = 0: SSIM = (2ab + C1)/(a² + b² + C1) with a = 0.5, b = 0.25
    //           = (0.25 + 0.0001)/(0.3125 + 0.0001) = 0.2501/0.3126
    let a = vec![0.5; 28 * 28];
    let b = vec![0.25; 28 * 28];
    assert!(close(ssim(&a, &b, 28, 28), 0.2501 / 0.3126, 1e-12));
}

#[test]
fn ssim_window_is_the_normalised_gaussian() {
    let g = ssim_kernel();
    // g_k ∝ exp(−(k−5)²/4.5); centre/edge ratio = exp(25/4.5)
    assert!(close(g[5] / g[0], (25.0f64 / 4.5).exp(), 1e-9));
    assert!(close(g.iter().sum::<f64>(), 1.0, 1e-15));
}

#[test]
fn ssim_of_a_scaled_image_by_hand() {
    // One 11×11 window. x = a + b·s(j) with s(j) = sign(j − 5): by symmetry the weighted mean
    // of s is 0 and of s² is 1 − g5 (g5 = centre weight of the 1-D kernel), so
    // μx = a, σx² = b²(1 − g5). With y = 2x: μy = 2a, σy² = 4σx², σxy = 2σx², and
    // SSIM = (4a² + C1)(4σ² + C2) / ((5a² + C1)(5σ² + C2)).
    let (a, b) = (0.3, 0.1);
    let g5 = {
        let w: Vec<f64> = (0..11)
            .map(|k| (-((k as f64 - 5.0).powi(2)) / 4.5).exp())
            .collect();
        w[5] / w.iter().sum::<f64>()
    };
    let x: Vec<f64> = (0..121)
        .map(|p| {
            // s(j) = sign(j − 5), with s(5) = 0 (f64::signum(0.0) would be 1)
            let d = (p % 11) as f64 - 5.0;
            let s = if d == 0.0 { 0.0 } else { d.signum() };
            a + b * s
        })
        .collect();
    let y: Vec<f64> = x.iter().map(|v| 2.0 * v).collect();
    let s2 = b * b * (1.0 - g5);
    let expected = (4.0 * a * a + SSIM_C1) * (4.0 * s2 + SSIM_C2)
        / ((5.0 * a * a + SSIM_C1) * (5.0 * s2 + SSIM_C2));
    let got = ssim(&x, &y, 11, 11);
    assert!(close(got, expected, 1e-12), "{got} vs {expected}");
}

#[test]
fn ssim_needs_an_image_as_large_as_the_window() {
    assert!(ssim(&[0.0; 100], &[0.0; 100], 10, 10).is_nan());
}

#[test]
fn quality_bundles_the_four_and_checks_sizes() {
    let t = vec![0.5; 784];
    let mut x = t.clone();
    x[0] = 0.6;
    let q = Quality::measure(&t, &x, 28, 28).unwrap();
    assert!(close(q.mse, 0.01 / 784.0, 1e-15));
    assert!(close(q.psnr, 10.0 * (784.0f64 / 0.01).log10(), 1e-9));
    assert!(close(q.within, 783.0 / 784.0, 1e-15));
    assert!(q.ssim < 1.0 && q.ssim > 0.9);
    assert!(Quality::measure(&t, &x[..700], 28, 28).is_err());
}
