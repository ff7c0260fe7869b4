//! ECS `2014-05-26` `CreateSecurityGroup`, with Aliyun's idempotency rule
//! (<https://help.aliyun.com/document_detail/25693.html>): a call that repeats a
//! `ClientToken` (for the same access key) answers the group the first call created and
//! creates nothing; the same token with different params is `IdempotentParameterMismatch`.

use std::collections::HashMap;
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

/// A call's business params but `ClientToken`, sorted: what a repeat must match.
type Fingerprint = Vec<(String, String)>;

#[derive(Default)]
struct State {
    /// `(access key id, ClientToken)` → the first call's fingerprint and its group id.
    by_token: HashMap<(String, String), (Fingerprint, String)>,
    created: u64,
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

    pub(crate) fn create(&self, req: &EmulatorRequest) -> Result<Value, ApiError> {
        require_region(req)?;
        if let Some(kind) = req.param("SecurityGroupType") {
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

        let mut state = lock(&self.state);
        let id = match token {
            None => new_group(&mut state),
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
                        let id = new_group(&mut state);
                        state.by_token.insert(key, (fingerprint, id.clone()));
                        id
                    }
                }
            }
        };
        Ok(json!({ "SecurityGroupId": id }))
    }
}

fn new_group(state: &mut State) -> String {
    state.created += 1;
    format!("sg-{}", random_alphanumeric(20).to_ascii_lowercase())
}
