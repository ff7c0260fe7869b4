//! The built-in ECS (`2014-05-26`) actions: `DescribeRegions` and
//! `DescribeImageSupportInstanceTypes`, over the dataset in `data/`.
//!
//! The rules for `DescribeImageSupportInstanceTypes` follow the API reference
//! (<https://help.aliyun.com/document_detail/25620.html>, the seed page); where the page
//! does not say which input causes an error, the choice is written next to the check and
//! in the crate's README.

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{json, Number, Value};
use time::macros::format_description;
use time::PrimitiveDateTime;

use crate::error::ApiError;
use crate::request::EmulatorRequest;
use crate::wire::parse_timestamp;

/// The product name, as the `Recommend` link spells it.
pub(crate) const PRODUCT: &str = "Ecs";
/// The ECS API version the built-in actions answer.
pub(crate) const VERSION: &str = "2014-05-26";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Region {
    region_id: String,
    local_name: String,
    local_name_en: String,
    region_endpoint: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Family {
    instance_type_family: String,
    /// `None`: offered in every region.
    regions: Option<Vec<String>>,
    instance_types: Vec<InstanceType>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InstanceType {
    instance_type_id: String,
    cpu_core_count: u32,
    /// GiB; kept as written in the data so `1` stays `1` and `0.5` stays `0.5` on the wire.
    memory_size: Number,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Image {
    image_id: String,
    /// A custom image reports the public image it was built from (the seed example).
    source_image_id: Option<String>,
    /// `None`: a public image, in every region.
    regions: Option<Vec<String>>,
    instance_type_families: Vec<String>,
}

struct Dataset {
    regions: Vec<Region>,
    families: Vec<Family>,
    images: Vec<Image>,
}

/// The data files are part of the crate and parsed once; `dataset_parses` pins them, so
/// an error means a broken build of the crate, and answers `InternalError`.
static DATA: LazyLock<Result<Dataset, String>> = LazyLock::new(|| {
    Ok(Dataset {
        regions: parse(include_str!("data/regions.json"), "regions.json")?,
        families: parse(
            include_str!("data/instance_types.json"),
            "instance_types.json",
        )?,
        images: parse(include_str!("data/images.json"), "images.json")?,
    })
});

fn parse<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<Vec<T>, String> {
    serde_json::from_str(text)
        .map_err(|err| format!("emulator data file src/data/{file} is invalid: {err}"))
}

/// The dataset.
fn data() -> Result<&'static Dataset, ApiError> {
    DATA.as_ref()
        .map_err(|err| ApiError::internal(err.as_str()))
}

/// The request's `RegionId`: present (else `MissingParameter`) and a region the
/// dataset knows (`InvalidRegionId.NotFound`).
pub(crate) fn require_region(req: &EmulatorRequest) -> Result<&str, ApiError> {
    let region_id = req
        .region_id()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::missing_parameter("RegionId"))?;
    if data()?.regions.iter().any(|r| r.region_id == region_id) {
        Ok(region_id)
    } else {
        Err(region_not_found())
    }
}

fn invalid_parameter() -> ApiError {
    // Sic: `InvalidParamter` is how the ECS API spells it (see the seed page).
    ApiError::bad_request("InvalidParamter", "Invalid Parameter")
}

fn region_not_found() -> ApiError {
    ApiError::not_found(
        "InvalidRegionId.NotFound",
        "The specified RegionId does not exist.",
    )
}

/// `DescribeRegions`: every region, `LocalName` in Chinese unless `AcceptLanguage=en-US`.
pub(crate) fn describe_regions(req: &EmulatorRequest) -> Result<Value, ApiError> {
    let english = req.param("AcceptLanguage") == Some("en-US");
    let regions: Vec<Value> = data()?
        .regions
        .iter()
        .map(|r| {
            json!({
                "RegionId": r.region_id,
                "LocalName": if english { &r.local_name_en } else { &r.local_name },
                "RegionEndpoint": r.region_endpoint,
            })
        })
        .collect();
    Ok(json!({ "Regions": { "Region": regions } }))
}

/// The `ActionType` values the API reference lists; `CreateEcs` is the default.
const ACTION_TYPES: [&str; 4] = ["CreateEcs", "Upgrade", "Downgrade", "RenewDowngrade"];
/// The resource types the seed's `InvalidUsage` error names.
const USAGES: [&str; 4] = ["image", "disk", "image_disk", "none"];

/// One `Filter.N.Key` / `Filter.N.Value` pair, checked.
#[derive(Debug, PartialEq)]
enum Filter {
    Family(String),
    TypeId(String),
    CpuCoreCount(u32),
    MemorySize(f64),
    /// `CreationStartTime` / `CreationEndTime`: accepted and checked, no effect here.
    CreationTime,
}

impl Filter {
    fn parse(key: &str, value: &str) -> Result<Filter, ApiError> {
        match key {
            "InstanceTypeFamily" => Ok(Filter::Family(value.to_owned())),
            "InstanceTypeId" => {
                let known = data()?
                    .families
                    .iter()
                    .flat_map(|f| &f.instance_types)
                    .any(|t| t.instance_type_id == value);
                if known {
                    Ok(Filter::TypeId(value.to_owned()))
                } else {
                    Err(ApiError::bad_request(
                        "InvalidInstanceType.ValueNotSupported",
                        "The specified InstanceType does not exist or beyond the permitted range.",
                    ))
                }
            }
            "CpuCoreCount" => value
                .parse()
                .map(Filter::CpuCoreCount)
                .map_err(|_| invalid_parameter()),
            "MemorySize" => match value.parse::<f64>() {
                Ok(size) if size.is_finite() && size >= 0.0 => Ok(Filter::MemorySize(size)),
                _ => Err(invalid_parameter()),
            },
            "CreationStartTime" | "CreationEndTime" => {
                // ECS time filters take `YYYY-MM-DDThh:mmZ`; the seed shows seconds too.
                let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]Z");
                if PrimitiveDateTime::parse(value, minutes).is_ok()
                    || parse_timestamp(value).is_some()
                {
                    Ok(Filter::CreationTime)
                } else {
                    Err(invalid_parameter())
                }
            }
            _ => Err(invalid_parameter()),
        }
    }

    fn matches(&self, family: &Family, t: &InstanceType) -> bool {
        match self {
            Filter::Family(name) => family.instance_type_family == *name,
            Filter::TypeId(id) => t.instance_type_id == *id,
            Filter::CpuCoreCount(n) => t.cpu_core_count == *n,
            Filter::MemorySize(gib) => t.memory_size.as_f64() == Some(*gib),
            Filter::CreationTime => true,
        }
    }
}

