//! Compile-time proof that server code cannot read a client's or authority's secret: each file in
//! `tests/compile_fail/` tries and must fail to compile (private fields, crate-private
//! accessors).

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn server_code_cannot_reach_secrets() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
}
