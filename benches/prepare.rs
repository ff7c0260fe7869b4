//! The hot path of one call, without the network: flattening the seed request, preparing it
//! (params, common params, sign, form body), the same with `Filter.N` lists of growing size,
//! and the floor: one HMAC-SHA1 (keyed from the secret) over the very string-to-sign that
//! `prepare` produces. For signature V3: preparing the seed request (params, query, headers,
//! `Authorization`), against its floor: the SHA-256 of the very canonical request that
//! `prepare` signs plus one HMAC-SHA256 (keyed from the secret) over the string to sign.
//!
//! `cargo bench --bench prepare` (`-- 'v3|prepare/seed'` for the seed's v1 and V3 figures).
//! Before the timings it prints the heap allocations of one `to_params` and one
//! `prepare_with`, counted by the global allocator below.

#[path = "../examples/common/ecs.rs"]
#[allow(dead_code)]
mod ecs;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use aliyun_rpc::client::SignatureVersion;
use aliyun_rpc::{Client, Credentials, Params, Request};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter};
use time::macros::datetime;
use time::OffsetDateTime;

/// Counts every allocation and reallocation made through the system allocator.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (including reallocations) made by `f`, and its result.
fn allocations<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let out = f();
    (ALLOCATIONS.load(Ordering::Relaxed) - before, out)
}

/// The seed request of DESIGN.md, with two filters.
fn seed() -> DescribeImageSupportInstanceTypes {
    DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .action_type(ActionType::CreateEcs)
        .image_id("m-imageid1")
        .filter(Filter {
            key: "CreationStartTime".into(),
            value: "2017-12-05T22:40:00Z".into(),
        })
        .filter(Filter {
            key: "CreationEndTime".into(),
            value: "2017-12-06T22:40:00Z".into(),
        })
}

/// The seed request without its `max_items = 50` cap on `Filter`, so that the list can grow
/// to 1000 items (bench only: the real API caps it).
#[derive(Debug, Clone, Request)]
#[rpc(
    product = "Ecs",
    version = "2014-05-26",
    action = "DescribeImageSupportInstanceTypes",
    response = ecs::DescribeImageSupportInstanceTypesResponse
)]
struct Uncapped {
    region_id: String,
    action_type: Option<ActionType>,
    #[rpc(name = "Filter")]
    filters: Vec<UncappedFilter>,
    image_id: Option<String>,
}

#[derive(Debug, Clone, Params)]
struct UncappedFilter {
    key: String,
    value: String,
}

fn uncapped(n: usize) -> Uncapped {
    Uncapped::new("cn-hangzhou")
        .action_type(ActionType::CreateEcs)
        .image_id("m-imageid1")
        .filters((0..n).map(|i| UncappedFilter {
            key: "InstanceTypeId".into(),
            value: format!("ecs.t{}.xsmall", i % 7),
        }))
}

const NONCE: &str = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
const TIMESTAMP: OffsetDateTime = datetime!(2016-02-23 12:46:24 UTC);

fn credentials() -> Credentials {
    Credentials::new("testid", "testsecret")
}

fn client() -> Client {
    Client::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint("http://127.0.0.1:8080")
        .build()
        .expect("client")
}

/// [`client`] signing V3.
fn client_v3() -> Client {
    Client::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint("http://127.0.0.1:8080")
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("client")
}

fn report_allocations() {
    let (client, creds, seed) = (client(), credentials(), seed());
    // Once untimed, so that one-time lazy initialisation is not counted.
    let _ = client.prepare_with(&seed, &creds, TIMESTAMP, NONCE);
    let (to_params, _) = allocations(|| black_box(seed.to_params()));
    let (prepare, _) =
        allocations(|| black_box(client.prepare_with(&seed, &creds, TIMESTAMP, NONCE)));
    eprintln!("allocations: to_params (seed, 2 filters) = {to_params}, prepare_with (seed, 2 filters) = {prepare}");
    let v3 = client_v3();
    let _ = v3.prepare_with(&seed, &creds, TIMESTAMP, NONCE);
    let (prepare_v3, _) =
        allocations(|| black_box(v3.prepare_with(&seed, &creds, TIMESTAMP, NONCE)));
    eprintln!("allocations: prepare_with V3 (seed, 2 filters) = {prepare_v3}");
    for n in [1, 10, 100, 1000] {
        let request = uncapped(n);
        let (count, _) =
            allocations(|| black_box(client.prepare_with(&request, &creds, TIMESTAMP, NONCE)));
        eprintln!("allocations: prepare_with (Filter.N, N = {n}) = {count}");
    }
}

