//! Lists the instance types an ECS image supports: the seed API, end to end.
//!
//! ```text
//! cargo run --example describe_image_support_instance_types
//! cargo run --example describe_image_support_instance_types -- --format xml --method get \
//!     --filter InstanceTypeFamily=ecs.g6
//! cargo run --example describe_image_support_instance_types -- --signature v3
//! ```
//!
//! When the default credentials chain finds credentials (environment, `~/.aliyun/config.json`,
//! `~/.alibabacloud/credentials`, ECS RAM role; region from `ALIBABA_CLOUD_REGION_ID`, else the
//! profile's, else `cn-hangzhou`) it calls the real service, or `--endpoint`. When it finds
//! none, it starts the emulator in-process and calls that, offline.

#[path = "common/ecs.rs"]
mod ecs;

use std::process::ExitCode;

use aliyun_rpc::client::SignatureVersion;
use aliyun_rpc::credentials::DefaultChain;
use aliyun_rpc::{Client, Credentials, Error, Format, Method};
use aliyun_rpc_emulator::Emulator;
use clap::{Parser, ValueEnum};

use ecs::{instance_type_table, ActionType, DescribeImageSupportInstanceTypes, Filter};

/// Lists the instance types an ECS image supports.
#[derive(Debug, Parser)]
struct Args {
    /// The image to ask about.
    #[arg(long, default_value = "m-imageid1")]
    image_id: String,
    /// CreateEcs, Upgrade, Downgrade or RenewDowngrade.
    #[arg(long, value_parser = parse_action_type)]
    action_type: Option<ActionType>,
    /// A filter as KEY=VALUE (repeatable), e.g. InstanceTypeFamily=ecs.g6.
    #[arg(long = "filter", value_parser = parse_filter)]
    filters: Vec<Filter>,
    /// The response format.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// The HTTP method.
    #[arg(long, value_enum, default_value = "post")]
    method: MethodArg,
    /// Send to this endpoint instead of the product's regional one.
    #[arg(long)]
    endpoint: Option<String>,
    /// The signature: v1 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, value_enum)]
    signature: Option<SignatureArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SignatureArg {
    V1,
    V3,
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

fn parse_action_type(s: &str) -> Result<ActionType, String> {
    s.parse()
        .map_err(|e: aliyun_rpc::error::ParseEnumError| e.to_string())
}

fn parse_filter(s: &str) -> Result<Filter, String> {
    match s.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(Filter {
            key: key.into(),
            value: value.into(),
        }),
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
    let chain = DefaultChain::find()?;
    let region = std::env::var("ALIBABA_CLOUD_REGION_ID")
        .ok()
        .or_else(|| chain.as_ref().and_then(|c| c.region().map(str::to_owned)))
        .unwrap_or_else(|| "cn-hangzhou".into());
    // Keep the emulator alive for the whole call when we use it.
    let (builder, _emulator) = match chain {
        Some(chain) => {
            eprintln!("credentials from {}", chain.source());
            (
                Client::builder()
                    .credentials_provider(chain)
                    .region(&region),
                None,
            )
        }
        None if args.endpoint.is_some() => {
            return Err(Error::credentials(
                "--endpoint needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            ));
        }
        None => {
            let emulator = Emulator::start()
                .await
                .map_err(|e| Error::config(format!("cannot start the emulator: {e}")))?;
            eprintln!(
                "no credentials found: calling the in-process emulator at {}",
                emulator.endpoint()
            );
            let credentials =
                Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
            let builder = Client::builder()
                .credentials(credentials)
                .region(&region)
                .endpoint(emulator.endpoint());
            (builder, Some(emulator))
        }
    };
    let signature = match args.signature {
        None => SignatureVersion::default(),
        Some(chosen) => {
            let signature = match chosen {
                SignatureArg::V1 => SignatureVersion::V1,
                SignatureArg::V3 => SignatureVersion::V3,
            };
            eprintln!("signing with {signature}");
            signature
        }
    };
    let mut builder = builder
        .format(match args.format {
            FormatArg::Json => Format::Json,
            FormatArg::Xml => Format::Xml,
        })
        .method(match args.method {
            MethodArg::Get => Method::Get,
            MethodArg::Post => Method::Post,
        })
        .signature_version(signature);
    if let Some(endpoint) = &args.endpoint {
        builder = builder.endpoint(endpoint);
    }
    let client = builder.build()?;

    let mut request = DescribeImageSupportInstanceTypes::new(&region)
        .image_id(args.image_id)
        .filters(args.filters);
    if let Some(action_type) = args.action_type {
        request = request.action_type(action_type);
    }
    let response = client.call(&request).await?;

    println!("RequestId: {}", response.request_id);
    println!("Region:    {}", response.region_id);
    println!("Image:     {}", response.image_id);
    println!();
    print!("{}", instance_type_table(&response.instance_types));
    Ok(())
}
