//! Typed, compile-time-checked calls to Alibaba Cloud (Aliyun) RPC-style APIs.
//!
//! One struct per API action, a derive, and a client that signs every call exactly as Aliyun
//! checks it (signature v1, HMAC-SHA1). This page is a short guide: [define a
//! request](#define-a-request), [call it](#call-it), [handle errors](#errors), [choose
//! credentials](#credentials), [test against the emulator](#test-against-the-emulator), and
//! [where everything else is](#where-things-are).
//!
//! # Define a request
//!
//! A struct per action derives [`Request`](macro@Request). Its `#[rpc(...)]` names the
//! product, the API version, the action and the response type; each field is a business
//! param, sent under its name in PascalCase (`accept_language` → `AcceptLanguage`) unless
//! `#[rpc(name = "…")]` says otherwise. A plain field is required and the generated `new`
//! takes it; an `Option` is optional and gets a setter; a `Vec` is sent as `Name.1`,
//! `Name.2`, …. A struct nested in a request derives [`Params`](macro@Params), an enum of
//! wire values [`ParamValue`](macro@ParamValue). The response is any `serde::Deserialize`
//! type, decoded from JSON or XML alike; [`#[aliyun_rpc::response]`](macro@response) adds
//! the serde attributes Aliyun's answers need. Every mistake in a definition is a compile
//! error that points at it.
//!
//! A list action declares `paginate(..)` and is read page by page with
//! [`Client::paginate`]; a request with a `DryRun` param is checked without running by
//! [`Client::dry_run`].
//!
//! ```
//! use aliyun_rpc::{response, ParamValue, Request};
//! use serde::Deserialize;
//!
//! /// ECS `DescribeRegions`: the regions, named in a language.
//! #[derive(Debug, Clone, Request)]
//! #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions",
//!       response = DescribeRegionsResponse)]
//! pub struct DescribeRegions {
//!     pub accept_language: Option<Language>,
//! }
//!
//! #[derive(Debug, Clone, Copy, ParamValue)]
//! pub enum Language {
//!     #[rpc(rename = "zh-CN")]
//!     Chinese,
//!     #[rpc(rename = "en-US")]
//!     English,
//! }
//!
//! #[derive(Debug, Deserialize)]
//! #[serde(rename_all = "PascalCase")]
//! pub struct DescribeRegionsResponse {
//!     pub request_id: String,
//!     // {"Regions": {"Region": [...]}} in JSON, repeated <Region> elements in XML.
//!     #[serde(deserialize_with = "response::list")]
//!     pub regions: Vec<Region>,
//! }
//!
//! #[derive(Debug, Deserialize)]
//! #[serde(rename_all = "PascalCase")]
//! pub struct Region {
//!     pub region_id: String,
//!     pub local_name: String,
//! }
//!
//! let request = DescribeRegions::new().accept_language(Language::English);
//! assert_eq!(request.to_params(), [("AcceptLanguage".to_owned(), "en-US".to_owned())]);
//! ```
//!
//! The attributes (lists, nested structs, maps, JSON params, bounds) are documented on the
//! derives: [`Request`](macro@Request), [`Params`](macro@Params),
//! [`ParamValue`](macro@ParamValue). `aliyun-rpc-codegen` writes these structs for you from
//! Aliyun's API metadata.
//!
//! # Call it
//!
//! A [`Client`] validates a request (nothing is sent if a constraint fails), adds the common
//! params, signs, sends, retries what may succeed on a second try, and decodes the answer.
//! Its calls run on Tokio (`#[tokio::main]`, a Tokio task); without an async runtime, use
//! `aliyun_rpc::blocking::Client` (feature `blocking`), which has the same builder.
//! [`Client::from_env`] takes its credentials from the default chain (below) and its region
//! from `ALIBABA_CLOUD_REGION_ID`; [`Client::builder`] sets everything by hand, one
//! by-value method per setting and a `build()` that fails on a bad setting. A client is cheap
//! to clone and shares its connection pool.
//!
//! ```no_run
//! # use aliyun_rpc::{response, ParamValue, Request};
//! # use serde::Deserialize;
//! # #[derive(Debug, Clone, Request)]
//! # #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions",
//! #       response = DescribeRegionsResponse)]
//! # pub struct DescribeRegions { pub accept_language: Option<Language> }
//! # #[derive(Debug, Clone, Copy, ParamValue)]
//! # pub enum Language { #[rpc(rename = "zh-CN")] Chinese, #[rpc(rename = "en-US")] English }
//! # #[derive(Debug, Deserialize)]
//! # #[serde(rename_all = "PascalCase")]
//! # pub struct DescribeRegionsResponse {
//! #     pub request_id: String,
//! #     #[serde(deserialize_with = "response::list")]
//! #     pub regions: Vec<Region>,
//! # }
//! # #[derive(Debug, Deserialize)]
//! # #[serde(rename_all = "PascalCase")]
//! # pub struct Region { pub region_id: String, pub local_name: String }
//! use std::time::Duration;
//!
//! use aliyun_rpc::{Client, Credentials, Format, Method, Network, RetryPolicy};
//!
//! # async fn run() -> Result<(), aliyun_rpc::Error> {
//! let client = Client::from_env()?;
//! let answer = client.call(&DescribeRegions::new()).await?;
//! for region in &answer.regions {
//!     println!("{} {}", region.region_id, region.local_name);
//! }
//!
//! let tuned = Client::builder()
//!     .region("cn-shanghai")
//!     .credentials(Credentials::new("LTAI5tExample", "secret"))
//!     .network(Network::Vpc)                     // https://ecs-vpc.cn-shanghai.aliyuncs.com
//!     .format(Format::Xml)                       // JSON by default
//!     .method(Method::Get)                       // POST by default
//!     .retry(RetryPolicy::default().max_attempts(5))
//!     .attempt_timeout(Duration::from_secs(30))  // one timer per attempt, whole answer
//!     .build()?;
//! println!("{}", tuned.prepare(&DescribeRegions::new()).await?); // a curl command, secrets redacted
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! Every fallible call returns [`Error`]. When the service answered with an error, it holds
//! an [`ApiError`] with the HTTP status, Aliyun's `Code` and `Message`, the `RequestId` and the
//! number of attempts; a `SignatureDoesNotMatch` also says whether the secret is wrong or the
//! request changed on the way. The accessors work on any variant and answer `None` where a
//! part does not apply; [`Error::is_retryable`] says whether trying again may succeed, and
//! [`Error::may_have_run`] whether the request may have run despite the error (the client
//! retries such a failure only for a request that is safe to repeat). The
//! enum and its struct variants are `#[non_exhaustive]`: match with a `_` arm, and `..` in
//! patterns. No secret ever appears in `Display` or `Debug`.
//!
//! ```
//! use aliyun_rpc::error::TransportKind;
//! use aliyun_rpc::Error;
//!
//! fn explain(err: &Error) -> String {
//!     if let Some(api) = err.as_api() {
//!         let id = api.request_id().unwrap_or("none");
//!         return format!("the service said {} (request {id})", api.code());
//!     }
//!     if let Some(param) = err.invalid_param_name() {
//!         return format!("nothing sent: fix `{param}`");
//!     }
//!     match err.transport_kind() {
//!         Some(TransportKind::Timeout) => "no answer in time".to_owned(),
//!         _ => err.to_string(),
//!     }
//! }
//!
//! let err = Error::invalid_param("Filter.3.Value", "at most 128 characters allowed, got 130");
//! assert_eq!(explain(&err), "nothing sent: fix `Filter.3.Value`");
//! assert!(!err.is_retryable());
//! ```
//!
//! # Credentials
//!
//! [`Credentials`] are an access key pair, with an STS security token for temporary ones.
//! The default chain ([`credentials::DefaultChain`], what [`Client::from_env`] uses) asks the
//! configured sources in the official SDKs' order: the `ALIBABA_CLOUD_ACCESS_KEY_ID` /
//! `ALIBABA_CLOUD_ACCESS_KEY_SECRET` variables, an OIDC role (RRSA on Kubernetes: the
//! `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE` variables), the Aliyun CLI's profile, the
//! `~/.alibabacloud/credentials` file, the ECS instance's RAM role, a credentials URI. Each
//! source is also a provider of its own in [`credentials`], and so is STS `AssumeRole`; a
//! provider of temporary credentials goes behind a
//! [`CachedProvider`](credentials::CachedProvider).
//!
//! ```
//! use aliyun_rpc::credentials::{EnvProvider, RamRoleArnProvider};
//! use aliyun_rpc::{Client, Credentials};
//!
//! let fixed = Client::builder()
//!     .region("cn-hangzhou")
//!     .credentials(Credentials::new("LTAI5tExample", "secret"))
//!     .build()?;
//!
//! // A RAM role assumed with the keys in the environment, refreshed before it expires.
//! let role = RamRoleArnProvider::builder(EnvProvider::new(), "acs:ram::123456789012:role/deployer")
//!     .role_session_name("ci")
//!     .build()?
//!     .cached();
//! let assumed = Client::builder().region("cn-hangzhou").credentials_provider(role).build()?;
//! # let _ = (fixed, assumed);
//! # Ok::<(), aliyun_rpc::Error>(())
//! ```
//!
//! # Test against the emulator
//!
//! `aliyun-rpc-emulator` is a local server that checks signatures exactly as Aliyun does and
//! serves a few ECS and STS actions, any action you register, and faults on demand
//! (throttling, 5xx, dropped connections, a skewed clock). Point a client at it: no network,
//! no account.
//!
//! ```
//! # use aliyun_rpc::{response, ParamValue, Request};
//! # use serde::Deserialize;
//! # #[derive(Debug, Clone, Request)]
//! # #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions",
//! #       response = DescribeRegionsResponse)]
//! # pub struct DescribeRegions { pub accept_language: Option<Language> }
//! # #[derive(Debug, Clone, Copy, ParamValue)]
//! # pub enum Language { #[rpc(rename = "zh-CN")] Chinese, #[rpc(rename = "en-US")] English }
//! # #[derive(Debug, Deserialize)]
//! # #[serde(rename_all = "PascalCase")]
//! # pub struct DescribeRegionsResponse {
//! #     pub request_id: String,
//! #     #[serde(deserialize_with = "response::list")]
//! #     pub regions: Vec<Region>,
//! # }
//! # #[derive(Debug, Deserialize)]
//! # #[serde(rename_all = "PascalCase")]
//! # pub struct Region { pub region_id: String, pub local_name: String }
//! use aliyun_rpc::{Client, Credentials};
//! use aliyun_rpc_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;   // 127.0.0.1, a free port
//! let client = Client::builder()
//!     .endpoint(emulator.endpoint())
//!     .credentials(Credentials::new(emulator.access_key_id(), emulator.access_key_secret()))
//!     .build()?;
//! let answer = client.call(&DescribeRegions::new().accept_language(Language::English)).await?;
//! assert!(answer.regions.iter().any(|r| r.region_id == "cn-hangzhou"));
//!
//! // A wrong secret is refused as Aliyun refuses it, and the error says which side is wrong.
//! let wrong = Client::builder()
//!     .endpoint(emulator.endpoint())
//!     .credentials(Credentials::new(emulator.access_key_id(), "not-the-secret"))
//!     .build()?;
//! let err = wrong.call(&DescribeRegions::new()).await.err().ok_or("a wrong secret passed")?;
//! assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
//! assert!(err.to_string().contains("the access key secret is wrong"), "{err}");
//! # Ok(()) }
//! ```
//!
//! # Where things are
//!
//! The crate root holds what a first program types (above). Everything else has one home:
//!
//! | module | what is there |
//! | --- | --- |
//! | [`client`] | [`PreparedRequest`](client::PreparedRequest), a signed request [`Client::prepare`] returns without sending |
//! | [`credentials`] | [`ProvideCredentials`](credentials::ProvideCredentials) and the providers: environment, CLI profile, credentials file, ECS RAM role, STS `AssumeRole`, the default chain, the cache |
//! | [`error`] | the parts of an error a program looks into: [`TransportKind`](error::TransportKind), [`SignatureMismatch`](error::SignatureMismatch), [`ParseEnumError`](error::ParseEnumError) |
//! | [`paginate`] | declared pagination: [`Paginate`](paginate::Paginate), [`PageInfo`](paginate::PageInfo); [`Client::paginate`] follows it |
//! | [`params`] | how values become `Name.N.Key` params, for hand-written impls: [`Flatten`](params::Flatten), [`ParamWriter`](params::ParamWriter), [`KeyPath`](params::KeyPath) |
//! | [`response`](mod@response) | decoding answers: [`decode`](response::decode), [`decode_error`](response::decode_error), [`list`](response::list) for Aliyun's wrapped lists |
//! | [`signing`] | signature v1 as pure stages, for tests and tools |
//! | [`endpoint`] | the rule that picks a product's endpoint |
//! | [`wire`] | the wire format's facts: common params, headers, the timestamp format |
//! | [`limits`] | every limit and timeout the client applies to what servers and files send, with its default |
//! | `blocking` (feature `blocking`) | `blocking::Client`: the same client for a plain `fn main()`, with a runtime of its own |
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

