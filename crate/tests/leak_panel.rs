//! Issue 13: the page's "What still leaks" panel in the core ([`glasslayer::leak::panel`]).

use glasslayer::attack::AttackKind;
use glasslayer::data::Mnist;
use glasslayer::leak::panel::{Panel, PanelOptions, PANEL_SAMPLES};
use glasslayer::protocol::ProtocolKind;

/// `k` sparse, varied "digits" (deterministic strokes).
fn digits(k: usize, salt: usize) -> Mnist {
    let mut px = vec![0u8; k * 784];
    for i in 0..k {
        let (r0, c0) = (4 + (i * 7 + salt) % 12, 4 + (i * 11 + salt) % 12);
        for t in 0..40 {
            let (r, c) = (r0 + t % 12, c0 + (t * (1 + i % 3)) % 12);
            px[i * 784 + r * 28 + c] = (120 + (i * 13 + t * 7) % 136) as u8;
        }
    }
    let labels: Vec<u8> = (0..k).map(|i| (i % 10) as u8).collect();
    Mnist::from_raw(&px, &labels).unwrap()
}

fn drawn() -> Vec<f32> {
    let d = digits(1, 5);
    d.image(0).iter().map(|&p| f32::from(p) / 255.0).collect()
}

fn options(protocol: ProtocolKind, s: f32, rekey: bool) -> PanelOptions {
    PanelOptions {
        protocol,
        hidden: 64,
        weight_scale: s,
        rekey,
        noise: 0.0,
    }
}

#[test]
fn one_master_key_rebuilds_the_drawn_digit_and_rekeying_does_not() {
    let public = digits(PANEL_SAMPLES - 1, 0);
    let t = std::time::Instant::now();
    let p = Panel::run(
        &public,
        &drawn(),
        3,
        &options(ProtocolKind::Fhipe, 1e6, false),
        None,
    )
    .unwrap();
    eprintln!("panel run: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let s = p.summary();
    assert_eq!(s.settings.samples, PANEL_SAMPLES);
    assert_eq!(s.labels_seen.len(), PANEL_SAMPLES * s.settings.epochs);
    assert_eq!(s.drawn_label, 3);
    let m = s.last_batch.ids.len();
    assert_eq!(s.last_batch.estimate.len(), m * m);
    assert_eq!(s.digit_row.truth.len(), PANEL_SAMPLES);
    assert!(s.digit_row_error < 0.01, "{}", s.digit_row_error);
    assert!(s.cost.is_some());
    let t = std::time::Instant::now();
    let r = p.rebuild(128, AttackKind::Tv, false).unwrap();
    eprintln!("rebuild k = 128: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    assert_eq!(r.equations, 128);
    let psnr = r.psnr.unwrap();
    assert!(
        psnr > r.baseline_psnr + 10.0,
        "{psnr} vs {}",
        r.baseline_psnr
    );

    let p = Panel::run(
        &public,
        &drawn(),
        3,
        &options(ProtocolKind::Fhipe, 1e6, true),
        None,
    )
    .unwrap();
    assert_eq!(p.summary().gram_method, "visits_min_norm");
    let r = p.rebuild(128, AttackKind::Tv, false).unwrap();
    assert!(r.psnr.unwrap_or(0.0) < psnr - 10.0);
    assert!(p.rebuild(0, AttackKind::Tv, false).is_err());
    assert!(p.rebuild(PANEL_SAMPLES, AttackKind::Tv, false).is_err());
    assert!(p.rebuild(16, AttackKind::Paper, false).is_err());
}

#[test]
fn bad_panel_input_is_an_error() {
    let public = digits(PANEL_SAMPLES - 1, 0);
    let o = options(ProtocolKind::Fhipe, 1e4, false);
    assert!(Panel::run(&public, &drawn()[..100], 3, &o, None).is_err());
    assert!(Panel::run(&digits(10, 0), &drawn(), 3, &o, None).is_err());
    let mut nan = drawn();
    nan[5] = f32::NAN;
    assert!(Panel::run(&public, &nan, 3, &o, None).is_err());
    assert!(Panel::run(
        &public,
        &drawn(),
        3,
        &options(ProtocolKind::CryptoNn, 1e4, false),
        None
    )
    .is_err());
    assert!(Panel::run(
        &public,
        &drawn(),
        3,
        &options(ProtocolKind::ClientLoop, 1e4, true),
        None
    )
    .is_err());
}
