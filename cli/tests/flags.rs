//! Size flags are bounded (issue #16): an oversized `--hidden`, `--batch` or `--n` is a clear
//! error before anything is allocated or loaded, not an allocation of gigabytes.

mod common;

/// Did it succeed, and what it said on standard error.
fn run(args: &[&str]) -> (bool, String) {
    let (ok, _, stderr) = common::glasslayer(args);
    (ok, stderr)
}

#[test]
fn oversized_size_flags_are_refused() {
    for args in [
        &["attack", "--weights", "random", "--hidden", "1000000000"][..],
        &[
            "attack",
            "--dataset",
            "cifar10",
            "--weights",
            "random",
            "--hidden",
            "4097",
        ][..],
        &[
            "train",
            "--protocol",
            "client-loop",
            "--batch",
            "1000000000",
        ][..],
        &["bench", "fe", "--n", "100000"][..],
    ] {
        let (ok, err) = run(args);
        assert!(!ok, "{args:?} must fail");
        assert!(
            err.contains("limit") || err.contains("at most"),
            "{args:?}: {err}"
        );
    }
}