/// HMAC-SHA1 keyed with `secret&` over `message`: the MAC inside `signing::sign` (before its
/// base64), keyed from the raw secret every time, computed with the `hmac` crate directly.
fn hmac_sha1(message: &str, secret: &str) -> [u8; 20] {
    use hmac::{Hmac, Mac};
    // A short secret and its `&` fit one stack block, as the runtime keys them.
    let mut key = [0u8; 64];
    let len = secret.len().min(63);
    key[..len].copy_from_slice(&secret.as_bytes()[..len]);
    key[len] = b'&';
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(&key[..=len]).expect("any key length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The floor of V3: the SHA-256 of `canonical_request`, written as hex after
/// `ACS3-HMAC-SHA256\n` on the stack, and the HMAC-SHA256 of that, keyed from the raw secret
/// every time, computed with the `sha2` and `hmac` crates directly.
fn v3_floor(canonical_request: &str, secret: &str) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    const HEAD: &[u8] = b"ACS3-HMAC-SHA256\n";
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let hash = Sha256::digest(canonical_request.as_bytes());
    let mut string_to_sign = [0u8; HEAD.len() + 64];
    string_to_sign[..HEAD.len()].copy_from_slice(HEAD);
    for (i, b) in hash.iter().enumerate() {
        string_to_sign[HEAD.len() + 2 * i] = DIGITS[usize::from(b >> 4)];
        string_to_sign[HEAD.len() + 2 * i + 1] = DIGITS[usize::from(b & 0xf)];
    }
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(&string_to_sign);
    mac.finalize().into_bytes().into()
}

fn benches(c: &mut Criterion) {
    report_allocations();
    let (client, creds, seed) = (client(), credentials(), seed());

    c.bench_function("to_params/seed", |b| {
        b.iter(|| black_box(&seed).to_params())
    });

    c.bench_function("prepare/seed", |b| {
        b.iter(|| client.prepare_with(black_box(&seed), &creds, TIMESTAMP, NONCE))
    });

    // The floor: the HMAC alone, over exactly what `prepare/seed` signs.
    let prepared = client
        .prepare_with(&seed, &creds, TIMESTAMP, NONCE)
        .expect("prepare");
    let string_to_sign = prepared.string_to_sign().to_owned();
    eprintln!(
        "string-to-sign of prepare/seed: {} bytes",
        string_to_sign.len()
    );
    c.bench_function("hmac_sha1/seed_string_to_sign", |b| {
        b.iter(|| hmac_sha1(black_box(&string_to_sign), black_box("testsecret")))
    });

    // Signature V3: the seed request, and its floor over exactly what it signs.
    let v3 = client_v3();
    c.bench_function("prepare_v3/seed", |b| {
        b.iter(|| v3.prepare_with(black_box(&seed), &creds, TIMESTAMP, NONCE))
    });
    let prepared = v3
        .prepare_with(&seed, &creds, TIMESTAMP, NONCE)
        .expect("prepare");
    let canonical_request = prepared
        .canonical_request()
        .expect("a V3 request has one")
        .to_owned();
    assert_eq!(
        prepared.string_to_sign().as_bytes()[17..],
        {
            use sha2::{Digest, Sha256};
            let hash = Sha256::digest(canonical_request.as_bytes());
            hash.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .into_bytes()
        }[..],
        "the floor hashes what prepare signs"
    );
    let floor_signature: String = v3_floor(&canonical_request, "testsecret")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        prepared
            .headers()
            .iter()
            .any(|(name, value)| *name == "authorization"
                && value.ends_with(&format!(",Signature={floor_signature}"))),
        "the floor signs what prepare signs"
    );
    eprintln!(
        "canonical request of prepare_v3/seed: {} bytes",
        canonical_request.len()
    );
    c.bench_function("v3_floor/seed_canonical_request", |b| {
        b.iter(|| v3_floor(black_box(&canonical_request), black_box("testsecret")))
    });

    let mut group = c.benchmark_group("prepare/filters");
    for n in [1usize, 10, 100, 1000] {
        let request = uncapped(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &request, |b, request| {
            b.iter(|| client.prepare_with(black_box(request), &creds, TIMESTAMP, NONCE))
        });
    }
    group.finish();
}

criterion_group!(prepare, benches);
criterion_main!(prepare);
