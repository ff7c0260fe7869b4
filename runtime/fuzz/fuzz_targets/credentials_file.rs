//! A credentials file of any bytes, read as the ini file and as the CLI's `config.json`: a
//! provider or an error, never a panic.
#![no_main]

use aliyun_rpc_runtime::credentials::{CliProfileProvider, CredentialsFileProvider};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("aliyun-rpc-fuzz-{}", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    for profile in [None, Some("default")] {
        let _ = CredentialsFileProvider::load(&path, profile);
        let _ = CliProfileProvider::load(&path, profile);
    }
});
