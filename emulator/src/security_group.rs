//! ECS `2014-05-26` `CreateSecurityGroup`, with Aliyun's idempotency rule
//! (<https://help.aliyun.com/document_detail/25693.html>): a call that repeats a
//! `ClientToken` (for the same access key) answers the group the first call created and
//! creates nothing; the same token with different params is `IdempotentParameterMismatch`.
//! The groups created are remembered ([`SecurityGroup`], the latest
//! [`MAX_REMEMBERED_GROUPS`]), so a test can see what a client sent.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::ecs::require_region;
use crate::error::ApiError;
use crate::ids::random_alphanumeric;
use crate::request::EmulatorRequest;
use crate::sync::lock;

/// `SecurityGroupType` values.
const TYPES: [&str; 2] = ["normal", "enterprise"];
/// Aliyun's limit on `ClientToken`.
const MAX_CLIENT_TOKEN_LEN: usize = 64;

/// How many created groups [`SecurityGroups::get`] remembers: the latest ones (each is a
/// few hundred bytes; a call's params are bounded by the request limits).
pub(crate) const MAX_REMEMBERED_GROUPS: usize = 10_000;

/// A security group `CreateSecurityGroup` created, as the call described it: what
/// [`Emulator::security_group`](crate::Emulator::security_group) answers, so a test can
/// assert that a client's params (a `Description` with spaces, `&`, Chinese or emoji)
/// arrived intact.
///
/// ```
/// use aliyun_rpc_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
/// let emulator = Emulator::start().await?;
/// assert_eq!(emulator.security_group("sg-unknown"), None);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecurityGroup {
    /// `SecurityGroupId`, `sg-` and 20 lower-case letters and digits.
    pub id: String,
    /// `RegionId`.
    pub region_id: String,
    /// `SecurityGroupName`, if sent.
    pub name: Option<String>,
    /// `Description`, if sent, decoded.
    pub description: Option<String>,
    /// `VpcId`, if sent.
    pub vpc_id: Option<String>,
    /// `SecurityGroupType`: `normal` (the default) or `enterprise`.
    pub security_group_type: String,
    /// The access key that created it.
    pub access_key_id: String,
}

/// A call's business params but `ClientToken`, sorted: what a repeat must match.
type Fingerprint = Vec<(String, String)>;

#[derive(Default)]
struct State {
    /// `(access key id, ClientToken)` → the first call's fingerprint and its group id.
    by_token: HashMap<(String, String), (Fingerprint, String)>,
    created: u64,
    /// The latest groups by id, and their ids oldest first (to forget the oldest).
    groups: HashMap<String, SecurityGroup>,
    order: VecDeque<String>,
}

/// The security groups created so far.
#[derive(Default)]
pub(crate) struct SecurityGroups {
    state: Mutex<State>,
}

impl SecurityGroups {
    /// How many groups were actually created (idempotent repeats not counted).
    pub(crate) fn created(&self) -> u64 {
        lock(&self.state).created
    }

    /// The group created with id `id`, if it is among the latest remembered.
    pub(crate) fn get(&self, id: &str) -> Option<SecurityGroup> {
        lock(&self.state).groups.get(id).cloned()
    }

    pub(crate) fn create(&self, req: &EmulatorRequest) -> Result<Value, ApiError> {
        let region_id = require_region(req)?;
        let kind = req.param("SecurityGroupType");
        if let Some(kind) = kind {
            if !TYPES.contains(&kind) {
                return Err(ApiError::bad_request(
                    "InvalidSecurityGroupType.ValueNotSupported",
                    "The specified SecurityGroupType is not supported.",
                ));
            }
        }
        let token = req.param("ClientToken").filter(|t| !t.is_empty());
        if let Some(token) = token {
            if token.len() > MAX_CLIENT_TOKEN_LEN || !token.is_ascii() {
                return Err(ApiError::bad_request(
                    "InvalidClientToken.ValueNotSupported",
                    "The ClientToken provided is invalid.",
                ));
            }
        }

        let group = SecurityGroup {
            id: String::new(),
            region_id: region_id.to_owned(),
            name: req.param("SecurityGroupName").map(str::to_owned),
            description: req.param("Description").map(str::to_owned),
            vpc_id: req.param("VpcId").map(str::to_owned),
            security_group_type: kind.unwrap_or(TYPES[0]).to_owned(),
            access_key_id: req.access_key_id().to_owned(),
        };
        let mut state = lock(&self.state);
        let id = match token {
            None => new_group(&mut state, group),
            Some(token) => {
                let mut fingerprint: Fingerprint = req
                    .business_params()
                    .filter(|(k, _)| *k != "ClientToken")
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect();
                fingerprint.sort();
                let key = (req.access_key_id().to_owned(), token.to_owned());
                match state.by_token.get(&key) {
                    Some((earlier, id)) if *earlier == fingerprint => id.clone(),
                    Some(_) => {
                        return Err(ApiError::bad_request(
                            "IdempotentParameterMismatch",
                            "Request uses a client token in a previous request but is not \
                             identical to that request.",
                        ))
                    }
                    None => {
                        let id = new_group(&mut state, group);
                        state.by_token.insert(key, (fingerprint, id.clone()));
                        id
                    }
                }
            }
        };
        Ok(json!({ "SecurityGroupId": id }))
    }
}

/// Creates `group` under a fresh id, remembering it (and forgetting the oldest beyond
/// [`MAX_REMEMBERED_GROUPS`]); its id.
fn new_group(state: &mut State, mut group: SecurityGroup) -> String {
    state.created += 1;
    let id = format!("sg-{}", random_alphanumeric(20).to_ascii_lowercase());
    group.id = id.clone();
    while state.order.len() >= MAX_REMEMBERED_GROUPS {
        if let Some(oldest) = state.order.pop_front() {
            state.groups.remove(&oldest);
        }
    }
    state.order.push_back(id.clone());
    state.groups.insert(id.clone(), group);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(params: &[(&str, &str)]) -> EmulatorRequest {
        EmulatorRequest::new(
            "POST",
            params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn created_groups_are_remembered_as_sent() {
        let groups = SecurityGroups::default();
        let answer = groups
            .create(&request(&[
                ("AccessKeyId", "testid"),
                ("RegionId", "cn-hangzhou"),
                ("Description", "a b*~+/=&% 杭州 🚀"),
            ]))
            .unwrap();
        let id = answer["SecurityGroupId"].as_str().unwrap_or_default();
        let group = groups.get(id).expect("remembered");
        assert_eq!(group.description.as_deref(), Some("a b*~+/=&% 杭州 🚀"));
        assert_eq!(
            (group.region_id.as_str(), group.security_group_type.as_str()),
            ("cn-hangzhou", "normal")
        );
        assert_eq!((group.name, group.vpc_id), (None, None));
        assert_eq!(group.access_key_id, "testid");
    }

    #[test]
    fn only_the_latest_groups_are_remembered() {
        let groups = SecurityGroups::default();
        let mut ids = Vec::new();
        for _ in 0..MAX_REMEMBERED_GROUPS + 3 {
            let answer = groups
                .create(&request(&[("RegionId", "cn-hangzhou")]))
                .unwrap();
            ids.push(
                answer["SecurityGroupId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        assert_eq!(groups.created(), (MAX_REMEMBERED_GROUPS + 3) as u64);
        assert!(groups.get(&ids[0]).is_none());
        assert!(groups.get(&ids[2]).is_none());
        assert!(groups.get(&ids[3]).is_some());
        assert_eq!(lock(&groups.state).groups.len(), MAX_REMEMBERED_GROUPS);
    }
}
