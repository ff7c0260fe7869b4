//! What the derives send: every value rule of `aliyun_rpc::params`, nested combinations,
//! validation errors, the enum conversions and the generated builder. Expected params are
//! written out by hand from the rules, not captured from a run.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use aliyun_rpc::error::ParseEnumError;
use aliyun_rpc::{Error, ParamValue, Params, Request};

#[derive(Debug, serde::Deserialize)]
pub struct Empty {}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn invalid(err: Error) -> (String, String) {
    match err {
        Error::InvalidRequest { param, reason, .. } => (param, reason),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

// --- the seed -------------------------------------------------------------------------

mod common;
use common::ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter};

#[test]
fn seed_request_flattens_in_field_order() {
    let req = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .action_type(ActionType::CreateEcs)
        .image_id("m-imageid1")
        .filter(Filter::new("CreationStartTime", "2017-12-05T22:40:00Z"))
        .filter(Filter::new("CreationEndTime", "2017-12-06T22:40:00Z"));
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("RegionId", "cn-hangzhou"),
            ("ActionType", "CreateEcs"),
            ("Filter.1.Key", "CreationStartTime"),
            ("Filter.1.Value", "2017-12-05T22:40:00Z"),
            ("Filter.2.Key", "CreationEndTime"),
            ("Filter.2.Value", "2017-12-06T22:40:00Z"),
            ("ImageId", "m-imageid1"),
        ])
    );
    assert!(req.validate().is_ok());
    assert_eq!(DescribeImageSupportInstanceTypes::PRODUCT, "Ecs");
    assert_eq!(DescribeImageSupportInstanceTypes::VERSION, "2014-05-26");
    assert_eq!(
        DescribeImageSupportInstanceTypes::ACTION,
        "DescribeImageSupportInstanceTypes"
    );
    assert_eq!(DescribeImageSupportInstanceTypes::METHOD, None);
}

#[test]
fn only_required_params_is_one_param() {
    let req = DescribeImageSupportInstanceTypes::new("cn-hangzhou");
    assert_eq!(req.to_params(), pairs(&[("RegionId", "cn-hangzhou")]));
}

// --- scalar values ----------------------------------------------------------------------

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Scalars", response = Empty, method = "POST")]
pub struct Scalars<'a> {
    pub owned: String,
    pub borrowed: &'a str,
    pub cow: Cow<'a, str>,
    pub flag: bool,
    pub off: bool,
    pub half: f64,
    pub one: f64,
    pub tiny: f64,
    pub small: f32,
    pub nothing: Option<String>,
    pub r#type: Option<String>,
    pub ipv6_address: Option<String>,
    pub items: &'a [u32],
    #[rpc(skip)]
    pub local_only: u8,
}

#[test]
fn scalar_values() {
    let items = [7, 8];
    let req = Scalars::new(
        "o",
        "b",
        Cow::Borrowed("c"),
        true,
        false,
        0.5,
        1.0,
        1e-7,
        0.1f32,
    )
    .r#type("t")
    .ipv6_address("::1")
    .items(&items);
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("Owned", "o"),
            ("Borrowed", "b"),
            ("Cow", "c"),
            ("Flag", "true"),
            ("Off", "false"),
            ("Half", "0.5"),
            ("One", "1"),
            ("Tiny", "0.0000001"),
            ("Small", "0.1"),
            ("Type", "t"),
            ("Ipv6Address", "::1"),
            ("Items.1", "7"),
            ("Items.2", "8"),
        ])
    );
    assert_eq!(Scalars::METHOD, Some(aliyun_rpc::Method::Post));
    assert_eq!(req.local_only, 0);
}

