//! The main example's call with generated types: ECS `DescribeImageSupportInstanceTypes`
//! from `examples/generated/ecs.rs`, which `aliyun-rpc-gen` wrote from the vendored metadata,
//! in place of the hand-written types of `examples/common/ecs.rs`. Same arguments, same
//! output, same params on the wire (`tests/example.rs` compares them).
//!
//! ```text
//! cargo run --example generated_types
//! cargo run --example generated_types -- --format xml --method get \
//!     --filter InstanceTypeFamily=ecs.g6
//! ```
//!
//! Credentials as in `describe_image_support_instance_types` (`examples/common/backend.rs`):
//! the default chain's, calling the real service or `--endpoint`; without any, the emulator
//! in-process, offline.
//!
//! What the generated types change for the caller: the list field is named like its wire
//! name (`filter`, items `DescribeImageSupportInstanceTypesFilter` with optional `key` and
//! `value`), `ActionType` is a string (the metadata lists no values for it), and every
//! response field is optional (Aliyun omits fields freely).
//!
//! `examples/generated/ecs.rs` holds eight ECS actions and is checked in exactly as the CLI
//! wrote it; `codegen/tests/checked_in.rs` fails when the metadata or the generator would now
//! write something else. Regenerate it from the workspace root with
//!
//! ```text
//! cargo run -p aliyun-rpc-codegen --bin aliyun-rpc-gen -- \
//!     --api-docs metadata/data/ecs-2014-05-26.json \
//!     --action AuthorizeSecurityGroup --action CreateSecurityGroup \
//!     --action DeleteInstance --action DescribeImageSupportInstanceTypes \
//!     --action DescribeInstances --action DescribeRegions \
//!     --action RunInstances --action StopInstance \
//!     --out examples/generated/ecs.rs
//! ```

#[path = "common/backend.rs"]
mod backend;
/// ECS 2014-05-26: eight actions, generated (most of them unused here). `rustfmt::skip`:
/// the file stays byte for byte what the CLI wrote (prettyplease formats it, not rustfmt).
#[path = "generated/ecs.rs"]
#[allow(dead_code)]
#[rustfmt::skip]
mod ecs;

use std::process::ExitCode;

use aliyun_rpc::{Error, Format, Method};
use backend::Backend;
use clap::{Parser, ValueEnum};

use ecs::{
    DescribeImageSupportInstanceTypes, DescribeImageSupportInstanceTypesFilter,
    DescribeImageSupportInstanceTypesResponseInstanceType as InstanceType,
};

/// Lists the instance types an ECS image supports, with generated types.
#[derive(Debug, Parser)]
struct Args {
    /// The image to ask about.
    #[arg(long, default_value = "m-imageid1")]
    image_id: String,
    /// CreateEcs, Upgrade, Downgrade or RenewDowngrade.
    #[arg(long)]
    action_type: Option<String>,
    /// A filter as KEY=VALUE (repeatable), e.g. InstanceTypeFamily=ecs.g6.
    #[arg(long = "filter", value_parser = parse_filter)]
    filters: Vec<DescribeImageSupportInstanceTypesFilter>,
    /// The response format.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// The HTTP method.
    #[arg(long, value_enum, default_value = "post")]
    method: MethodArg,
    /// Send to this endpoint instead of the product's regional one.
    #[arg(long)]
    endpoint: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Xml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MethodArg {
    Get,
    Post,
}

fn parse_filter(s: &str) -> Result<DescribeImageSupportInstanceTypesFilter, String> {
    match s.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(DescribeImageSupportInstanceTypesFilter::new()
            .key(key)
            .value(value)),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(api) = e.as_api() {
                eprintln!("  code:       {}", api.code());
                eprintln!("  message:    {}", api.message());
                eprintln!("  request id: {}", api.request_id().unwrap_or("-"));
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Error> {
    // Keeps the emulator, if any, alive until the call has returned.
    let backend = Backend::find(args.endpoint.as_deref()).await?;
    let client = backend
        .builder
        .format(match args.format {
            FormatArg::Json => Format::Json,
            FormatArg::Xml => Format::Xml,
        })
        .method(match args.method {
            MethodArg::Get => Method::Get,
            MethodArg::Post => Method::Post,
        })
        .build()?;

    let mut request = DescribeImageSupportInstanceTypes::new(&backend.region)
        .image_id(args.image_id)
        .filter(args.filters);
    if let Some(action_type) = args.action_type {
        request = request.action_type(action_type);
    }
    let response = client.call(&request).await?;

    let shown = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    println!("RequestId: {}", shown(&response.request_id));
    println!("Region:    {}", shown(&response.region_id));
    println!("Image:     {}", shown(&response.image_id));
    println!();
    print!("{}", instance_type_table(&response.instance_types));
    Ok(())
}

/// The instance types as the main example's fixed-width table; `-` for an absent field.
fn instance_type_table(types: &[InstanceType]) -> String {
    let shown = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let rows: Vec<[String; 4]> = types
        .iter()
        .map(|t| {
            [
                shown(t.instance_type_id.clone()),
                shown(t.instance_type_family.clone()),
                shown(t.cpu_core_count.map(|n| n.to_string())),
                shown(t.memory_size.map(|n| n.to_string())),
            ]
        })
        .collect();
    let width = rows.iter().map(|r| r[0].len()).max().unwrap_or(0).max(13);
    let mut out = format!(
        "{:<width$}  {:<10}  {:>4}  {:>12}\n",
        "INSTANCE TYPE", "FAMILY", "VCPU", "MEMORY (GiB)"
    );
    for [id, family, cpus, memory] in rows {
        out.push_str(&format!(
            "{id:<width$}  {family:<10}  {cpus:>4}  {memory:>12}\n"
        ));
    }
    out
}