/// Reads `Filter.N.Key` / `Filter.N.Value` (N from 1): every key needs its value and the
/// other way round; any other `Filter.…` param is refused.
fn parse_filters(req: &EmulatorRequest) -> Result<Vec<Filter>, ApiError> {
    let mut pairs: Vec<(u32, Option<&str>, Option<&str>)> = Vec::new();
    for (name, value) in req.params() {
        let Some(rest) = name.strip_prefix("Filter.") else {
            continue;
        };
        let (n, field) = rest.split_once('.').ok_or_else(invalid_parameter)?;
        let n: u32 = n.parse().map_err(|_| invalid_parameter())?;
        if n == 0 {
            return Err(invalid_parameter());
        }
        let slot = match pairs.iter().position(|(m, _, _)| *m == n) {
            Some(i) => &mut pairs[i],
            None => {
                pairs.push((n, None, None));
                let last = pairs.len() - 1;
                &mut pairs[last]
            }
        };
        match field {
            "Key" => slot.1 = Some(value),
            "Value" => slot.2 = Some(value),
            _ => return Err(invalid_parameter()),
        }
    }
    pairs.sort_by_key(|(n, _, _)| *n);
    pairs
        .into_iter()
        .map(|(_, key, value)| match (key, value) {
            (Some(key), Some(value)) => Filter::parse(key, value),
            _ => Err(invalid_parameter()),
        })
        .collect()
}