#[derive(Debug, Params)]
pub struct Integers {
    pub a: i8,
    pub b: u8,
    pub c: i16,
    pub d: u16,
    pub e: i32,
    pub f: u32,
    pub g: i64,
    pub h: u64,
    pub i: i128,
    pub j: u128,
    pub k: isize,
    pub l: usize,
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Ints", response = Empty)]
pub struct Ints {
    pub min: Integers,
    pub max: Integers,
}

#[test]
fn integer_extremes() {
    let min = Integers::new(
        i8::MIN,
        u8::MIN,
        i16::MIN,
        u16::MIN,
        i32::MIN,
        u32::MIN,
        i64::MIN,
        u64::MIN,
        i128::MIN,
        u128::MIN,
        i64::MIN as isize,
        usize::MIN,
    );
    let max = Integers::new(
        i8::MAX,
        u8::MAX,
        i16::MAX,
        u16::MAX,
        i32::MAX,
        u32::MAX,
        i64::MAX,
        u64::MAX,
        i128::MAX,
        u128::MAX,
        i64::MAX as isize,
        u64::MAX as usize,
    );
    assert_eq!(
        Ints::new(min, max).to_params(),
        pairs(&[
            ("Min.A", "-128"),
            ("Min.B", "0"),
            ("Min.C", "-32768"),
            ("Min.D", "0"),
            ("Min.E", "-2147483648"),
            ("Min.F", "0"),
            ("Min.G", "-9223372036854775808"),
            ("Min.H", "0"),
            ("Min.I", "-170141183460469231731687303715884105728"),
            ("Min.J", "0"),
            ("Min.K", "-9223372036854775808"),
            ("Min.L", "0"),
            ("Max.A", "127"),
            ("Max.B", "255"),
            ("Max.C", "32767"),
            ("Max.D", "65535"),
            ("Max.E", "2147483647"),
            ("Max.F", "4294967295"),
            ("Max.G", "9223372036854775807"),
            ("Max.H", "18446744073709551615"),
            ("Max.I", "170141183460469231731687303715884105727"),
            ("Max.J", "340282366920938463463374607431768211455"),
            ("Max.K", "9223372036854775807"),
            ("Max.L", "18446744073709551615"),
        ])
    );
}

// --- lists, maps, json, enums -------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, ParamValue)]
pub enum DiskCategory {
    #[rpc(rename = "cloud_essd")]
    CloudEssd,
    #[rpc(rename = "cloud")]
    Cloud,
}

#[derive(Debug, Clone, Params)]
pub struct Tag {
    pub key: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Params)]
pub struct Disk {
    pub category: DiskCategory,
    pub size: Option<u32>,
    #[rpc(name = "Tag")]
    pub tags: Vec<Tag>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Lists", response = Empty)]
pub struct Lists {
    pub instance_id: Vec<String>,
    pub maybe: Vec<Option<u8>>,
    #[rpc(name = "Grid")]
    pub grid: Vec<Vec<u8>>,
    #[rpc(name = "Tag")]
    pub tags: Vec<Tag>,
    #[rpc(name = "Label")]
    pub labels: BTreeMap<String, String>,
    #[rpc(name = "Attr")]
    pub attrs: HashMap<String, u32>,
    #[rpc(json)]
    pub instance_ids: Vec<String>,
    #[rpc(json)]
    pub extra: Option<Vec<u8>>,
    #[rpc(name = "DataDisk")]
    pub disks: Vec<Disk>,
    pub empty: Vec<String>,
}

#[test]
fn lists_maps_json_and_enums() {
    let disk = Disk::new(DiskCategory::CloudEssd)
        .size(40u32)
        .tag(Tag::new("a").value("1"))
        .tag(Tag::new("b"))
        .labels_entry("z", "last")
        .labels_entry("m", "first");
    let req = Lists::new()
        .push_instance_id("i-1")
        .push_instance_id("i-2")
        .maybe([Some(1), None, Some(3)])
        .grid([vec![1, 2], vec![], vec![3]])
        .tag(Tag::new("env").value("prod"))
        .label_entry("b", "2")
        .label_entry("a", "1")
        .attr_entry("y", 2u32)
        .attr_entry("x", 1u32)
        .instance_ids(["i-1".to_owned(), "i-2".to_owned()])
        .data_disk(disk)
        .data_disk(Disk::new(DiskCategory::Cloud));
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("InstanceId.1", "i-1"),
            ("InstanceId.2", "i-2"),
            ("Maybe.1", "1"),
            ("Maybe.3", "3"),
            ("Grid.1.1", "1"),
            ("Grid.1.2", "2"),
            ("Grid.3.1", "3"),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Label.a", "1"),
            ("Label.b", "2"),
            ("Attr.x", "1"),
            ("Attr.y", "2"),
            ("InstanceIds", r#"["i-1","i-2"]"#),
            ("DataDisk.1.Category", "cloud_essd"),
            ("DataDisk.1.Size", "40"),
            ("DataDisk.1.Tag.1.Key", "a"),
            ("DataDisk.1.Tag.1.Value", "1"),
            ("DataDisk.1.Tag.2.Key", "b"),
            ("DataDisk.1.Labels.m", "first"),
            ("DataDisk.1.Labels.z", "last"),
            ("DataDisk.2.Category", "cloud"),
        ])
    );
    assert!(req.validate().is_ok());

    // A `json` field is always one param, even `[]`; only `None` sends nothing.
    let with_extra = Lists::new().extra(vec![1u8, 2]);
    assert_eq!(
        with_extra.to_params(),
        pairs(&[("InstanceIds", "[]"), ("Extra", "[1,2]")])
    );
}

