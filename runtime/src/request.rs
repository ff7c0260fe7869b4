//! The `Request` trait: one implementation per API action, usually derived.

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::params::ParamWriter;

/// The HTTP method an action is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Params in the query string.
    Get,
    /// Params in an `application/x-www-form-urlencoded` body.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`, as signed in the string-to-sign.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One RPC-style API action: its identity, its business params and its response type.
///
/// Derive it: `#[derive(Request)]` with `#[rpc(product, version, action, response)]`
/// generates this impl, a constructor that takes every required param, and a setter for
/// every optional one.
///
/// ```
/// use aliyun_rpc::{ParamValue, Params, Request};
///
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// pub struct DescribeImageSupportInstanceTypesResponse { pub request_id: String }
///
/// #[derive(Debug, Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes",
///       response = DescribeImageSupportInstanceTypesResponse)]
/// pub struct DescribeImageSupportInstanceTypes {
///     pub region_id: String,
///     pub action_type: Option<ActionType>,
///     #[rpc(name = "Filter", max_items = 50)]
///     pub filters: Vec<Filter>,
///     pub image_id: Option<String>,
/// }
///
/// #[derive(Debug, Clone, Params)]
/// pub struct Filter { pub key: String, pub value: String }
///
/// #[derive(Debug, Clone, Copy, ParamValue)]
/// pub enum ActionType { CreateEcs, Upgrade, Downgrade, RenewDowngrade }
///
/// let req = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
///     .action_type(ActionType::CreateEcs)
///     .image_id("m-imageid1")
///     .filter(Filter { key: "CreationStartTime".into(), value: "2017-12-05T22:40:00Z".into() });
///
/// assert_eq!(DescribeImageSupportInstanceTypes::ACTION, "DescribeImageSupportInstanceTypes");
/// assert_eq!(req.to_params(), [
///     ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
///     ("ActionType".to_owned(), "CreateEcs".to_owned()),
///     ("Filter.1.Key".to_owned(), "CreationStartTime".to_owned()),
///     ("Filter.1.Value".to_owned(), "2017-12-05T22:40:00Z".to_owned()),
///     ("ImageId".to_owned(), "m-imageid1".to_owned()),
/// ]);
/// assert!(req.validate().is_ok());
/// ```
pub trait Request {
    /// The product code, as in the endpoint (`Ecs`).
    const PRODUCT: &'static str;
    /// The API version, `YYYY-MM-DD` (`2014-05-26`). Also sent as the `x-acs-version`
    /// header, so it must be printable ASCII: anything else fails the build of a program
    /// that signs this request.
    const VERSION: &'static str;
    /// The action name (`DescribeImageSupportInstanceTypes`). Also sent as the
    /// `x-acs-action` header, so it must be printable ASCII, like `VERSION`.
    const ACTION: &'static str;
    /// The method the definition asks for, if it pins one; otherwise the client's default.
    const METHOD: Option<Method> = None;
    /// Whether running the action twice has the effect of running it once, so that the
    /// client may retry it after a failure that leaves unclear whether it ran (a timeout
    /// after sending, a reset connection, a 5xx). A request with a client token is safe to
    /// retry whatever this says.
    ///
    /// By default: whether the action is a read, by Aliyun's naming convention — `ACTION`
    /// starts with `Describe`, `List`, `Get`, `Query` or `Check` followed by an upper-case
    /// ASCII letter (`DescribeInstances`, `ListTagResources`, `GetAccount`, `CheckDisk`; not
    /// `Describe`, `Listen` or `GetawayCreate`). `#[rpc(idempotent)]` sets it to `true` for
    /// an action that is safe to repeat although its name does not say so; the code
    /// generator sets it from the metadata's `operationType`.
    ///
    /// ```
    /// use aliyun_rpc::Request;
    /// # #[derive(serde::Deserialize)] pub struct Empty {}
    ///
    /// #[derive(Request)]
    /// #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Empty)]
    /// pub struct DescribeRegions {}
    ///
    /// #[derive(Request)]
    /// #[rpc(product = "Ecs", version = "2014-05-26", action = "StartInstance", response = Empty)]
    /// pub struct StartInstance { pub instance_id: String }
    ///
    /// #[derive(Request)]
    /// #[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute",
    ///       response = Empty, idempotent)]
    /// pub struct ModifyInstanceAttribute { pub instance_id: String }
    ///
    /// assert!(DescribeRegions::IDEMPOTENT);
    /// assert!(!StartInstance::IDEMPOTENT);
    /// assert!(ModifyInstanceAttribute::IDEMPOTENT);
    /// ```
    const IDEMPOTENT: bool = is_read_action(Self::ACTION);

