//! `Client::paginate` over loopback against emulator handlers, in each of Aliyun's three
//! conventions: page number (`DescribeVpcs`), next token (`DescribeInstances`, which has
//! both; the token wins) and marker (RAM `ListUsers`). Each handler serves a fixed list and
//! records the business params of every call it answers.

mod common;

use std::sync::{Arc, Mutex};

use aliyun_rpc::{ApiError, Client, Error, Request};
use aliyun_rpc_emulator::{Emulator, EmulatorBuilder, EmulatorRequest};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde_json::{json, Value};

use common::{build, builder, retrying_builder, start};

// --- page number: VPC DescribeVpcs -------------------------------------------------------

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct DescribeVpcsResponse {
    pub total_count: Option<i32>,
    pub page_number: Option<i32>,
    pub page_size: Option<i32>,
    pub vpcs: Vec<Vpc>,
}

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct Vpc {
    pub vpc_id: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
      response = DescribeVpcsResponse, paginate(page_number, items = "vpcs", item = Vpc))]
pub struct DescribeVpcs {
    pub region_id: String,
    pub vpc_name: Option<String>,
    pub page_number: Option<i32>,
    #[rpc(max = 50)]
    pub page_size: Option<i32>,
}

// --- next token: ECS DescribeInstances ---------------------------------------------------

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct DescribeInstancesResponse {
    pub next_token: Option<String>,
    /// Meaningless in token mode: the handlers send nonsense here, which must not matter.
    pub total_count: Option<i64>,
    pub instances: Vec<Instance>,
}

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct Instance {
    pub instance_id: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances",
      response = DescribeInstancesResponse,
      paginate(next_token, items = "instances", item = Instance))]
pub struct DescribeInstances {
    pub region_id: String,
    pub instance_name: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<i32>,
}

// --- marker: RAM ListUsers ---------------------------------------------------------------

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct ListUsersResponse {
    pub is_truncated: Option<bool>,
    pub marker: Option<String>,
    pub users: Vec<User>,
}

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct User {
    pub user_name: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ram", version = "2015-05-01", action = "ListUsers",
      response = ListUsersResponse, paginate(marker, items = "users", item = User))]
pub struct ListUsers {
    pub marker: Option<String>,
    pub max_items: Option<i32>,
}

// --- handlers ----------------------------------------------------------------------------

/// The business params of one call.
type Params = Vec<(String, String)>;

/// The business params of every call a handler answered, in order.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<Params>>>);

impl Calls {
    fn record(&self, req: &EmulatorRequest) {
        let params = req
            .business_params()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(params);
    }

