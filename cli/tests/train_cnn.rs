//! `glasslayer train --model cnn`: bad arguments are clear errors, before any data is loaded.

mod common;

/// Did it succeed, and what it said on standard error.
fn run(args: &[&str]) -> (bool, String) {
    let (ok, _, stderr) = common::glasslayer(args);
    (ok, stderr)
}

#[test]
fn bad_cnn_arguments_are_refused_with_the_reason() {
    let base = ["train", "--model", "cnn"];
    for (extra, says) in [
        (&["--filters", "0"][..], "--filters 0 must be 1..=64"),
        (&["--filters", "65"][..], "--filters 65 must be 1..=64"),
        (
            &["--dataset", "imagenet"][..],
            "expected mnist or cifar10-color",
        ),
        (
            &["--protocol", "fenet"][..],
            "cryptonn, client-loop or fhipe",
        ),
        (&["--backend", "gpu"][..], "expected fe or reference"),
        (&["--padding", "full"][..], "expected 'same' or 'valid'"),
        (&["--batch", "0"][..], "must be positive"),
        (&["--pool", "0"][..], "--pool 0 must be 1..=8"),
        (&["--pool", "9"][..], "--pool 9 must be 1..=8"),
        (
            &["--lr-schedule", "step"][..],
            "expected constant or cosine",
        ),
        (
            &["--augment", "rotate"][..],
            "expected none, or a comma list of flip, crop, cropN",
        ),
        (
            &["--augment", "flip,crop9"][..],
            "crop padding must be 1..=8",
        ),
        (
            &["--dataset", "cifar10-color", "--samples", "801"][..],
            "images 800–999 are the test set",
        ),
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let (ok, err) = run(&args);
        assert!(!ok, "{args:?} must fail");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
