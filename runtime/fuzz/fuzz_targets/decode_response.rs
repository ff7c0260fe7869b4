//! The response decoder on any bytes, in both formats: a value or an error, never a panic;
//! an error answer's texts bounded, its `Display` free of raw control characters.
#![no_main]

use aliyun_rpc_runtime::response::{self, decode, decode_error};
use aliyun_rpc_runtime::Format;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Listing {
    request_id: String,
    total_count: Option<u64>,
    #[serde(default, deserialize_with = "response::list")]
    instance_types: Vec<Item>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Item {
    instance_type_id: String,
    cpu_core_count: u32,
    memory_size: f64,
    #[serde(default, deserialize_with = "response::list")]
    tags: Vec<String>,
}

fuzz_target!(|body: &[u8]| {
    for format in [Format::Json, Format::Xml] {
        if let Err(e) = decode::<Listing>(format, 200, body) {
            assert!(!e.to_string().contains(|c: char| c.is_control()));
        }
        let _ = decode::<serde_json::Value>(format, 200, body);
        let error = decode_error(format, 500, body);
        assert!(error.message().len() <= 1024 && error.code().len() <= 128);
        assert!(!error.to_string().contains(|c: char| c.is_control()));
    }
});