/// A client for programs without an async runtime (feature `blocking`):
/// `aliyun_rpc::blocking::Client::builder()` … `.build()?.call(&request)?`.
#[cfg(feature = "blocking")]
pub use aliyun_rpc_runtime::blocking;
pub use aliyun_rpc_runtime::{
    client, credentials, endpoint, error, limits, paginate, params, response, signing, wire,
};
pub use aliyun_rpc_runtime::{
    ApiError, Client, ClientBuilder, Credentials, DryRun, Error, Format, Method, Network,
    ParamValue, Params, Request, RetryPolicy,
};

/// Derives [`Request`](trait@Request) for a struct of business params, plus a constructor
/// and setters.
///
/// # Container attribute `#[rpc(...)]`
///
/// | key | required | meaning |
/// | --- | --- | --- |
/// | `product = "Ecs"` | yes | the product code, an ASCII identifier (inner `-` allowed: `R-kvstore`) |
/// | `version = "2014-05-26"` | yes | the API version, `YYYY-MM-DD` |
/// | `action = "DescribeRegions"` | yes | the action name, an ASCII identifier |
/// | `response = Type` | yes | the type a successful call decodes into |
/// | `method = "GET"` / `"POST"` | no | pins the HTTP method (otherwise the client's default) |
/// | `idempotent` | no | running the action twice has the effect of running it once, so the client may retry it after an ambiguous failure: sets [`Request::IDEMPOTENT`](trait@Request) to `true` (default: whether the action name starts with `Describe`, `List`, `Get`, `Query` or `Check` followed by an upper-case letter) |
/// | `paginate(page_number, items = "vpcs", item = Vpc)` | no | a list action: implements [`Paginate`](paginate::Paginate) for [`Client::paginate`] in one of three conventions, `page_number`, `next_token` or `marker`; `items` names the response field holding the list, `item` its element type. The request needs the convention's cursor param (`PageNumber`, `NextToken` or `Marker`, by wire name), the response the convention's fields: `page_number`, `page_size`, `total_count`; `next_token`; `marker`, `is_truncated` (any integer, `String` or `bool`, plain or in an `Option`). See [`paginate`] |
/// | `crate = "path"` | no | where the `aliyun_rpc` items live (default `::aliyun_rpc`) |
///
/// A field whose wire name is `DryRun` (a `bool` or `Option<bool>`) also implements
/// [`DryRun`](trait@DryRun), for [`Client::dry_run`].
///
/// # Field attributes `#[rpc(...)]` (same for [`Params`](macro@Params))
///
/// | key | meaning |
/// | --- | --- |
/// | `name = "Filter"` | the wire name; default: the field name in PascalCase (`region_id` → `RegionId`, `r#type` → `Type`) |
/// | `json` | send the value as one JSON string (`InstanceIds=["i-1","i-2"]`); an `Option` field sends nothing when `None` |
/// | `simple` | send a list of single values as one comma-joined param (`ZoneId=a,b,c`); an empty or unset list sends nothing; an item whose wire form contains `,` fails validation; not with `json` |
/// | `max_items = 50` | at most that many items (list fields) |
/// | `min_items = 1` | at least that many items (list fields; an unset `Option` list is not checked); not more than `max_items` |
/// | `min = 1`, `max = 100` | inclusive bounds (number fields; integer or float, negative allowed) |
/// | `max_len = 128` | at most that many characters, not bytes (string fields) |
/// | `secret` | the value is a password or key: the field's type must keep it in a [`params::Secret`] (`Secret<T>`, `Option<Secret<T>>`, `Vec<Secret<T>>`), whose `Debug` shows `** redacted **` (checked at compile time); the value is sent as it is and shown as `** redacted **` in the `curl` rendering of a [`PreparedRequest`](client::PreparedRequest), in errors and in tracing; the setter takes a `&str`; not with `json` |
/// | `body` | on a `Request` field (not in a `Params` struct): the param travels in the form body under signature V3 (Aliyun's metadata: `in: formData`); signature v1 sends every param alike, so `to_params` and v1 requests are unchanged |
/// | `skip` | not a param: not sent, not in the constructor, starts at `Default::default()` |
/// | `client_token` | on one `Option<String>` field of a `Request` (Aliyun's `ClientToken`): left `None`, the client sends a fresh UUID, the same for every retry of one call, so a create runs at most once. A `Request` field whose wire name is `ClientToken` is the client token without the attribute (and must be `Option<String>`) |
///
/// A `Request` field may not use a common param name (`Action`, `Version`, `Format`,
/// `AccessKeyId`, `Signature`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`,
/// `Timestamp`, `SecurityToken`); wire names must be unique, non-empty and free of `.`, `=`,
/// `&` and whitespace (a dotted param such as `SystemDisk.Size` is a field `system_disk` whose
/// type derives [`Params`](macro@Params) with a field `size`). Every mistake is a compile
/// error pointing at the offending token.
///
/// # Generated methods
///
/// - `new(…)` takes every required field (not an `Option`, list, map or `skip`), each as `impl Into<T>`;
/// - an `Option<T>` field `image_id` gets `.image_id(impl Into<T>)`;
/// - a `Vec<T>` field gets a setter named like the field taking `impl IntoIterator<Item = T>`
///   and a push method named after the wire name in snake_case (`name = "Filter"` → `.filter(item)`;
///   `push_<field>` when that is the field's own name); a `&[T]` field gets the setter only;
/// - a map field gets a setter taking `(key, value)` pairs and `.<wire name>_entry(key, value)`;
/// - a field's `#[deprecated]` (any form) is copied onto its setter, push and entry methods,
///   so setting a deprecated param warns at the call site; the generated impls allow
///   `deprecated`, so a deprecated struct, field or variant warns nowhere else.
///
/// ```
/// use aliyun_rpc::{Params, Request};
///
/// #[derive(Debug, serde::Deserialize)]
/// pub struct DescribeInstancesResponse {}
///
/// #[derive(Debug, Clone, Params)]
/// pub struct Tag { pub key: String, pub value: Option<String> }
///
/// #[derive(Debug, Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances",
///       response = DescribeInstancesResponse, method = "POST")]
/// pub struct DescribeInstances {
///     pub region_id: String,
///     #[rpc(json, name = "InstanceIds")]
///     pub instance_ids: Option<Vec<String>>,
///     #[rpc(min = 1, max = 100)]
///     pub page_size: Option<u32>,
///     #[rpc(name = "Tag", max_items = 20)]
///     pub tags: Vec<Tag>,
///     #[rpc(name = "ZoneId", min_items = 1)]
///     pub zone_ids: Option<Vec<String>>,
///     #[rpc(simple)]
///     pub ports: Vec<u16>,
///     #[rpc(max_len = 64)]
///     pub instance_name: Option<String>,
///     #[rpc(skip)]
///     pub note: String,
/// }
///
/// let req = DescribeInstances::new("cn-hangzhou")
///     .instance_ids(vec!["i-1".to_owned(), "i-2".to_owned()])
///     .page_size(10u32)
///     .tag(Tag { key: "env".into(), value: Some("prod".into()) })
///     .ports([22, 443]);
/// assert_eq!(req.to_params(), [
///     ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
///     ("InstanceIds".to_owned(), r#"["i-1","i-2"]"#.to_owned()),
///     ("PageSize".to_owned(), "10".to_owned()),
///     ("Tag.1.Key".to_owned(), "env".to_owned()),
///     ("Tag.1.Value".to_owned(), "prod".to_owned()),
///     ("Ports".to_owned(), "22,443".to_owned()),
/// ]);
/// assert_eq!(DescribeInstances::METHOD, Some(aliyun_rpc::Method::Post));
/// assert!(req.validate().is_ok());
/// assert!(req.clone().page_size(0u32).validate().is_err());
/// assert_eq!(
///     req.clone().zone_ids(Vec::new()).validate().unwrap_err().to_string(),
///     "invalid request parameter `ZoneId`: at least 1 items required, got 0",
/// );
/// ```
pub use aliyun_rpc_macros::Request;

