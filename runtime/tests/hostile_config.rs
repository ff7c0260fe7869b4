//! Hostile configuration (issue 10): endpoint pieces that would move a signed request to
//! another host, endpoints with user-info, a query or a fragment, empty keys. Each is refused
//! when the client is built, with an error that names what is wrong and repeats no secret.

mod common;

use aliyun_rpc::credentials::{CliProfileProvider, CredentialsFileProvider, EnvProvider};
use aliyun_rpc::credentials::{EcsRamRoleProvider, RamRoleArnProvider};
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error, Network, Request};
use common::hostile::{json, serve};

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

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = serde_json::Value)]
struct DescribeThings {}

fn credentials_error(result: Result<impl std::fmt::Debug, Error>, what: &str) -> String {
    match result {
        Err(e @ Error::Credentials { .. }) => e.to_string(),
        other => panic!("{what}: expected a credentials error, got {other:?}"),
    }
}

/// Empty keys are refused before anything is signed: at `build()` for fixed credentials, by
/// every provider that reads them (naming the source and the field), and by the signer
/// itself for keys that come from elsewhere. Before, they were signed and sent.
#[tokio::test]
async fn empty_keys_are_never_signed() {
    let server = serve(|_| json(200, r#"{"RequestId":"R"}"#)).await;
    for (id, secret, field) in [
        ("", "secret", "access key id"),
        ("id", "", "access key secret"),
        ("  ", "secret", "access key id"),
        ("id", " ", "access key secret"),
    ] {
        let empty = Credentials::new(id, secret);
        let expected =
            format!("credentials: the {field} is empty; nothing is signed with empty keys");
        let built = builder()
            .credentials(empty.clone())
            .endpoint(server.url())
            .build();
        assert_eq!(credentials_error(built, field), expected);

        // Through a provider, `build` cannot see them: the signer refuses.
        let client = Client::builder()
            .credentials_provider(empty.clone())
            .endpoint(server.url())
            .build()
            .unwrap();
        assert_eq!(
            credentials_error(client.call(&DescribeThings {}).await, field),
            expected
        );
        assert_eq!(
            credentials_error(client.prepare(&DescribeThings {}).await, field),
            expected
        );
        let now = time::OffsetDateTime::now_utc();
        let prepared = client.prepare_with(&DescribeThings {}, &empty, now, "nonce");
        assert_eq!(credentials_error(prepared, field), expected);
    }
    assert_eq!(server.requests(), 0, "nothing was sent");

    // The environment.
    let env = EnvProvider::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tExample"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", " "),
    ]);
    let err = credentials_error(env.load(), "env");
    assert!(err.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), "{err}");

    // Both profile files.
    let dir = common::TempDir::new("empty-keys");
    let cli = dir.write(
        "config.json",
        r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"LTAI5tExample","access_key_secret":""}]}"#,
    );
    let err = credentials_error(CliProfileProvider::load(&cli, None), "cli");
    assert!(
        err.contains("profile `p`: mode `AK` needs `access_key_secret`, which is missing or empty"),
        "{err}"
    );
    let ini = dir.write(
        "credentials",
        "[default]\ntype = access_key\naccess_key_id = \naccess_key_secret = s\n",
    );
    let err = credentials_error(CredentialsFileProvider::load(&ini, None), "ini");
    assert!(
        err.contains(
            "profile `default`: type `access_key` needs `access_key_id`, which is missing or empty"
        ),
        "{err}"
    );

    // STS and the metadata service answering empty keys.
    let sts_server = serve(|_| {
        json(
            200,
            r#"{"RequestId":"R","Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"","SecurityToken":"CAIS","Expiration":"2099-01-01T00:00:00Z"}}"#,
        )
    })
    .await;
    let sts = RamRoleArnProvider::builder(Credentials::new("id", "secret"), "acs:ram::1:role/r")
        .sts_endpoint(sts_server.url())
        .build()
        .unwrap();
    let err = credentials_error(sts.fetch().await, "sts");
    assert!(
        err.contains("STS AssumeRole: the answer's `AccessKeySecret` is empty"),
        "{err}"
    );

    let imds_server = serve(|_| {
        json(
            200,
            r#"{"Code":"Success","AccessKeyId":"","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}"#,
        )
    })
    .await;
    let imds = EcsRamRoleProvider::new()
        .endpoint(imds_server.url())
        .role_name("EcsRole");
    let err = credentials_error(imds.fetch().await, "imds");
    assert!(
        err.contains("the answer's `AccessKeyId` is missing or empty"),
        "{err}"
    );
}