#[test]
fn list_setter_replaces_and_push_appends() {
    let req = DescribeImageSupportInstanceTypes::new("r")
        .filter(Filter::new("a", "1"))
        .filters([Filter::new("b", "2")])
        .filter(Filter::new("c", "3"));
    let keys: Vec<&str> = req.filters.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["b", "c"]);
}

// --- validation -----------------------------------------------------------------------

#[derive(Debug, Clone, Params)]
pub struct Point {
    pub bar: f64,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Checked", response = Empty)]
pub struct Checked {
    #[rpc(min = 1, max = 100)]
    pub count: u32,
    #[rpc(min = -0.5)]
    pub ratio: Option<f64>,
    #[rpc(max_len = 3)]
    pub name: Option<String>,
    #[rpc(name = "Foo", max_items = 3)]
    pub foo: Vec<Point>,
}

#[test]
fn validation_names_the_full_param() {
    assert!(Checked::new(1u32).validate().is_ok());
    assert!(Checked::new(100u32).name("äöü").validate().is_ok());

    assert_eq!(
        invalid(Checked::new(0u32).validate().unwrap_err()),
        (
            "Count".to_owned(),
            "must be between 1 and 100, got 0".to_owned()
        )
    );
    assert_eq!(
        invalid(Checked::new(101u32).validate().unwrap_err()),
        (
            "Count".to_owned(),
            "must be between 1 and 100, got 101".to_owned()
        )
    );
    assert_eq!(
        invalid(Checked::new(5u32).ratio(-1.0).validate().unwrap_err()),
        (
            "Ratio".to_owned(),
            "must be at least -0.5, got -1".to_owned()
        )
    );
    assert_eq!(
        invalid(Checked::new(5u32).name("äöüß").validate().unwrap_err()),
        (
            "Name".to_owned(),
            "at most 3 characters allowed, got 4".to_owned()
        )
    );
    assert_eq!(
        invalid(
            Checked::new(5u32)
                .foo((0..4).map(|i| Point::new(f64::from(i))))
                .validate()
                .unwrap_err()
        ),
        (
            "Foo".to_owned(),
            "at most 3 items allowed, got 4".to_owned()
        )
    );
    assert_eq!(
        invalid(
            Checked::new(5u32)
                .push_foo(Point::new(1.0))
                .push_foo(Point::new(f64::NAN))
                .validate()
                .unwrap_err()
        ),
        (
            "Foo.2.Bar".to_owned(),
            "must be a finite number, got NaN".to_owned()
        )
    );
}

#[test]
fn seed_filter_limit() {
    let req = DescribeImageSupportInstanceTypes::new("r")
        .filters((0..51).map(|i| Filter::new(format!("k{i}"), "v")));
    assert_eq!(
        invalid(req.validate().unwrap_err()),
        (
            "Filter".to_owned(),
            "at most 50 items allowed, got 51".to_owned()
        )
    );
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Counted", response = Empty)]
pub struct Counted {
    #[rpc(name = "InstanceId", min_items = 2, max_items = 3)]
    pub instance_ids: Vec<String>,
    #[rpc(json, min_items = 1)]
    pub zone_ids: Option<Vec<String>>,
}

#[test]
fn min_items_counts_set_lists_only() {
    let two = Counted::new().instance_ids(["i-1".to_owned(), "i-2".to_owned()]);
    assert!(
        two.validate().is_ok(),
        "an unset `Option` list is not checked"
    );
    assert_eq!(
        invalid(Counted::new().instance_id("i-1").validate().unwrap_err()),
        (
            "InstanceId".to_owned(),
            "at least 2 items required, got 1".to_owned()
        )
    );
    assert_eq!(
        invalid(Counted::new().validate().unwrap_err()),
        (
            "InstanceId".to_owned(),
            "at least 2 items required, got 0".to_owned()
        )
    );
    assert_eq!(
        invalid(two.clone().zone_ids(Vec::new()).validate().unwrap_err()),
        (
            "ZoneIds".to_owned(),
            "at least 1 items required, got 0".to_owned()
        )
    );
    assert!(two.zone_ids(vec!["z".to_owned()]).validate().is_ok());
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Joined", response = Empty)]
pub struct Joined<'a> {
    #[rpc(simple, name = "ZoneId", max_items = 3)]
    pub zone_ids: Vec<String>,
    #[rpc(simple)]
    pub categories: Option<Vec<DiskCategory>>,
    #[rpc(simple, name = "Port")]
    pub ports: &'a [u16],
    pub after: Option<u8>,
}

#[test]
fn simple_lists_are_one_comma_joined_param() {
    let req = Joined::new()
        .zone_id("cn-hangzhou-a")
        .zone_id("cn-hangzhou-b")
        .categories([DiskCategory::CloudEssd, DiskCategory::Cloud])
        .ports(&[22, 443])
        .after(1u8);
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("ZoneId", "cn-hangzhou-a,cn-hangzhou-b"),
            ("Categories", "cloud_essd,cloud"),
            ("Port", "22,443"),
            ("After", "1"),
        ])
    );
    assert!(req.validate().is_ok());

    // Empty or unset lists send nothing, not `Name=`.
    let empty = Joined::new().categories(Vec::new());
    assert_eq!(empty.to_params(), pairs(&[]));

    assert_eq!(
        invalid(
            Joined::new()
                .zone_id("a")
                .zone_id("b,c")
                .validate()
                .unwrap_err()
        ),
        (
            "ZoneId".to_owned(),
            "item 2 contains `,`, which separates the items of this comma-joined list".to_owned()
        )
    );
    assert_eq!(
        invalid(
            Joined::new()
                .zone_ids(["a", "b", "c", "d"].map(String::from))
                .validate()
                .unwrap_err()
        ),
        (
            "ZoneId".to_owned(),
            "at most 3 items allowed, got 4".to_owned()
        )
    );
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Nlb", version = "2022-04-30", action = "CreateListener", response = Empty)]
pub struct CreateListener {
    pub region_id: String,
    #[rpc(body, min = 1, max = 65535)]
    pub listener_port: u32,
    #[rpc(body, simple)]
    pub certificate_ids: Vec<String>,
    #[rpc(body, json)]
    pub config: Option<Vec<u8>>,
    #[rpc(body, name = "Tag")]
    pub tags: Vec<Tag>,
}

