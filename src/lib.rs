//! Typed, compile-time-checked calls to Alibaba Cloud (Aliyun) RPC-style APIs.
//!
//! Write one struct per API action, derive [`Request`], and get:
//!
//! - query serialization, with `Filter.N.Key` list flattening ([`params`]);
//! - a constructor that takes every required param, and a setter for each optional one;
//! - compile-time errors for every mistake in the definition.
//!
//! ```
//! use aliyun_rpc::{ParamValue, Params, Request};
//!
//! #[derive(Debug, serde::Deserialize)]
//! pub struct Response {}
//!
//! #[derive(Debug, Clone, Request)]
//! #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes",
//!       response = Response)]
//! pub struct DescribeImageSupportInstanceTypes {
//!     pub region_id: String,
//!     pub action_type: Option<ActionType>,
//!     #[rpc(name = "Filter", max_items = 50)]
//!     pub filters: Vec<Filter>,
//!     pub image_id: Option<String>,
//! }
//!
//! #[derive(Debug, Clone, Params)]
//! pub struct Filter { pub key: String, pub value: String }
//!
//! #[derive(Debug, Clone, Copy, ParamValue)]
//! pub enum ActionType { CreateEcs, Upgrade, Downgrade, RenewDowngrade }
//!
//! let req = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
//!     .image_id("m-imageid1")
//!     .filter(Filter { key: "CreationStartTime".into(), value: "2017-12-05T22:40:00Z".into() });
//! assert_eq!(req.to_params()[0], ("RegionId".to_owned(), "cn-hangzhou".to_owned()));
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

pub use aliyun_rpc_runtime::{
    client, credentials, endpoint, error, params, request, response, retry, signing, wire,
};
pub use aliyun_rpc_runtime::{
    ApiError, CachedProvider, Client, ClientBuilder, Credentials, DefaultChain, Error, Flatten,
    Format, Method, ParamValue, ParamWriter, Params, ParseEnumError, PreparedRequest,
    ProvideCredentials, Request, RetryPolicy, SignatureMismatch, TransportKind,
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
/// | `crate = "path"` | no | where the `aliyun_rpc` items live (default `::aliyun_rpc`) |
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
/// | `secret` | the value is a password or key: the field's type must keep it in a [`params::Secret`] (`Secret<T>`, `Option<Secret<T>>`, `Vec<Secret<T>>`), whose `Debug` shows `** redacted **` (checked at compile time); the value is sent as it is and shown as `** redacted **` in the `curl` rendering of a [`PreparedRequest`], in errors and in tracing; the setter takes a `&str`; not with `json` |
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

/// Derives [`Params`](trait@Params) (and [`Flatten`]) for a struct nested in a request:
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
/// accepts exactly the wire values and fails with a [`ParseEnumError`]. With one, a value
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

#[doc(hidden)]
pub use aliyun_rpc_runtime::__private;
