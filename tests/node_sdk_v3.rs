//! Wire compatibility, signature V3: Aliyun's official Node SDK of the current generation
//! (`@alicloud/ecs20140526` on `@alicloud/openapi-core`), unmodified and at its DEFAULT
//! configuration (`ACS3-HMAC-SHA256`, JSON), calls the emulator: the seed request with a
//! `Filter.N` list, `CreateSecurityGroup` with a `Description` that needs encoding, STS
//! credentials, and errors in the SDK's terms. (`tests/node_sdk.rs` keeps the v1-era `@alicloud/pop-core`.)
//!
//! Needs `node` and `npm install --prefix tests/node` (`@alicloud/ecs20140526` 7.11.6,
//! `@alicloud/openapi-core` 1.0.8, pinned in `tests/node/package.json`; `.ci/run` does it).
//! Without them the tests say so and pass, unless `ALIYUN_RPC_REQUIRE_NODE_SDK=1`, as in CI.

mod common;

use common::official_sdk::{self, Sdk};

#[tokio::test(flavor = "multi_thread")]
async fn seed_request_answers_the_seed_values() {
    official_sdk::seed_request_answers_the_seed_values(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_security_group_keeps_an_awkward_description() {
    official_sdk::create_security_group_keeps_an_awkward_description(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_configuration_signs_v3_and_asks_for_json() {
    official_sdk::the_default_configuration_signs_v3_and_asks_for_json(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_reach_the_sdk_in_its_terms() {
    official_sdk::errors_reach_the_sdk_in_its_terms(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sts_credentials_work() {
    official_sdk::sts_credentials_work(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_answers_an_action_without_a_handler() {
    official_sdk::schema_mode_answers_an_action_without_a_handler(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_dry_run_answers_dry_run_operation() {
    official_sdk::schema_mode_dry_run_answers_dry_run_operation(Sdk::Node).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_refuses_a_misspelt_param() {
    official_sdk::schema_mode_refuses_a_misspelt_param(Sdk::Node).await;
}
