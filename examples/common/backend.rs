//! Where the examples send their calls: the real service when the default credentials chain
//! finds credentials, else an emulator started in-process, offline. Shared by the examples
//! that make the seed call (`#[path]`-included), so they start and report it the same way.

use aliyun_rpc::credentials::DefaultChain;
use aliyun_rpc::{Client, ClientBuilder, Credentials, Error};
use aliyun_rpc_emulator::Emulator;

/// A client builder aimed at the service or at the in-process emulator, and the region.
pub struct Backend {
    /// Credentials, region and, for the emulator or an `--endpoint`, the endpoint; the caller
    /// adds its own settings (format, method, …) and builds.
    pub builder: ClientBuilder,
    /// `ALIBABA_CLOUD_REGION_ID`, else the credentials profile's region, else `cn-hangzhou`.
    pub region: String,
    /// The emulator when calls go to it, held here because it stops when dropped: keep the
    /// `Backend` alive until the last call has returned.
    _emulator: Option<Emulator>,
}

impl Backend {
    /// Credentials from the default chain (environment, `~/.aliyun/config.json`,
    /// `~/.alibabacloud/credentials`, ECS RAM role) and calls to the product's endpoint or
    /// `endpoint`; without credentials, an emulator started here (an `endpoint` then is an
    /// error: it needs credentials). Says on stderr which one it chose.
    pub async fn find(endpoint: Option<&str>) -> Result<Backend, Error> {
        let chain = DefaultChain::find()?;
        let region = std::env::var("ALIBABA_CLOUD_REGION_ID")
            .ok()
            .or_else(|| chain.as_ref().and_then(|c| c.region().map(str::to_owned)))
            .unwrap_or_else(|| "cn-hangzhou".into());
        match chain {
            Some(chain) => {
                eprintln!("credentials from {}", chain.source());
                let mut builder = Client::builder()
                    .credentials_provider(chain)
                    .region(&region);
                if let Some(endpoint) = endpoint {
                    builder = builder.endpoint(endpoint);
                }
                Ok(Backend {
                    builder,
                    region,
                    _emulator: None,
                })
            }
            None if endpoint.is_some() => Err(Error::credentials(
                "--endpoint needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            )),
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
                Ok(Backend {
                    builder,
                    region,
                    _emulator: Some(emulator),
                })
            }
        }
    }
}
