//! Wire compatibility, signature V3: Aliyun's official Python SDK of the current generation
//! (`alibabacloud_ecs20140526` on `alibabacloud_tea_openapi`), unmodified and at its DEFAULT
//! configuration (`ACS3-HMAC-SHA256`, JSON), calls the emulator: the seed request with a
//! `Filter.N` list, `CreateSecurityGroup` with a `Description` that needs encoding, STS
//! credentials, and errors in the SDK's terms. (`tests/python_sdk.rs` keeps the v1-era SDK.)
//!
//! Needs `python3` with `alibabacloud_ecs20140526==7.11.8` and
//! `alibabacloud_tea_openapi==0.4.6` (`.ci/run` installs them). Without them the tests say so
//! and pass, unless `ALIYUN_RPC_REQUIRE_PYTHON_SDK=1`, as in CI.

mod common;

use common::official_sdk::{self, Sdk};

#[tokio::test(flavor = "multi_thread")]
async fn seed_request_answers_the_seed_values() {
    official_sdk::seed_request_answers_the_seed_values(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_security_group_keeps_an_awkward_description() {
    official_sdk::create_security_group_keeps_an_awkward_description(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_configuration_signs_v3_and_asks_for_json() {
    official_sdk::the_default_configuration_signs_v3_and_asks_for_json(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_reach_the_sdk_in_its_terms() {
    official_sdk::errors_reach_the_sdk_in_its_terms(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sts_credentials_work() {
    official_sdk::sts_credentials_work(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_answers_an_action_without_a_handler() {
    official_sdk::schema_mode_answers_an_action_without_a_handler(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_dry_run_answers_dry_run_operation() {
    official_sdk::schema_mode_dry_run_answers_dry_run_operation(Sdk::Python).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_mode_refuses_a_misspelt_param() {
    official_sdk::schema_mode_refuses_a_misspelt_param(Sdk::Python).await;
}