    fn all(&self) -> Vec<Params> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The value of `name` in each call (`None` where it was not sent).
    fn param(&self, name: &str) -> Vec<Option<String>> {
        self.all()
            .iter()
            .map(|call| call.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .collect()
    }
}

fn number(req: &EmulatorRequest, name: &str, default: usize) -> usize {
    req.param(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How a page-number handler misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum PageServer {
    Honest,
    /// Leaves `TotalCount` out.
    NoTotal,
    /// Ignores `PageNumber`: always answers page 1.
    StuckOnFirstPage,
}

fn vpcs_handler(total: usize, how: PageServer, calls: Calls) -> EmulatorBuilder {
    Emulator::builder().handler("2016-04-28", "DescribeVpcs", move |req| {
        calls.record(req);
        let size = number(req, "PageSize", 10);
        let page = match how {
            PageServer::StuckOnFirstPage => 1,
            _ => number(req, "PageNumber", 1),
        };
        let first = (page - 1) * size;
        let vpcs: Vec<Value> = (first..total.min(first + size))
            .map(|i| json!({ "VpcId": format!("vpc-{}", i + 1) }))
            .collect();
        let mut answer = json!({ "PageNumber": page, "PageSize": size, "Vpcs": { "Vpc": vpcs } });
        if how != PageServer::NoTotal {
            answer["TotalCount"] = json!(total);
        }
        Ok(answer)
    })
}

/// Token `t{n}` means "from item n"; `repeat` answers the same token every time.
fn instances_handler(total: usize, repeat: bool, calls: Calls) -> EmulatorBuilder {
    Emulator::builder().handler("2014-05-26", "DescribeInstances", move |req| {
        calls.record(req);
        let size = number(req, "MaxResults", 10);
        let first = req
            .param("NextToken")
            .and_then(|t| t.strip_prefix('t'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0usize);
        let last = total.min(first + size);
        let instances: Vec<Value> = (first..last)
            .map(|i| json!({ "InstanceId": format!("i-{}", i + 1) }))
            .collect();
        let next = if repeat {
            "t0".to_owned()
        } else if last < total {
            format!("t{last}")
        } else {
            String::new()
        };
        Ok(json!({
            "NextToken": next,
            "TotalCount": 0,
            "Instances": { "Instance": instances },
        }))
    })
}

/// Marker `m{n}` means "from item n".
fn users_handler(total: usize, drop_marker: bool, calls: Calls) -> EmulatorBuilder {
    Emulator::builder().handler("2015-05-01", "ListUsers", move |req| {
        calls.record(req);
        let size = number(req, "MaxItems", 100);
        let first = req
            .param("Marker")
            .and_then(|t| t.strip_prefix('m'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0usize);
        let last = total.min(first + size);
        let users: Vec<Value> = (first..last)
            .map(|i| json!({ "UserName": format!("user{}", i + 1) }))
            .collect();
        let mut answer = json!({ "IsTruncated": last < total, "Users": { "User": users } });
        if last < total && !drop_marker {
            answer["Marker"] = json!(format!("m{last}"));
        }
        Ok(answer)
    })
}

async fn client_for(builder: EmulatorBuilder) -> (Emulator, Client) {
    let emulator = start(builder).await;
    let client = build(common::builder(&emulator));
    (emulator, client)
}

fn vpcs(page_size: i32) -> DescribeVpcs {
    DescribeVpcs::new("cn-hangzhou")
        .vpc_name("prod")
        .page_size(page_size)
}

fn instances(max_results: i32) -> DescribeInstances {
    DescribeInstances::new("cn-hangzhou")
        .instance_name("web")
        .max_results(max_results)
}

/// Every item of a listing, or the test fails.
async fn all<S, T>(stream: S) -> Vec<T>
where
    S: futures_core::Stream<Item = Result<T, Error>>,
{
    match stream.try_collect().await {
        Ok(items) => items,
        Err(e) => panic!("listing failed: {e}"),
    }
}

/// What a stream yields, as `Ok(n items)` per page and `Err(error)`, up to its end.
async fn outcome<R>(pages: aliyun_rpc::client::Pages<R>) -> Vec<Result<usize, Error>>
where
    R: aliyun_rpc::paginate::Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    pages
        .map(|page| page.map(|p| R::into_items(p).len()))
        .collect()
        .await
}

fn ids(n: usize, prefix: &str) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

/// The streams can move to another task (`tokio::spawn`).
#[test]
fn the_streams_are_send() {
    fn send<T: Send + Unpin>(_: &T) {}
    let client = match Client::builder()
        .region("cn-hangzhou")
        .credentials(aliyun_rpc::Credentials::new("id", "secret"))
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let pages = client.paginate(&vpcs(2));
    send(&pages);
    send(&pages.items());
}

// --- page number -------------------------------------------------------------------------

#[tokio::test]
async fn page_number_walks_every_page_keeping_the_other_params() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(5, PageServer::Honest, calls.clone())).await;
    let got: Vec<String> = all(client.paginate(&vpcs(2)).items())
        .await
        .into_iter()
        .map(|v: Vpc| v.vpc_id)
        .collect();
    assert_eq!(got, ids(5, "vpc-"));
    assert_eq!(
        calls.param("PageNumber"),
        [None, Some("2".into()), Some("3".into())]
    );
    for call in calls.all() {
        assert!(
            call.contains(&("VpcName".into(), "prod".into())),
            "{call:?}"
        );
        assert!(call.contains(&("PageSize".into(), "2".into())), "{call:?}");
        assert!(
            call.contains(&("RegionId".into(), "cn-hangzhou".into())),
            "{call:?}"
        );
    }
}

#[tokio::test]
async fn page_number_starts_at_the_requests_page() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(5, PageServer::Honest, calls.clone())).await;
    let pages = outcome(client.paginate(&vpcs(2).page_number(2))).await;
    // Pages 2 and 3; `TotalCount` counts from where the listing started, so the short last
    // page ends it.
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [2, 1]);
    assert_eq!(
        calls.param("PageNumber"),
        [Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn page_number_stops_at_total_count_on_an_exactly_full_last_page() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(4, PageServer::Honest, calls.clone())).await;
    let pages = outcome(client.paginate(&vpcs(2))).await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [2, 2]);
    assert_eq!(calls.all().len(), 2, "no call past the last page");
}

