//! The metadata copies this project vendors (`metadata/data/`, see its README for source,
//! date and what was stripped), as text to parse with
//! [`ApiDocs::from_json_named`](crate::ApiDocs::from_json_named).
//!
//! ```
//! use aliyun_rpc_metadata::{vendored, ApiDocs};
//!
//! let ecs = ApiDocs::from_json_named(vendored::ECS_2014_05_26, vendored::ECS_2014_05_26_FILE)?;
//! assert_eq!((ecs.info.product.as_str(), ecs.info.version.as_str()), ("Ecs", "2014-05-26"));
//! assert_eq!(ecs.apis.len(), 347);
//! # Ok::<(), aliyun_rpc_metadata::Error>(())
//! ```

/// ECS 2014-05-26, stripped (`data/ecs-2014-05-26.json`).
pub const ECS_2014_05_26: &str = include_str!("../data/ecs-2014-05-26.json");
/// The file name of [`ECS_2014_05_26`].
pub const ECS_2014_05_26_FILE: &str = "ecs-2014-05-26.json";

/// NLB 2022-04-30, stripped (`data/nlb-2022-04-30.json`): params `in: formData`.
pub const NLB_2022_04_30: &str = include_str!("../data/nlb-2022-04-30.json");
/// The file name of [`NLB_2022_04_30`].
pub const NLB_2022_04_30_FILE: &str = "nlb-2022-04-30.json";

/// Every vendored copy as `(file name, text)`, ordered by file name.
pub const ALL: &[(&str, &str)] = &[
    (ECS_2014_05_26_FILE, ECS_2014_05_26),
    (NLB_2022_04_30_FILE, NLB_2022_04_30),
];
