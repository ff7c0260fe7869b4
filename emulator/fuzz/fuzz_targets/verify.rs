//! The signature checks on any decoded request: an answer, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, i64, &[u8], &[u8])| {
    let (post, now, query, body) = input;
    let method = if post { "POST" } else { "GET" };
    let _ = aliyun_rpc_emulator::fuzz::decode_and_verify(query, body, method, now);
});