#[tokio::test]
async fn page_number_without_total_count_stops_on_the_empty_page_after_a_full_one() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(4, PageServer::NoTotal, calls.clone())).await;
    let pages = outcome(client.paginate(&vpcs(2))).await;
    assert_eq!(
        pages.iter().flatten().copied().collect::<Vec<_>>(),
        [2, 2, 0]
    );
    assert_eq!(calls.all().len(), 3);
    // A short page ends it without an extra call.
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(3, PageServer::NoTotal, calls.clone())).await;
    let pages = outcome(client.paginate(&vpcs(2))).await;
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [2, 1]);
    assert_eq!(calls.all().len(), 2);
}

#[tokio::test]
async fn page_number_empty_first_page_is_one_empty_page() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(0, PageServer::Honest, calls.clone())).await;
    let pages = outcome(client.paginate(&vpcs(2))).await;
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [0]);
    assert_eq!(pages.len(), 1);
    assert!(all(client.paginate(&vpcs(2)).items()).await.is_empty());
}

#[tokio::test]
async fn a_server_that_repeats_a_page_is_an_error_not_a_loop() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(vpcs_handler(
        100,
        PageServer::StuckOnFirstPage,
        calls.clone(),
    ))
    .await;
    let pages = outcome(client.paginate(&vpcs(2))).await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0].as_ref().ok(), Some(&2));
    let Err(err) = &pages[1] else {
        panic!("expected an error, got {pages:?}")
    };
    assert!(
        matches!(
            err,
            Error::Pagination {
                action: "DescribeVpcs",
                pages: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "listing DescribeVpcs stopped after 2 page(s): asked for page 2, the server answered page 1"
    );
    assert_eq!(calls.all().len(), 2);
}

// --- next token --------------------------------------------------------------------------

#[tokio::test]
async fn next_token_follows_tokens_and_ignores_total_count() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(instances_handler(5, false, calls.clone())).await;
    let got: Vec<String> = all(client.paginate(&instances(2)).items())
        .await
        .into_iter()
        .map(|i: Instance| i.instance_id)
        .collect();
    assert_eq!(got, ids(5, "i-"));
    assert_eq!(
        calls.param("NextToken"),
        [None, Some("t2".into()), Some("t4".into())]
    );
    for call in calls.all() {
        assert!(
            call.contains(&("InstanceName".into(), "web".into())),
            "{call:?}"
        );
        assert!(
            call.contains(&("MaxResults".into(), "2".into())),
            "{call:?}"
        );
    }
}

#[tokio::test]
async fn next_token_exactly_full_last_page_and_empty_first_page() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(instances_handler(4, false, calls.clone())).await;
    let pages = outcome(client.paginate(&instances(2))).await;
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [2, 2]);
    assert_eq!(calls.all().len(), 2);

    let calls = Calls::default();
    let (_emulator, client) = client_for(instances_handler(0, false, calls.clone())).await;
    let pages = outcome(client.paginate(&instances(2))).await;
    assert_eq!(pages.iter().flatten().copied().collect::<Vec<_>>(), [0]);
    assert_eq!(calls.all().len(), 1);
}

#[tokio::test]
async fn a_server_that_repeats_a_token_is_an_error_not_a_loop() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(instances_handler(10, true, calls.clone())).await;
    let pages = outcome(client.paginate(&instances(2))).await;
    // The first answer's token is new; the second answer repeats it.
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].is_ok());
    let Err(err) = &pages[1] else {
        panic!("expected an error, got {pages:?}")
    };
    assert!(err.to_string().contains("repeated a NextToken"), "{err}");
    assert_eq!(calls.param("NextToken"), [None, Some("t0".into())]);
}

#[tokio::test]
async fn the_page_limit_ends_an_endless_listing_with_an_error() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(instances_handler(1000, false, calls.clone())).await;
    let pages = outcome(client.paginate(&instances(1)).max_pages(3)).await;
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert!(pages[..3].iter().all(Result::is_ok));
    let Err(err) = &pages[3] else {
        panic!("expected an error, got {pages:?}")
    };
    assert!(err.to_string().contains("more than 3 pages"), "{err}");
    assert_eq!(calls.all().len(), 3, "nothing is sent past the limit");
}

// --- marker ------------------------------------------------------------------------------