/// Derives [`Params`](trait@Params) (and [`Flatten`](params::Flatten)) for a struct nested in a request:
/// as a field it sends `Name.Field`, as a list item `Name.N.Field`.
///
/// Takes the same field attributes as [`Request`](macro@Request) and generates the same
/// constructor and setters. The only container key is `crate = "path"`. Common param names
/// are allowed here, since they end up under a prefix.
///
/// ```
/// use aliyun_rpc::{Params, Request};
/// use std::collections::BTreeMap;
///
/// #[derive(Debug, serde::Deserialize)]
/// pub struct Empty {}
///
/// #[derive(Debug, Clone, Params)]
/// pub struct DataDisk {
///     pub size: u32,
///     pub category: Option<String>,
///     pub labels: BTreeMap<String, String>,
/// }
///
/// #[derive(Debug, Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "CreateDisks", response = Empty)]
/// pub struct CreateDisks { #[rpc(name = "DataDisk")] pub disks: Vec<DataDisk> }
///
/// let req = CreateDisks::new()
///     .data_disk(DataDisk::new(40u32).category("cloud_essd").labels_entry("team", "a"));
/// assert_eq!(req.to_params(), [
///     ("DataDisk.1.Size".to_owned(), "40".to_owned()),
///     ("DataDisk.1.Category".to_owned(), "cloud_essd".to_owned()),
///     ("DataDisk.1.Labels.team".to_owned(), "a".to_owned()),
/// ]);
/// ```
pub use aliyun_rpc_macros::Params;

