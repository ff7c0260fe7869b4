//! Schema mode's checks on any params: never panics; a refusal's message stays bounded (it
//! echoes names and values cut at 128 bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Actions with every shape of param: flat objects, lists of objects, integers with bounds,
/// booleans, a `json` object, an integer `enum`.
const ACTIONS: [&str; 5] = [
    "RunInstances",
    "DescribeInstances",
    "InvokeCommand",
    "DescribeInstanceMonitorData",
    "CreateSecurityGroup",
];

fuzz_target!(|data: &[u8]| {
    let Some((first, query)) = data.split_first() else {
        return;
    };
    let action = ACTIONS[usize::from(*first) % ACTIONS.len()];
    let allow = first & 0x80 != 0;
    let Some(result) = aliyun_rpc_emulator::fuzz::schema_check(action, query, allow) else {
        return;
    };
    if let Err((code, message)) = result {
        assert!(!code.is_empty());
        assert!(message.len() < 4096, "{} bytes", message.len());
        assert!(!(allow && code == "InvalidParameter.Undeclared"));
    }
});
