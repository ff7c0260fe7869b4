//! `wire::default_wire_name` is the derive's naming rule, mirrored: the names the derive gives
//! real fields are the names the function gives them. (An integration test, so that `wire`
//! itself needs nothing from the parameter model.)

/// The same names, as the derive gives them to real fields.
#[test]
fn the_derive_names_fields_by_the_same_rule() {
    #[derive(aliyun_rpc::Params)]
    #[allow(dead_code, non_snake_case)]
    struct Fields {
        region_id: u8,
        r#type: u8,
        ipv6_address: u8,
        x: u8,
        a1_b2: u8,
        db_instance_id: u8,
    }
    let fields = Fields {
        region_id: 0,
        r#type: 0,
        ipv6_address: 0,
        x: 0,
        a1_b2: 0,
        db_instance_id: 0,
    };
    let mut pairs = Vec::new();
    aliyun_rpc::Params::write_params(
        &fields,
        &mut aliyun_rpc::params::ParamWriter::new(&mut pairs),
    );
    let sent: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    let expected: Vec<String> = [
        "region_id",
        "r#type",
        "ipv6_address",
        "x",
        "a1_b2",
        "db_instance_id",
    ]
    .into_iter()
    .map(aliyun_rpc_runtime::wire::default_wire_name)
    .collect();
    assert_eq!(sent, expected);
}