/// Derives [`ParamValue`](trait@ParamValue), `as_str`, `Display` and `FromStr` for an enum
/// of unit variants, with at most one catch-all variant.
///
/// # Variant attributes `#[rpc(...)]`
///
/// | key | meaning |
/// | --- | --- |
/// | `rename = "cloud_essd"` | the wire value; default: the variant name. Wire values must be unique |
/// | `other` | on one variant of the form `Other(String)`: the catch-all for values the enum does not list (Aliyun adds values over time) |
///
/// Without a catch-all, `as_str` is a `const fn` returning `&'static str`, and `FromStr`
/// accepts exactly the wire values and fails with a [`ParseEnumError`](error::ParseEnumError). With one, a value
/// the enum does not list parses (`FromStr`, with `Err = Infallible`) into it and is sent
/// back unchanged; `as_str` returns `&str`, and the enum also implements `From<&str>` and
/// `From<String>`, so that setters take a plain string. A listed value always parses to its
/// own variant, never to the catch-all. The only container key is `crate = "path"`.
///
/// ```
/// use aliyun_rpc::ParamValue;
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, ParamValue)]
/// pub enum DiskCategory {
///     #[rpc(rename = "cloud_essd")]
///     CloudEssd,
///     #[rpc(rename = "cloud")]
///     Cloud,
/// }
///
/// assert_eq!(DiskCategory::CloudEssd.as_str(), "cloud_essd");
/// assert_eq!(DiskCategory::Cloud.to_string(), "cloud");
/// assert_eq!("cloud_essd".parse(), Ok(DiskCategory::CloudEssd));
/// assert_eq!(
///     "CloudEssd".parse::<DiskCategory>().unwrap_err().to_string(),
///     "unknown `DiskCategory` value `CloudEssd`; expected one of `cloud_essd`, `cloud`",
/// );
///
/// #[derive(Debug, Clone, PartialEq, Eq, ParamValue)]
/// pub enum InstanceStatus {
///     Running,
///     Stopped,
///     /// A status this version does not know yet.
///     #[rpc(other)]
///     Other(String),
/// }
///
/// assert_eq!("Running".parse(), Ok(InstanceStatus::Running));
/// let later = InstanceStatus::from("Hibernated");
/// assert_eq!(later, InstanceStatus::Other("Hibernated".to_owned()));
/// assert_eq!(later.as_str(), "Hibernated");
/// ```
pub use aliyun_rpc_macros::ParamValue;

