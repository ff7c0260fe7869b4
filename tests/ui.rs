//! Compile-fail cases: one mistake per file in `tests/ui/`, each with the reviewed
//! `.stderr` snapshot of the diagnostic it must produce.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
