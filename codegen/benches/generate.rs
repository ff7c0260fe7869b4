//! Generating every ECS action (347) from the vendored metadata, parse included: the target
//! is well under a second. Run briefly:
//! `cargo bench -p aliyun-rpc-codegen --bench generate -- --warm-up-time 1 --measurement-time 3`.

use aliyun_rpc_codegen::Config;
use aliyun_rpc_metadata::vendored;
use criterion::{criterion_group, criterion_main, Criterion};

fn generate_all_of_ecs(c: &mut Criterion) {
    let config =
        Config::new().api_docs_str(vendored::ECS_2014_05_26_FILE, vendored::ECS_2014_05_26);
    c.bench_function("generate all of ECS 2014-05-26", |b| {
        b.iter(|| match config.generate() {
            Ok(code) => code.len(),
            Err(e) => panic!("{e}"),
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = generate_all_of_ecs
}
criterion_main!(benches);
