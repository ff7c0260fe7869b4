//! `Client::prepare_with`: the exact bytes a call sends, from a hand-written `Request` impl
//! (the derive is tested at the facade), checked against Aliyun's documented example.

use aliyun_rpc_runtime::error::SignatureMismatch;
use aliyun_rpc_runtime::params::{ParamWriter, Secret};
use aliyun_rpc_runtime::{Client, Credentials, Error, Format, Method, Request};
use time::macros::datetime;

struct DescribeRegions;

impl Request for DescribeRegions {
    const PRODUCT: &'static str = "Ecs";
    const VERSION: &'static str = "2014-05-26";
    const ACTION: &'static str = "DescribeRegions";
    type Response = serde_json::Value;
    fn write_params(&self, _w: &mut ParamWriter<'_>) {}
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

struct Tagged(&'static str);

impl Request for Tagged {
    const PRODUCT: &'static str = "Ecs";
    const VERSION: &'static str = "2014-05-26";
    const ACTION: &'static str = "TagResources";
    const METHOD: Option<Method> = Some(Method::Get);
    type Response = serde_json::Value;
    fn write_params(&self, w: &mut ParamWriter<'_>) {
        w.field("RegionId", "cn-hangzhou");
        w.field("Tag", &vec![self.0]);
    }
    fn validate(&self) -> Result<(), Error> {
        if self.0.is_empty() {
            Err(Error::invalid_param("Tag.1", "must not be empty"))
        } else {
            Ok(())
        }
    }
}

fn client(builder: aliyun_rpc_runtime::ClientBuilder) -> Client {
    match builder.build() {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

const NONCE: &str = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";

#[test]
fn documented_example_as_a_get() -> Result<(), Error> {
    let client = client(
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .format(Format::Xml)
            .method(Method::Get),
    );
    let prepared = client.prepare_with(
        &DescribeRegions,
        &Credentials::new("testid", "testsecret"),
        datetime!(2016-02-23 12:46:24 UTC),
        NONCE,
    )?;
    assert_eq!(prepared.method(), Method::Get);
    assert_eq!(
        prepared.url(),
        "https://ecs.cn-hangzhou.aliyuncs.com/?AccessKeyId=testid&Action=DescribeRegions&Format=XML\
         &SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
         &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
    );
    assert_eq!(prepared.body(), None);
    assert_eq!(
        prepared.headers(),
        [
            ("x-acs-action", "DescribeRegions"),
            ("x-acs-version", "2014-05-26")
        ]
    );
    Ok(())
}

#[test]
fn post_puts_the_signed_params_in_the_body() -> Result<(), Error> {
    let client = client(
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .endpoint("http://127.0.0.1:9/")
            .format(Format::Xml),
    );
    let prepared = client.prepare_with(
        &DescribeRegions,
        &Credentials::new("testid", "testsecret"),
        datetime!(2016-02-23 12:46:24 UTC),
        NONCE,
    )?;
    assert_eq!(prepared.method(), Method::Post);
    assert_eq!(prepared.url(), "http://127.0.0.1:9/");
    let body = prepared.body().unwrap_or_default();
    assert!(
        body.starts_with("AccessKeyId=testid&Action=DescribeRegions&Format=XML&"),
        "{body}"
    );
    // POST is part of the string to sign, so the signature differs from the GET example.
    assert!(prepared
        .string_to_sign()
        .starts_with("POST&%2F&AccessKeyId%3Dtestid"));
    assert!(!body.contains("OLeaidS1JvxuMvnyHOwuJ"));
    assert!(prepared
        .headers()
        .contains(&("content-type", "application/x-www-form-urlencoded")));
    Ok(())
}

#[test]
fn request_method_wins_over_client_default() -> Result<(), Error> {
    let client = client(
        Client::builder()
            .credentials(Credentials::new("id", "s"))
            .region("cn-beijing"),
    );
    let prepared = client.prepare_with(
        &Tagged("env"),
        &Credentials::new("id", "s"),
        datetime!(2020-01-01 00:00:00 UTC),
        "n",
    )?;
    assert_eq!(prepared.method(), Method::Get);
    assert!(prepared.url().starts_with("https://ecs.cn-beijing.aliyuncs.com/?AccessKeyId=id&Action=TagResources&Format=JSON&RegionId=cn-hangzhou&"));
    assert!(prepared.url().contains("&Tag.1=env&"));
    Ok(())
}

#[test]
fn validation_error_stops_prepare() {
    let client = client(
        Client::builder()
            .credentials(Credentials::new("id", "s"))
            .region("cn-beijing"),
    );
    match client.prepare_with(
        &Tagged(""),
        &Credentials::new("id", "s"),
        time::OffsetDateTime::now_utc(),
        "n",
    ) {
        Err(Error::InvalidRequest { param, reason, .. }) => {
            assert_eq!(param, "Tag.1");
            assert_eq!(reason, "must not be empty");
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[test]
fn missing_region_is_a_config_error() {
    let client = client(Client::builder().credentials(Credentials::new("id", "s")));
    let err = client
        .prepare_with(
            &DescribeRegions,
            &Credentials::new("id", "s"),
            time::OffsetDateTime::now_utc(),
            "n",
        )
        .err();
    assert!(matches!(err, Some(Error::Config { .. })), "{err:?}");
}

#[test]
fn missing_credentials_fail_the_build() {
    assert!(matches!(
        Client::builder().build(),
        Err(Error::Credentials { .. })
    ));
}

#[test]
fn bad_endpoint_fails_the_build() {
    let err = Client::builder()
        .credentials(Credentials::new("id", "s"))
        .endpoint("ftp://x")
        .build();
    assert!(matches!(err, Err(Error::Config { .. })), "{err:?}");
}

#[test]
fn display_is_a_curl_command_without_secrets() -> Result<(), Error> {
    let creds = Credentials::new("testid", "testsecret").with_security_token("CAIS+tok/en=");
    let get = client(
        Client::builder()
            .credentials(creds.clone())
            .region("cn-hangzhou")
            .method(Method::Get),
    );
    let shown = get
        .prepare_with(
            &DescribeRegions,
            &creds,
            datetime!(2016-02-23 12:46:24 UTC),
            NONCE,
        )?
        .to_string();
    assert_eq!(
        shown,
        "curl -X GET 'https://ecs.cn-hangzhou.aliyuncs.com/?AccessKeyId=testid&Action=DescribeRegions&Format=JSON\
         &SecurityToken=** redacted **&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
         &SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=** redacted **' \
         -H 'x-acs-action: DescribeRegions' -H 'x-acs-version: 2014-05-26'"
    );
    let post = client(
        Client::builder()
            .credentials(creds.clone())
            .region("cn-hangzhou"),
    );
    let prepared = post.prepare_with(
        &DescribeRegions,
        &creds,
        datetime!(2016-02-23 12:46:24 UTC),
        NONCE,
    )?;
    let shown = prepared.to_string();
    assert!(shown.starts_with("curl -X POST 'https://ecs.cn-hangzhou.aliyuncs.com/' -H 'x-acs-action: DescribeRegions' -H 'x-acs-version: 2014-05-26' -H 'content-type: application/x-www-form-urlencoded' --data 'AccessKeyId=testid&"), "{shown}");
    for secret in [
        "testsecret",
        "CAIS",
        "tok",
        prepared
            .body()
            .unwrap_or_default()
            .rsplit('=')
            .next()
            .unwrap_or("-"),
    ] {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
        assert!(!format!("{prepared:?}").contains(secret));
    }
    Ok(())
}

#[test]
fn signature_mismatch_diagnosis() {
    assert_eq!(
        SignatureMismatch::diagnose("POST&%2F&A", "POST&%2F&A"),
        SignatureMismatch::SameStringToSign
    );
    let d = SignatureMismatch::diagnose("POST&%2F&A%3D1%26B%3D2", "POST&%2F&A%3D1%26B%3D3");
    assert_eq!(
        d,
        SignatureMismatch::Differs {
            position: 21,
            ours: "POST&%2F&A%3D1%26B%3D2".into(),
            server: "POST&%2F&A%3D1%26B%3D3".into()
        }
    );
    assert_eq!(
        d.to_string(),
        "our string to sign differs from the server's at byte 21: ours `POST&%2F&A%3D1%26B%3D2`, server's `POST&%2F&A%3D1%26B%3D3`"
    );
    let long_ours = format!("GET&%2F&{}X{}", "a".repeat(100), "b".repeat(100));
    let long_server = format!("GET&%2F&{}Y{}", "a".repeat(100), "b".repeat(100));
    match SignatureMismatch::diagnose(&long_ours, &long_server) {
        SignatureMismatch::Differs {
            position,
            ours,
            server,
        } => {
            assert_eq!(position, 108);
            assert_eq!(ours, format!("…{}X{}…", "a".repeat(40), "b".repeat(39)));
            assert_eq!(server, format!("…{}Y{}…", "a".repeat(40), "b".repeat(39)));
        }
        other => panic!("{other:?}"),
    }
    // A prefix: the shorter one ends where the other goes on.
    assert!(matches!(
        SignatureMismatch::diagnose("GET&a", "GET&ab"),
        SignatureMismatch::Differs { position: 5, .. }
    ));
}

/// Keys and values in every spot where signing may skip the scan for bytes to escape (a
/// clean field over a dirty map key, a dirty field over clean names, an action and a version
/// that need encoding, STS token, nonce): the body must be the canonical query of the very
/// params `to_params` lists plus the common ones, signed as the reference functions sign it.
struct Awkward;

impl Request for Awkward {
    const PRODUCT: &'static str = "Ecs";
    const VERSION: &'static str = "2014-05-26 b+";
    const ACTION: &'static str = "Do:It";
    type Response = serde_json::Value;
    fn write_params(&self, w: &mut ParamWriter<'_>) {
        let map: std::collections::BTreeMap<&str, &str> =
            [("a b", "1"), ("Plain", "x y"), ("é", "2")]
                .into_iter()
                .collect();
        w.field("Map", &map);
        w.field("Odd/Name", &vec!["v", "w*"]);
        w.field("Clean", "ok~-_.");
        w.field("Zed", &vec![map.clone()]);
        // Equal to a common param's key: sent as written, next to it.
        w.field("Format", "mine");
    }
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

#[test]
fn keys_and_values_that_need_encoding_are_signed_like_the_reference() -> Result<(), Error> {
    use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign, CanonicalQuery};
    let creds = Credentials::new("id with space", "secret").with_security_token("CAIS+tok/en=");
    let nonce = "nonce:1/é";
    for method in [Method::Post, Method::Get] {
        let client = client(
            Client::builder()
                .credentials(creds.clone())
                .endpoint("http://127.0.0.1:9")
                .method(method),
        );
        let prepared =
            client.prepare_with(&Awkward, &creds, datetime!(2016-02-23 12:46:24 UTC), nonce)?;
        let mut params = Awkward.to_params();
        for (k, v) in [
            ("AccessKeyId", "id with space"),
            ("Action", "Do:It"),
            ("Format", "JSON"),
            ("SecurityToken", "CAIS+tok/en="),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", nonce),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26 b+"),
        ] {
            params.push((k.to_owned(), v.to_owned()));
        }
        assert!(params.iter().any(|(k, _)| k == "Map.a b"), "{params:?}");
        let expected_sts = string_to_sign(method.as_str(), &params);
        assert_eq!(prepared.string_to_sign(), expected_sts);
        let expected = format!(
            "{}&Signature={}",
            CanonicalQuery::new(&params).as_str(),
            percent_encode(&sign(&expected_sts, "secret"))
        );
        let sent = match method {
            Method::Post => prepared.body().unwrap_or_default().to_owned(),
            Method::Get => prepared
                .url()
                .strip_prefix("http://127.0.0.1:9/?")
                .unwrap_or_default()
                .to_owned(),
        };
        assert_eq!(sent, expected, "{method:?}");
    }
    Ok(())
}

/// A request with a secret param, written by hand as the derive would write it.
struct ResetPassword(&'static str);

impl Request for ResetPassword {
    const PRODUCT: &'static str = "Ecs";
    const VERSION: &'static str = "2014-05-26";
    const ACTION: &'static str = "ModifyInstanceAttribute";
    type Response = serde_json::Value;
    fn write_params(&self, w: &mut ParamWriter<'_>) {
        w.field("InstanceId", "i-1");
        w.field("Password", &Secret::new(self.0));
        w.field("Zeta", "after");
    }
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

#[test]
fn display_redacts_secret_params_but_sends_them() -> Result<(), Error> {
    let creds = Credentials::new("testid", "testsecret");
    for method in [Method::Get, Method::Post] {
        let client = client(
            Client::builder()
                .credentials(creds.clone())
                .region("cn-hangzhou")
                .method(method),
        );
        let prepared = client.prepare_with(
            &ResetPassword("hunter2 &=é"),
            &creds,
            datetime!(2016-02-23 12:46:24 UTC),
            NONCE,
        )?;
        let sent = match method {
            Method::Get => prepared.url(),
            Method::Post => prepared.body().unwrap_or_default(),
        };
        assert!(
            sent.contains("&Password=hunter2%20%26%3D%C3%A9&"),
            "the value is sent as it is: {sent}"
        );
        let shown = prepared.to_string();
        assert!(
            shown.contains("&Password=** redacted **&"),
            "{method:?}: {shown}"
        );
        assert!(shown.contains("InstanceId=i-1&"), "{shown}");
        assert!(shown.contains("&Zeta=after&"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!format!("{prepared:?}").contains("hunter2"));
    }
    Ok(())
}
