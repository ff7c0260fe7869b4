//! A local Alibaba Cloud (Aliyun) RPC API server that verifies signatures exactly like
//! Aliyun: for examples, tests, and your own tests.
//!
//! It listens on `127.0.0.1`, accepts `GET` and `POST` calls signed with signature v1
//! (HMAC-SHA1) or signature V3 (`Authorization: ACS3-HMAC-SHA256 …`, what Aliyun's current
//! official SDKs send by default) on the same endpoint, runs Aliyun's checks in Aliyun's
//! order (for v1: mandatory params, signature method and version, access key and STS token,
//! timestamp window, signature, nonce replay, action and version; V3's are in the README)
//! and answers in the requested format (v1: XML unless `Format=JSON`; V3: a `Format` param,
//! else the `Accept` header), with Aliyun's error codes. In schema mode it serves every action
//! of Aliyun's API metadata (`api-docs.json`: ECS `2014-05-26` built in, more with
//! [`EmulatorBuilder::api_docs`]), checking each call against the action's definition
//! (required params, types, bounds, lists, and params the action does not declare, refused
//! with the closest declared name unless [`EmulatorBuilder::allow_undeclared_params`]) and
//! answering `DryRun` and the metadata's example. It serves ECS `2014-05-26`
//! `DescribeRegions`, `DescribeImageSupportInstanceTypes` and `CreateSecurityGroup`
//! (idempotent with `ClientToken`), STS `2015-04-01` `AssumeRole` (credentials it then
//! accepts until they expire) and the anonymous `AssumeRoleWithOIDC` (for the tokens
//! registered with [`EmulatorBuilder::oidc_token`]) out of the box, and any action you
//! register with [`EmulatorBuilder::handler`]. It can also serve the ECS instance metadata
//! service for a RAM role ([`EmulatorBuilder::ecs_ram_role`]) and a credentials URI
//! ([`EmulatorBuilder::credentials_uri`]), and misbehave on purpose ([`Faults`]).
//! Hostile clients get bounded sizes, counts and waits ([`MAX_PARAMS`],
//! [`EmulatorBuilder::max_body_bytes`], [`EmulatorBuilder::header_read_timeout`],
//! [`EmulatorBuilder::max_connections`], …), refused before any signature work.
//!
//! A whole signed call, made by hand with the runtime's signer:
//!
//! ```
//! use aliyun_rpc_emulator::Emulator;
//! use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//!
//! let timestamp = time::OffsetDateTime::now_utc()
//!     .format(time::macros::format_description!(
//!         "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
//!     ))?;
//! let mut params: Vec<(String, String)> = [
//!     ("Action", "DescribeRegions"), ("Version", "2014-05-26"), ("Format", "JSON"),
//!     ("AccessKeyId", emulator.access_key_id()), ("SignatureMethod", "HMAC-SHA1"),
//!     ("SignatureVersion", "1.0"), ("SignatureNonce", "9d4ef1d0-5f5c-4a0b-8e4b-3b1a7c2d9e10"),
//!     ("Timestamp", &timestamp),
//! ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//! let signature = sign(&string_to_sign("GET", &params), emulator.access_key_secret());
//! params.push(("Signature".into(), signature));
//! let query: Vec<String> =
//!     params.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
//!
//! let response = reqwest::get(format!("{}/?{}", emulator.endpoint(), query.join("&"))).await?;
//! assert_eq!(response.status(), 200);
//! let body = response.text().await?;
//! assert!(body.contains(r#""RegionId":"cn-hangzhou""#));
//! assert_eq!(emulator.request_count(), 1);
//!
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The same call signed with V3, by the runtime's pure V3 stages:
//!
//! ```
//! use aliyun_rpc_emulator::Emulator;
//! use aliyun_rpc_runtime::signing::v3::{
//!     hashed_payload, sign, Authorization, CanonicalHeaders, CanonicalRequest, StringToSign,
//! };
//! use aliyun_rpc_runtime::signing::CanonicalQuery;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//! let host = emulator.endpoint().trim_start_matches("http://");
//! let date = aliyun_rpc_runtime::wire::format_timestamp(time::OffsetDateTime::now_utc());
//! let payload = hashed_payload(b"");
//! let headers = [
//!     ("host", host), ("x-acs-action", "DescribeRegions"), ("x-acs-version", "2014-05-26"),
//!     ("x-acs-date", date.as_str()), ("x-acs-signature-nonce", "0f2c4c6e2d6a4a0e9a3b1c5d7e9f1a3b"),
//!     ("x-acs-content-sha256", payload.as_str()),
//! ];
//! let none: [(&str, &str); 0] = [];
//! let canonical = CanonicalRequest::new(
//!     "GET", "/", &CanonicalQuery::new(&none), &CanonicalHeaders::new(&headers), &payload,
//! );
//! let signature = sign(StringToSign::new(&canonical).as_str(), emulator.access_key_secret());
//! let authorization =
//!     Authorization::new(emulator.access_key_id(), canonical.signed_headers(), &signature);
//!
//! let mut request = reqwest::Client::new()
//!     .get(format!("{}/", emulator.endpoint()))
//!     .header("authorization", authorization.as_str())
//!     .header("accept", "application/json");
//! for (name, value) in &headers[1..] {
//!     request = request.header(*name, *value);
//! }
//! let response = request.send().await?;
//! assert_eq!(response.status(), 200);
//! assert!(response.text().await?.contains(r#""RegionId":"cn-hangzhou""#));
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

mod anonymous;
mod builder;
mod clock;
mod credentials_uri;
mod dispatch;
mod ecs;
mod emulator;
mod error;
mod faults;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz;
mod handler_params;
mod ids;
mod imds;
mod incoming;
mod keys;
mod limits;
mod nonces;
mod params;
mod refusal;
mod request;
mod response;
mod rpc;
mod schema;
mod schema_answer;
mod schema_check;
mod schema_errors;
mod security_group;
mod server;
mod shared;
mod sts;
mod suggest;
mod sync;
mod verify;
mod verify_v3;
mod wire;
mod xml;

pub use builder::{
    EmulatorBuilder, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_TIMESTAMP_WINDOW,
};
pub use emulator::Emulator;
pub use error::{ApiError, StartError};
pub use faults::{Faults, LostAnswer};
pub use handler_params::ListItem;
pub use imds::DEFAULT_ECS_RAM_ROLE;
pub use limits::{
    DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONNECTIONS, MAX_CLOCK_SKEW_SECS, MAX_HEAD_BYTES, MAX_NONCE_LEN, MAX_PARAMS,
    STRING_TO_SIGN_ECHO_LIMIT,
};
pub use request::{EmulatorRequest, SignatureVersion};
pub use security_group::SecurityGroup;
