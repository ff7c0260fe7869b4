//! The vendored copies load, normalised, with the facts the generator and emulator rely on.

use aliyun_rpc_metadata::{
    vendored, ApiDocs, ApiStyle, Error, HttpMethod, Location, Number, OperationType, Style, Type,
};

fn load(text: &str, name: &str) -> ApiDocs {
    match ApiDocs::from_json_named(text, name) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn ecs_loads_with_every_action_and_no_dotted_or_duplicate_params() {
    let ecs = load(vendored::ECS_2014_05_26, vendored::ECS_2014_05_26_FILE);
    assert_eq!(ecs.info.product, "Ecs");
    assert_eq!(ecs.info.version, "2014-05-26");
    assert_eq!(ecs.info.style, ApiStyle::Rpc);
    assert_eq!(ecs.apis.len(), 347);
    assert_eq!(ecs.endpoints.len(), 35);
    for api in ecs.apis.values() {
        let mut names: Vec<&str> = api.parameters.iter().map(|p| p.name.as_str()).collect();
        assert!(
            names.iter().all(|n| !n.contains('.')),
            "{}: {names:?}",
            api.name
        );
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "{} lists a param twice", api.name);
        assert!(api.parameters.iter().all(|p| p.location == Location::Query));
    }
}

#[test]
fn ecs_seed_action_matches_its_file() {
    let ecs = load(vendored::ECS_2014_05_26, vendored::ECS_2014_05_26_FILE);
    let api = &ecs.apis["DescribeImageSupportInstanceTypes"];
    assert_eq!(api.methods, [HttpMethod::Post, HttpMethod::Get]);
    assert_eq!(api.operation_type, Some(OperationType::Get));
    let names: Vec<&str> = api.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["RegionId", "ImageId", "ActionType", "Filter"]);
    let filter = &api.parameters[3];
    assert_eq!(filter.style, Some(Style::RepeatList));
    assert_eq!(filter.schema.max_items, Some(10));
    let response = api.response.as_ref().expect("a response schema");
    let types = &response.properties["InstanceTypes"].properties["InstanceType"];
    assert_eq!(types.ty, Type::Array);
    let item = types.items.as_deref().expect("items");
    assert_eq!(
        item.properties["CpuCoreCount"].format.as_deref(),
        Some("int32")
    );
    assert!(api
        .response_demo
        .json
        .as_deref()
        .is_some_and(|j| j.contains("ecs.t1.xsmall")));
    assert!(api
        .response_demo
        .xml
        .as_deref()
        .is_some_and(|x| x.starts_with("<DescribeImageSupportInstanceTypesResponse>")));
    assert_eq!(api.error_codes[&404][0].code, "InvalidUsage");
}

#[test]
fn ecs_run_instances_folds_its_dotted_params() {
    let ecs = load(vendored::ECS_2014_05_26, vendored::ECS_2014_05_26_FILE);
    let api = &ecs.apis["RunInstances"];
    let disk = api.parameter("SystemDisk").expect("SystemDisk");
    for prop in [
        "Size",
        "Category",
        "DiskName",
        "Description",
        "PerformanceLevel",
        "AutoSnapshotPolicyId",
        "KMSKeyId",
        "Encrypted",
    ] {
        assert!(
            disk.schema.properties.contains_key(prop),
            "SystemDisk.{prop}"
        );
    }
    for synthesized in [
        "CpuOptions",
        "HibernationOptions",
        "PrivatePoolOptions",
        "SchedulerOptions",
        "SecurityOptions",
    ] {
        let p = api.parameter(synthesized).expect(synthesized);
        assert_eq!(p.style, Some(Style::Flat), "{synthesized}");
        assert_eq!(p.schema.ty, Type::Object, "{synthesized}");
    }
    let page = ecs.apis["DescribeInstances"]
        .parameter("PageSize")
        .expect("PageSize");
    assert_eq!(page.schema.maximum, Some(Number::Int(100)));
    assert_eq!(
        api.parameter("VSwitchId").map(|p| p.schema.ty.clone()),
        Some(Type::String)
    );
}

#[test]
fn nlb_loads_with_form_params() {
    let nlb = load(vendored::NLB_2022_04_30, vendored::NLB_2022_04_30_FILE);
    assert_eq!((nlb.info.product.as_str(), nlb.apis.len()), ("Nlb", 49));
    let create = &nlb.apis["CreateLoadBalancer"];
    assert_eq!(
        create.parameter("VpcId").map(|p| &p.location),
        Some(&Location::FormData)
    );
    let zones = create.parameter("ZoneMappings").expect("ZoneMappings");
    assert_eq!(zones.style, Some(Style::Flat));
    // `enum: []` in the file: no enum.
    assert!(create
        .parameter("AddressType")
        .is_some_and(|p| p.schema.enum_values.is_empty()));
    assert_eq!(vendored::ALL.len(), 2);
}

#[test]
fn files_are_read_bounded_and_errors_name_them() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("aliyun-rpc-metadata");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let err = ApiDocs::from_file(&dir).expect_err("a directory");
    assert!(matches!(err, Error::NotAFile { .. }), "{err:?}");
    assert!(err.to_string().contains(&dir.display().to_string()));

    let file = dir.join("ecs.json");
    std::fs::write(&file, vendored::ECS_2014_05_26).expect("write");
    let err = ApiDocs::from_file_with_limit(&file, 1000).expect_err("too large");
    assert_eq!(
        err.to_string(),
        format!(
            "metadata file `{}` is larger than the limit of 1000 bytes",
            file.display()
        )
    );
    let ecs = ApiDocs::from_file(&file).expect("loads");
    assert_eq!(ecs.apis.len(), 347);

    std::fs::write(&file, "{\"info\": 1}").expect("write");
    let err = ApiDocs::from_file(&file).expect_err("not api-docs");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: not an api-docs.json document",
            file.display()
        )),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