/// `DescribeImageSupportInstanceTypes`: the instance types an image can run on in a region.
pub(crate) fn describe_image_support_instance_types(
    req: &EmulatorRequest,
) -> Result<Value, ApiError> {
    let region_id = require_region(req)?;
    let data = data()?;
    if let Some(action_type) = req.param("ActionType") {
        if !ACTION_TYPES.contains(&action_type) {
            return Err(invalid_parameter());
        }
    }
    if let Some(usage) = req.param("Usage") {
        if !USAGES.contains(&usage) {
            return Err(ApiError::not_found(
                "InvalidUsage",
                "The specifed Usage is not valid",
            ));
        }
    }
    let filters = parse_filters(req)?;

    let in_region = |regions: &Option<Vec<String>>| {
        regions
            .as_ref()
            .is_none_or(|list| list.iter().any(|r| r == region_id))
    };
    let image = match req.param("ImageId").filter(|id| !id.is_empty()) {
        None => None,
        Some(image_id) => Some(
            data.images
                .iter()
                .find(|i| i.image_id == image_id && in_region(&i.regions))
                .ok_or_else(|| {
                    ApiError::not_found(
                        "InvalidImageId.NotFound",
                        "The specified ImageId does not exist.",
                    )
                })?,
        ),
    };

    let instance_types: Vec<Value> = data
        .families
        .iter()
        .filter(|f| in_region(&f.regions))
        .filter(|f| {
            image.is_none_or(|i| i.instance_type_families.contains(&f.instance_type_family))
        })
        .flat_map(|f| f.instance_types.iter().map(move |t| (f, t)))
        .filter(|(f, t)| filters.iter().all(|filter| filter.matches(f, t)))
        .map(|(f, t)| {
            json!({
                "InstanceTypeId": t.instance_type_id,
                "CpuCoreCount": t.cpu_core_count,
                "MemorySize": t.memory_size,
                "InstanceTypeFamily": f.instance_type_family,
            })
        })
        .collect();

    let mut body = json!({
        "RegionId": region_id,
        "InstanceTypes": { "InstanceType": instance_types },
    });
    if let Some(image) = image {
        let reported = image.source_image_id.as_ref().unwrap_or(&image.image_id);
        body["ImageId"] = Value::String(reported.clone());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(params: &[(&str, &str)]) -> EmulatorRequest {
        let mut all = vec![
            (
                "Action".to_owned(),
                "DescribeImageSupportInstanceTypes".to_owned(),
            ),
            ("Version".to_owned(), VERSION.to_owned()),
        ];
        all.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        EmulatorRequest::new("GET", all)
    }

    fn type_ids(body: &Value) -> Vec<&str> {
        body["InstanceTypes"]["InstanceType"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["InstanceTypeId"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn dataset_parses() {
        let data = data().unwrap();
        assert!(data.regions.len() >= 8);
        assert!(data.families.len() >= 4);
        assert!(data.images.len() >= 2);
        for image in &data.images {
            for family in &image.instance_type_families {
                assert!(
                    data.families
                        .iter()
                        .any(|f| f.instance_type_family == *family),
                    "{} names unknown family {family}",
                    image.image_id
                );
            }
        }
    }

    #[test]
    fn seed_example_returns_seed_values() {
        let body = describe_image_support_instance_types(&request(&[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", "m-imageid1"),
        ]))
        .unwrap();
        assert_eq!(
            body,
            json!({
                "ImageId": "ubuntu_16_0402_64_20G_alibase_20180409.vhd",
                "InstanceTypes": {"InstanceType": [
                    {"CpuCoreCount": 1, "InstanceTypeFamily": "ecs.t1",
                     "InstanceTypeId": "ecs.t1.xsmall", "MemorySize": 0.5},
                    {"CpuCoreCount": 1, "InstanceTypeFamily": "ecs.t1",
                     "InstanceTypeId": "ecs.t1.small", "MemorySize": 1},
                ]},
                "RegionId": "cn-hangzhou",
            })
        );
        assert_eq!(
            body["InstanceTypes"].to_string(),
            r#"{"InstanceType":[{"CpuCoreCount":1,"InstanceTypeFamily":"ecs.t1","InstanceTypeId":"ecs.t1.xsmall","MemorySize":0.5},{"CpuCoreCount":1,"InstanceTypeFamily":"ecs.t1","InstanceTypeId":"ecs.t1.small","MemorySize":1}]}"#
        );
    }

    #[test]
    fn filters_narrow_the_list() {
        let body = describe_image_support_instance_types(&request(&[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", "centos_7_9_x64_20G_alibase_20240628.vhd"),
            ("Filter.1.Key", "InstanceTypeFamily"),
            ("Filter.1.Value", "ecs.g6"),
            ("Filter.2.Key", "CpuCoreCount"),
            ("Filter.2.Value", "4"),
            ("Filter.3.Key", "CreationStartTime"),
            ("Filter.3.Value", "2017-12-05T22:40:00Z"),
        ]))
        .unwrap();
        assert_eq!(type_ids(&body), ["ecs.g6.xlarge"]);

        let body = describe_image_support_instance_types(&request(&[
            ("RegionId", "cn-shanghai"),
            ("ImageId", "m-imageid2"),
            ("Filter.1.Key", "MemorySize"),
            ("Filter.1.Value", "16"),
        ]))
        .unwrap();
        assert_eq!(type_ids(&body), ["ecs.g6.xlarge", "ecs.c6.2xlarge"]);
        assert_eq!(body["ImageId"], "m-imageid2");
    }

    #[test]
    fn errors() {
        let code = |params: &[(&str, &str)]| {
            describe_image_support_instance_types(&request(params))
                .unwrap_err()
                .code()
                .to_owned()
        };
        assert_eq!(code(&[]), "MissingRegionId");
        assert_eq!(code(&[("RegionId", "mars-1")]), "InvalidRegionId.NotFound");
        assert_eq!(
            code(&[("RegionId", "cn-hangzhou"), ("ActionType", "Destroy")]),
            "InvalidParamter"
        );
        assert_eq!(
            code(&[("RegionId", "cn-hangzhou"), ("Usage", "snapshot")]),
            "InvalidUsage"
        );
        assert_eq!(
            code(&[("RegionId", "cn-hangzhou"), ("ImageId", "m-nope")]),
            "InvalidImageId.NotFound"
        );
        assert_eq!(
            code(&[("RegionId", "cn-shenzhen"), ("ImageId", "m-imageid1")]),
            "InvalidImageId.NotFound"
        );
        assert_eq!(
            code(&[
                ("RegionId", "cn-hangzhou"),
                ("Filter.1.Key", "InstanceTypeId"),
                ("Filter.1.Value", "ecs.x9.huge"),
            ]),
            "InvalidInstanceType.ValueNotSupported"
        );
        for bad in [
            &[("Filter.1.Key", "Colour"), ("Filter.1.Value", "red")][..],
            &[("Filter.1.Key", "CpuCoreCount")],
            &[("Filter.1.Key", "CpuCoreCount"), ("Filter.1.Value", "two")],
            &[("Filter.1.Key", "MemorySize"), ("Filter.1.Value", "lots")],
            &[
                ("Filter.1.Key", "CreationEndTime"),
                ("Filter.1.Value", "yesterday"),
            ],
            &[("Filter.0.Key", "CpuCoreCount"), ("Filter.0.Value", "1")],
            &[("Filter.x.Key", "CpuCoreCount"), ("Filter.x.Value", "1")],
        ] {
            let mut params = vec![("RegionId", "cn-hangzhou")];
            params.extend_from_slice(bad);
            assert_eq!(code(&params), "InvalidParamter", "{bad:?}");
        }
    }

    #[test]
    fn every_action_type_is_accepted() {
        for action_type in ACTION_TYPES {
            let body = describe_image_support_instance_types(&request(&[
                ("RegionId", "cn-hangzhou"),
                ("ImageId", "m-imageid1"),
                ("ActionType", action_type),
            ]))
            .unwrap();
            assert_eq!(type_ids(&body), ["ecs.t1.xsmall", "ecs.t1.small"]);
        }
    }

    #[test]
    fn regions_in_both_languages() {
        let zh = describe_regions(&request(&[])).unwrap();
        let regions = zh["Regions"]["Region"].as_array().unwrap();
        let hangzhou = regions
            .iter()
            .find(|r| r["RegionId"] == "cn-hangzhou")
            .unwrap();
        assert_eq!(hangzhou["LocalName"], "华东1（杭州）");
        assert_eq!(hangzhou["RegionEndpoint"], "ecs.aliyuncs.com");
        let en = describe_regions(&request(&[("AcceptLanguage", "en-US")])).unwrap();
        assert_eq!(en["Regions"]["Region"][4]["LocalName"], "China (Hangzhou)");
    }
}
