//! The param decoder on any bytes: never panics, never more than MAX_PARAMS distinct keys.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first 0xFF byte (never in a valid request) splits the query from the body.
    let (query, body) = match data.iter().position(|b| *b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let (params, _) = aliyun_rpc_emulator::fuzz::decode(query, body);
    assert!(params.len() <= aliyun_rpc_emulator::MAX_PARAMS);
});