#[test]
fn body_fields_send_the_same_params() {
    let req = CreateListener::new("cn-hangzhou", 80u32)
        .certificate_ids(["c-1".to_owned(), "c-2".to_owned()])
        .config(vec![1u8])
        .tag(Tag::new("env"));
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("RegionId", "cn-hangzhou"),
            ("ListenerPort", "80"),
            ("CertificateIds", "c-1,c-2"),
            ("Config", "[1]"),
            ("Tag.1.Key", "env"),
        ])
    );
    assert_eq!(
        invalid(CreateListener::new("r", 0u32).validate().unwrap_err()),
        (
            "ListenerPort".to_owned(),
            "must be between 1 and 65535, got 0".to_owned()
        )
    );
}

// --- enums ----------------------------------------------------------------------------

#[test]
fn enums_round_trip_through_display_and_from_str() {
    for v in [
        ActionType::CreateEcs,
        ActionType::Upgrade,
        ActionType::Downgrade,
        ActionType::RenewDowngrade,
    ] {
        assert_eq!(v.to_string().parse::<ActionType>(), Ok(v));
        assert_eq!(v.to_string(), v.as_str());
    }
    assert_eq!(DiskCategory::CloudEssd.as_str(), "cloud_essd");
    assert_eq!("cloud".parse::<DiskCategory>(), Ok(DiskCategory::Cloud));

    let err: ParseEnumError = "CloudEssd".parse::<DiskCategory>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown `DiskCategory` value `CloudEssd`; expected one of `cloud_essd`, `cloud`"
    );
    assert_eq!(err.enum_name(), "DiskCategory");
    assert_eq!(err.input(), "CloudEssd");
    assert_eq!(
        "Foo".parse::<ActionType>().unwrap_err().to_string(),
        "unknown `ActionType` value `Foo`; expected one of `CreateEcs`, `Upgrade`, `Downgrade`, `RenewDowngrade`"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.source().is_none());
}