    /// What a successful call decodes into (from JSON or XML).
    type Response: DeserializeOwned;

    /// Appends the business params (not the common ones), flattened, not yet encoded.
    fn write_params(&self, w: &mut ParamWriter<'_>);

    /// Checks every field constraint (`max_items`, `min`/`max`, `max_len`, finite floats).
    fn validate(&self) -> Result<(), Error>;

    /// The wire name of the client token field (`#[rpc(client_token)]`, or the field sending
    /// `ClientToken`) when it is unset: the client then sends one fresh UUID under that name,
    /// the same for every retry of the call, so that Aliyun executes a create at most once.
    fn missing_client_token(&self) -> Option<&'static str> {
        None
    }

    /// Whether the client token field is a body field (`#[rpc(body, client_token)]`), so
    /// that a token the client fills in travels in the form body under signature V3, where
    /// the field's own value would. (Signature v1 sends every param alike.)
    ///
    /// ```
    /// use aliyun_rpc::Request;
    ///
    /// #[derive(Request)]
    /// #[rpc(product = "Nlb", version = "2022-04-30", action = "CreateListener", response = ())]
    /// pub struct CreateListener {
    ///     pub region_id: String,
    ///     #[rpc(body, client_token)]
    ///     pub client_token: Option<String>,
    /// }
    ///
    /// assert!(CreateListener::CLIENT_TOKEN_IN_BODY);
    /// ```
    const CLIENT_TOKEN_IN_BODY: bool = false;

    /// The business params as owned pairs, in field order. Values are not percent-encoded.
    fn to_params(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.write_params(&mut ParamWriter::new(&mut out));
        out
    }
}

/// A request that can be sent as a dry run: Aliyun checks it (params, permissions,
/// quotas, stock) without running it. The derive implements it for a request with a field
/// whose wire name is `DryRun` (`dry_run: Option<bool>` or `bool`);
/// [`Client::dry_run`](crate::Client::dry_run) sets it and sends the request.
///
/// ```
/// use aliyun_rpc::{DryRun, Request};
/// # #[derive(serde::Deserialize)] pub struct Empty {}
///
/// #[derive(Clone, Request)]
/// #[rpc(product = "Ecs", version = "2014-05-26", action = "StartInstance", response = Empty)]
/// pub struct StartInstance {
///     pub instance_id: String,
///     pub dry_run: Option<bool>,
/// }
///
/// let mut request = StartInstance::new("i-1");
/// request.set_dry_run(true);
/// assert_eq!(request.to_params()[1], ("DryRun".to_owned(), "true".to_owned()));
/// ```
pub trait DryRun: Request {
    /// Sets the request's `DryRun` param.
    fn set_dry_run(&mut self, dry_run: bool);
}

/// Whether `action` is a read by Aliyun's naming convention: a read verb (`Describe`,
/// `List`, `Get`, `Query`, `Check`) followed by an upper-case ASCII letter. The default of
/// [`Request::IDEMPOTENT`].
pub(crate) const fn is_read_action(action: &str) -> bool {
    const READ_VERBS: [&[u8]; 5] = [b"Describe", b"List", b"Get", b"Query", b"Check"];
    let action = action.as_bytes();
    let mut v = 0;
    while v < READ_VERBS.len() {
        let verb = READ_VERBS[v];
        if action.len() > verb.len() && action[verb.len()].is_ascii_uppercase() {
            let mut i = 0;
            while i < verb.len() && action[i] == verb[i] {
                i += 1;
            }
            if i == verb.len() {
                return true;
            }
        }
        v += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_by_name() {
        for read in [
            "DescribeInstances",
            "DescribeImageSupportInstanceTypes",
            "ListTagResources",
            "GetInstanceScreenshot",
            "QueryAccountBalance",
            "CheckDiskEnableAutoSnapshotValidation",
            "DescribeA",
        ] {
            assert!(is_read_action(read), "{read}");
        }
        for write in [
            "RunInstances",
            "CreateSecurityGroup",
            "StartInstance",
            "Describe",
            "Listen",
            "Listing",
            "GetawayCreate",
            "Describe1",
            "describeInstances",
            "ModifyDescribeInstances",
            "",
            "Checkout",
            "QueryÉ",
        ] {
            assert!(!is_read_action(write), "{write}");
        }
        const { assert!(is_read_action("DescribeRegions")) };
    }
}