#[tokio::test]
async fn marker_follows_markers_until_not_truncated() {
    let calls = Calls::default();
    let (_emulator, client) = client_for(users_handler(5, false, calls.clone())).await;
    let request = ListUsers::new().max_items(2);
    let got: Vec<String> = all(client.paginate(&request).items())
        .await
        .into_iter()
        .map(|u: User| u.user_name)
        .collect();
    assert_eq!(got, ids(5, "user"));
    assert_eq!(
        calls.param("Marker"),
        [None, Some("m2".into()), Some("m4".into())]
    );
    assert!(calls
        .param("MaxItems")
        .iter()
        .all(|m| m.as_deref() == Some("2")));
}

#[tokio::test]
async fn marker_exactly_full_last_page_and_empty_first_page() {
    for (total, expected) in [(4, vec![2, 2]), (0, vec![0])] {
        let calls = Calls::default();
        let (_emulator, client) = client_for(users_handler(total, false, calls.clone())).await;
        let pages = outcome(client.paginate(&ListUsers::new().max_items(2))).await;
        assert_eq!(
            pages.iter().flatten().copied().collect::<Vec<_>>(),
            expected
        );
        assert_eq!(calls.all().len(), expected.len());
    }
}

#[tokio::test]
async fn truncated_without_a_marker_is_an_error() {
    let (_emulator, client) = client_for(users_handler(5, true, Calls::default())).await;
    let pages = outcome(client.paginate(&ListUsers::new().max_items(2))).await;
    assert_eq!(pages.len(), 1);
    let Err(err) = &pages[0] else {
        panic!("expected an error, got {pages:?}")
    };
    assert!(
        err.to_string().contains("IsTruncated but has no Marker"),
        "{err}"
    );
}

// --- errors and retries ------------------------------------------------------------------

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let calls = Calls::default();
    let recorded = calls.clone();
    let emulator = start(
        Emulator::builder().handler("2016-04-28", "DescribeVpcs", move |req| {
            recorded.record(req);
            if req.param("PageNumber") == Some("2") {
                return Err(ApiError::bad_request("InvalidParameter", "no page 2 today"));
            }
            Ok(json!({ "TotalCount": 9, "PageNumber": 1, "PageSize": 2,
                   "Vpcs": { "Vpc": [{ "VpcId": "vpc-1" }, { "VpcId": "vpc-2" }] } }))
        }),
    )
    .await;
    let client = build(builder(&emulator));
    let items: Vec<Result<Vpc, Error>> = client.paginate(&vpcs(2)).items().collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[..2].iter().all(Result::is_ok));
    assert_eq!(
        items[2].as_ref().err().and_then(Error::code),
        Some("InvalidParameter")
    );
    assert_eq!(calls.all().len(), 2);
}

#[tokio::test]
async fn each_page_gets_the_clients_retries() {
    let calls = Calls::default();
    let emulator = start(
        vpcs_handler(5, PageServer::Honest, calls.clone()).faults(|f| {
            f.throttle_next(2, std::time::Duration::from_millis(1));
        }),
    )
    .await;
    let client = build(retrying_builder(&emulator));
    let got = all(client.paginate(&vpcs(2)).items()).await;
    assert_eq!(got.len(), 5);
    assert_eq!(
        calls.all().len(),
        3,
        "each page answered once, after the retries"
    );
    assert_eq!(emulator.request_count(), 5);
}

// --- the generated sample ----------------------------------------------------------------

/// The checked-in generated module, whose `DescribeInstances` the generator declared
/// `paginate(next_token, …)` (it has both token and page params; the token wins).
/// `rustfmt::skip`: the file stays byte for byte what the CLI wrote.
#[path = "../examples/generated/ecs.rs"]
#[allow(dead_code)]
#[rustfmt::skip]
mod generated;

#[tokio::test]
async fn the_generated_describe_instances_pages_by_token() {
    use aliyun_rpc::paginate::Paginate;

    let calls = Calls::default();
    // The built-in ECS schema checks every call against the definition before the handler.
    let emulator = start(instances_handler(5, false, calls.clone())).await;
    let client = build(builder(&emulator));
    let request = generated::DescribeInstances::new("cn-hangzhou")
        .instance_name("web")
        .max_results(2);
    let got: Vec<Option<String>> = all(client.paginate(&request).items())
        .await
        .into_iter()
        .map(|i: <generated::DescribeInstances as Paginate>::Item| i.instance_id)
        .collect();
    let expected: Vec<Option<String>> = ids(5, "i-").into_iter().map(Some).collect();
    assert_eq!(got, expected);
    assert_eq!(
        calls.param("NextToken"),
        [None, Some("t2".into()), Some("t4".into())]
    );
    assert!(calls.param("PageNumber").iter().all(Option::is_none));
}
