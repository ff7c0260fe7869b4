//! Compile-fail cases: one mistake per file in `tests/ui/`, each with the reviewed
//! `.stderr` snapshot of the diagnostic it must produce; and `tests/ui/pass/`, definitions
//! that must compile without a warning.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
