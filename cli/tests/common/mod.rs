//! What the CLI tests share: run the built `glasslayer` binary.

use std::process::Command;

/// Run `glasslayer args…` and wait for it: did it succeed, its standard output, its standard error.
pub fn glasslayer(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_glasslayer"))
        .args(args)
        .output()
        .expect("the glasslayer binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