#[derive(Debug, Clone, PartialEq, Eq, ParamValue)]
pub enum InstanceStatus {
    Running,
    #[rpc(rename = "stopped")]
    Stopped,
    /// Anything Aliyun adds later.
    #[rpc(other)]
    Unknown(String),
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances", response = Empty)]
pub struct ByStatus {
    pub status: Option<InstanceStatus>,
    #[rpc(simple)]
    pub statuses: Vec<InstanceStatus>,
}

#[test]
fn a_catch_all_variant_keeps_unknown_values() {
    assert_eq!("Running".parse(), Ok(InstanceStatus::Running));
    assert_eq!("stopped".parse(), Ok(InstanceStatus::Stopped));
    let later: InstanceStatus = "Hibernated".parse().unwrap_or(InstanceStatus::Running);
    assert_eq!(later, InstanceStatus::Unknown("Hibernated".to_owned()));
    assert_eq!(later.as_str(), "Hibernated");
    assert_eq!(later.to_string(), "Hibernated");
    // A listed value never ends up in the catch-all, from `&str` or `String`.
    assert_eq!(InstanceStatus::from("stopped"), InstanceStatus::Stopped);
    assert_eq!(
        InstanceStatus::from("Stopped".to_owned()),
        InstanceStatus::Unknown("Stopped".to_owned())
    );
    assert_eq!(InstanceStatus::Stopped.as_str(), "stopped");
    let never: Result<InstanceStatus, std::convert::Infallible> = "".parse();
    assert_eq!(never, Ok(InstanceStatus::Unknown(String::new())));

    // Sent back unchanged; setters take a string.
    let req = ByStatus::new()
        .status("Hibernated")
        .push_statuses("Running")
        .push_statuses(InstanceStatus::Unknown("Pending".to_owned()));
    assert_eq!(
        req.to_params(),
        pairs(&[("Status", "Hibernated"), ("Statuses", "Running,Pending")])
    );
    assert_eq!(req.statuses[0], InstanceStatus::Running);
}

// --- request constants ----------------------------------------------------------------

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute", response = Empty, idempotent)]
pub struct ModifyInstanceAttribute {
    pub instance_id: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "RunInstances", response = Empty)]
pub struct RunInstances {
    pub region_id: String,
}

#[test]
fn idempotent_by_name_or_by_declaration() {
    let idempotent = [
        DescribeImageSupportInstanceTypes::IDEMPOTENT,
        RunInstances::IDEMPOTENT,
        Checked::IDEMPOTENT,
        ModifyInstanceAttribute::IDEMPOTENT,
    ];
    // A read; a create; `Check` needs an upper-case letter after it; declared.
    assert_eq!(idempotent, [true, false, false, true]);
}

// --- generics -------------------------------------------------------------------------

#[derive(Debug, Params)]
pub struct Wrapper<T: ParamValue> {
    pub inner: T,
    pub more: Vec<T>,
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Generic", response = Empty)]
pub struct Generic<'a, T: ParamValue> {
    pub wrapped: Wrapper<T>,
    pub name: &'a str,
}

#[test]
fn generic_structs() {
    let req = Generic::<u8>::new(Wrapper::<u8>::new(1u8).push_more(2u8), "n");
    assert_eq!(
        req.to_params(),
        pairs(&[
            ("Wrapped.Inner", "1"),
            ("Wrapped.More.1", "2"),
            ("Name", "n")
        ])
    );
}

// --- crate override, common names inside Params ---------------------------------------

mod renamed {
    pub use aliyun_rpc as rpc_alias;
}

#[derive(Debug, Params)]
#[rpc(crate = "renamed::rpc_alias")]
pub struct Signed {
    pub action: String,
    pub version: Option<u8>,
}

#[derive(Debug, Request)]
#[rpc(product = "R-kvstore", version = "2015-01-01", action = "Wrap", response = Empty,
      crate = "self::renamed::rpc_alias")]
pub struct Wrap {
    pub inner: Signed,
}

#[test]
fn crate_override_and_common_names_under_a_prefix() {
    let req = Wrap::new(Signed::new("a").version(2u8));
    assert_eq!(
        req.to_params(),
        pairs(&[("Inner.Action", "a"), ("Inner.Version", "2")])
    );
    assert_eq!(Wrap::PRODUCT, "R-kvstore");
}