/// Makes a struct an Aliyun response type, so that it decodes Aliyun's JSON and XML alike:
///
/// - `#[serde(rename_all = "PascalCase")]` (Aliyun's names: `request_id` reads `RequestId`),
///   unless the struct sets its own `rename_all`;
/// - `#[derive(Deserialize)]` (serde's, reached through this crate: no `serde` dependency
///   needed), unless the struct derives a `Deserialize` already;
/// - on every `Vec<T>` field that has no `#[serde(...)]` of its own,
///   `#[serde(default, deserialize_with = "aliyun_rpc::response::list")]`: Aliyun wraps
///   lists (`"Vpcs":{"Vpc":[…]}`, `<Vpcs><Vpc>…</Vpc></Vpcs>`), and an absent or empty
///   wrapper is an empty list. A bare list with `#[serde(default)]` is left as written.
///
/// It takes no arguments; other derives and attributes are kept as written. Put it above
/// the `#[derive(...)]`: an attribute macro does not see the derives written above it, so
/// below a `#[derive(serde::Deserialize)]` it would add a second one (rustc then reports
/// "conflicting implementations of trait `Deserialize`").
///
/// ```
/// use aliyun_rpc::{response, Format};
///
/// #[aliyun_rpc::response]
/// #[derive(Debug, PartialEq)]
/// pub struct DescribeVpcsResponse {
///     pub request_id: String,
///     pub total_count: Option<i32>,
///     pub vpcs: Vec<Vpc>,
/// }
///
/// #[aliyun_rpc::response]
/// #[derive(Debug, PartialEq)]
/// pub struct Vpc {
///     pub vpc_id: String,
///     pub cidr_block: Option<String>,
/// }
///
/// let json = r#"{"RequestId":"R1","TotalCount":2,"Vpcs":{"Vpc":[{"VpcId":"vpc-1"},{"VpcId":"vpc-2","CidrBlock":"10.0.0.0/8"}]}}"#;
/// let xml = "<DescribeVpcsResponse><RequestId>R1</RequestId><TotalCount>2</TotalCount><Vpcs>\
///     <Vpc><VpcId>vpc-1</VpcId></Vpc><Vpc><VpcId>vpc-2</VpcId><CidrBlock>10.0.0.0/8</CidrBlock></Vpc>\
///     </Vpcs></DescribeVpcsResponse>";
/// let a: DescribeVpcsResponse = response::decode(Format::Json, 200, json.as_bytes())?;
/// let b: DescribeVpcsResponse = response::decode(Format::Xml, 200, xml.as_bytes())?;
/// assert_eq!(a, b);
/// assert_eq!(a.vpcs[1].cidr_block.as_deref(), Some("10.0.0.0/8"));
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
pub use aliyun_rpc_macros::response;

#[doc(hidden)]
pub use aliyun_rpc_runtime::__private;
