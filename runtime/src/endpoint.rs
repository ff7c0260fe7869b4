//! Where a call goes: `https://{product}.{region}.aliyuncs.com`, unless overridden.

use crate::error::Error;

/// The endpoint URL (scheme and host, no path) for `product` in `region`.
///
/// ```
/// use aliyun_rpc::endpoint::resolve;
/// assert_eq!(resolve("Ecs", Some("cn-hangzhou"))?, "https://ecs.cn-hangzhou.aliyuncs.com");
/// assert!(resolve("Ecs", None).is_err());
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
pub fn resolve(product: &str, region: Option<&str>) -> Result<String, Error> {
    let Some(region) = region.filter(|r| !r.is_empty()) else {
        return Err(Error::config(format!(
            "no region for product `{product}`: set one with `ClientBuilder::region` or ALIBABA_CLOUD_REGION_ID, or set an endpoint"
        )));
    };
    if !region
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::config(format!(
            "region `{region}` is not a region id like `cn-hangzhou`"
        )));
    }
    Ok(format!(
        "https://{}.{}.aliyuncs.com",
        product.to_ascii_lowercase(),
        region.to_ascii_lowercase()
    ))
}
