//! Where the providers that call STS (`AssumeRole`, `AssumeRoleWithOIDC`) send their call,
//! as the official credentials libraries choose it: an explicit endpoint, else STS in a
//! region (`sts.{region}.aliyuncs.com`, or `sts-vpc.{region}.aliyuncs.com` inside a VPC),
//! else the central `sts.aliyuncs.com`. The variables `ALIBABA_CLOUD_STS_ENDPOINT`,
//! `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` fill in what a profile
//! does not say.

use super::env::Vars;
use crate::error::Error;

/// The central STS endpoint.
pub(crate) const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";

/// An STS endpoint, a host (`sts-vpc.cn-hangzhou.aliyuncs.com`, given `https://`) or a
/// `scheme://host[:port]` URL (which is how a test points a provider at an emulator).
pub(crate) const ENDPOINT_VAR: &str = "ALIBABA_CLOUD_STS_ENDPOINT";
/// The region whose STS endpoint to call, when no endpoint is set.
pub(crate) const REGION_VAR: &str = "ALIBABA_CLOUD_STS_REGION";
/// `true`: a region's STS is called at its VPC endpoint.
pub(crate) const VPC_VAR: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";

/// What decides the STS endpoint, as a builder collects it.
#[derive(Debug, Clone, Default)]
pub(crate) struct StsLocation {
    /// `scheme://host[:port]`, or why the endpoint given is refused (the endpoint itself is
    /// not kept, as it may hold user-info).
    pub(crate) endpoint: Option<Result<String, String>>,
    pub(crate) region: Option<String>,
    pub(crate) vpc: bool,
}

impl StsLocation {
    /// Sets the endpoint, checked as an endpoint override.
    pub(crate) fn set_endpoint(&mut self, endpoint: &str) {
        self.endpoint = Some(
            crate::endpoint::parse_override(endpoint).map_err(|e| match e {
                Error::Config { message } => message,
                other => other.to_string(),
            }),
        );
    }

    /// Fills in from the variables what is not set: the endpoint variable, unless a region
    /// is set; then the region variable; the VPC flag when either says so.
    pub(crate) fn with_vars(mut self, vars: &Vars) -> Self {
        if self.endpoint.is_none() && self.region.is_none() {
            if let Some(endpoint) = vars.get(ENDPOINT_VAR) {
                self.set_endpoint(&endpoint);
            } else {
                self.region = vars.get(REGION_VAR).map(|r| r.trim().to_owned());
            }
        }
        self.vpc = self.vpc || vars.is_true(VPC_VAR);
        self
    }

    /// The endpoint, `scheme://host[:port]`; an error for a malformed endpoint or region.
    pub(crate) fn resolve(&self) -> Result<String, Error> {
        match (&self.endpoint, &self.region) {
            (Some(Ok(endpoint)), _) => Ok(endpoint.clone()),
            (Some(Err(message)), _) => Err(Error::Config {
                message: message.clone(),
            }),
            // STS is central by the endpoint table; a chosen region asks for its own host.
            (None, Some(region)) if self.vpc => crate::endpoint::regional("Sts-vpc", region),
            (None, Some(region)) => crate::endpoint::regional("Sts", region),
            (None, None) => Ok(DEFAULT_STS_ENDPOINT.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(location: StsLocation, vars: &[(&str, &str)]) -> String {
        match location
            .with_vars(&Vars::fixed(vars.iter().copied()))
            .resolve()
        {
            Ok(endpoint) => endpoint,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn explicit_then_region_then_variables_then_central() {
        let region = |r: &str| StsLocation {
            region: Some(r.to_owned()),
            ..StsLocation::default()
        };
        let mut explicit = StsLocation::default();
        explicit.set_endpoint("http://127.0.0.1:9");
        assert_eq!(
            resolved(explicit, &[(ENDPOINT_VAR, "https://elsewhere")]),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            resolved(
                region("cn-shanghai"),
                &[(ENDPOINT_VAR, "https://elsewhere")]
            ),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            resolved(region("cn-shanghai"), &[(VPC_VAR, "true")]),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            resolved(
                StsLocation::default(),
                &[
                    (ENDPOINT_VAR, "sts-vpc.cn-beijing.aliyuncs.com"),
                    (REGION_VAR, "cn-shanghai")
                ]
            ),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            resolved(
                StsLocation::default(),
                &[(REGION_VAR, "cn-shanghai"), (VPC_VAR, "TRUE")]
            ),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            resolved(StsLocation::default(), &[]),
            "https://sts.aliyuncs.com"
        );
    }

    #[test]
    fn malformed_endpoints_and_regions_are_errors() {
        let bad = resolved(
            StsLocation::default(),
            &[(ENDPOINT_VAR, "https://sts.aliyuncs.com/path")],
        );
        assert!(bad.starts_with("error: configuration: endpoint"), "{bad}");
        let bad = resolved(StsLocation::default(), &[(REGION_VAR, "cn/evil")]);
        assert!(
            bad.starts_with("error: ") && bad.contains("cn/evil"),
            "{bad}"
        );
    }
}
