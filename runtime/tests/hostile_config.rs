//! Hostile configuration (issue 10): endpoint pieces that would move a signed request to
//! another host, endpoints with user-info, a query or a fragment, empty keys. Each is refused
//! when the client is built, with an error that names what is wrong and repeats no secret.

use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error, Network};

fn builder() -> ClientBuilder {
    Client::builder().credentials(Credentials::new("testid", "testsecret"))
}

/// The message of the `Error::Config` that `build` fails with, or a test failure.
fn config_error(b: ClientBuilder, what: &str) -> String {
    match b.build() {
        Err(e @ Error::Config { .. }) => {
            let shown = format!("{e} {e:?}");
            for secret in ["alice", "hunter2"] {
                assert!(!shown.contains(secret), "{what}: {shown}");
            }
            assert!(!shown.contains('\u{1b}'), "{what}: {shown}");
            e.to_string()
        }
        other => panic!("{what}: expected a configuration error, got {other:?}"),
    }
}

#[test]
fn host_pieces_that_are_not_dns_labels_fail_the_build() {
    let long = "a".repeat(64);
    for bad in [
        "x@evil.com/",
        "a.b",
        "evil.com#",
        "-a",
        "a-",
        "a b",
        "a\u{1b}[31m",
        &long,
    ] {
        let msg = config_error(builder().region(bad), bad);
        assert!(msg.starts_with("configuration: region `"), "{msg}");
        let msg = config_error(builder().region("cn-hangzhou").endpoint_suffix(bad), bad);
        assert!(msg.starts_with("configuration: endpoint suffix `"), "{msg}");
    }
    // Good pieces still build, on every network.
    for network in [Network::Public, Network::Vpc, Network::Intl, Network::Share] {
        assert!(builder()
            .region("cn-hangzhou")
            .endpoint_suffix("inner")
            .network(network)
            .build()
            .is_ok());
    }
}

#[test]
fn endpoints_must_be_bare_hosts() {
    for (bad, says) in [
        ("x@evil.com/", "has user-info"),
        ("https://alice:hunter2@ecs.aliyuncs.com", "has user-info"),
        ("http://alice@127.0.0.1:8080/", "has user-info"),
        ("https://h/?a=b", "has a query"),
        ("https://h?Action=x", "has a query"),
        ("https://h/#f", "has a fragment"),
        ("evil.com#", "has a fragment"),
        ("https://h/v1", "has a path"),
        ("https://", "has no host"),
        ("https://h:70000", "has a port"),
        ("ftp://h", "has the scheme `ftp`"),
        ("https://h\u{1b}[31m", "is not a host name"),
    ] {
        let msg = config_error(builder().endpoint(bad), bad);
        assert!(msg.contains(says), "{bad}: {msg}");
    }

    // The builder's `Debug` never shows user-info either, and a later good endpoint wins.
    let b = builder().endpoint("https://alice:hunter2@h");
    assert!(!format!("{b:?}").contains("hunter2"), "{b:?}");
    assert!(b.endpoint("https://h/").build().is_ok());

    // The providers that take an endpoint refuse the same way.
    let sts = RamRoleArnProvider::builder(Credentials::new("id", "secret"), "acs:ram::1:role/r")
        .sts_endpoint("https://alice:hunter2@sts.example");
    assert!(!format!("{sts:?}").contains("hunter2"));
    match sts.build() {
        Err(e @ Error::Config { .. }) => assert!(!format!("{e} {e:?}").contains("hunter2")),
        other => panic!("{other:?}"),
    }
    let imds = EcsRamRoleProvider::new().endpoint("http://alice:hunter2@100.100.100.200/");
    assert!(!format!("{imds:?}").contains("hunter2"), "{imds:?}");
}

#[tokio::test]
async fn a_refused_metadata_endpoint_fails_every_fetch() {
    let imds = EcsRamRoleProvider::new().endpoint("http://127.0.0.1:1/?x");
    match imds.fetch().await {
        Err(e @ Error::Config { .. }) => assert!(e.to_string().contains("has a query"), "{e}"),
        other => panic!("{other:?}"),
    }
}
