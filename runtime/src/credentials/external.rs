//! Credentials printed by an external command: the Aliyun CLI's `External` mode, whose
//! profile names a `process_command` that prints
//!
//! ```json
//! {"mode": "StsToken", "access_key_id": "STS.…", "access_key_secret": "…",
//!  "sts_token": "…", "expiration": "2026-11-27T06:00:00Z"}
//! ```
//!
//! (`mode` `AK` for an access key, without `sts_token`; `expiration` optional).

use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::command_line;
use super::http::json_error;
use super::{parse_expiration, BoxFuture, CachedProvider, Credentials, ProvideCredentials};
use crate::error::{BoxError, Error};
use crate::limits::{
    CREDENTIALS_DOCUMENT_BYTES, EXTERNAL_PROCESS_TIMEOUT, MAX_CODE_BYTES, MAX_MESSAGE_BYTES,
};
use crate::untrusted::{bound, Escaped};

/// How long a killed command gets to be reaped before it is left to the runtime.
const REAP_WAIT: Duration = Duration::from_secs(1);

/// Runs a command at each call and reads credentials from what it prints: the Aliyun CLI's
/// `External` mode.
///
/// **No shell.** The command is a program and its arguments, run directly (never `sh -c`):
/// [`builder`](Self::builder) splits a command line by the POSIX shell's quoting rules
/// (`'…'`, `"…"`, `\`) and refuses what only a shell would act on (an unquoted `|`, `;`,
/// `&`, `<`, `>`, `(`, `)`, a `$` or `` ` `` outside single quotes), and
/// [`from_args`](Self::from_args) takes the words as they are. The command inherits the
/// environment and the working directory; its standard input is empty.
///
/// **Bounded.** The command gets [`EXTERNAL_PROCESS_TIMEOUT`] (60 s, set with
/// [`ExternalProcessProviderBuilder::timeout`]), after which it is killed; its standard
/// output may hold at most 64 KiB (more, and it is killed); of its standard error the first
/// 1 KiB is kept, for the error when it fails.
///
/// **What it prints.** Standard output is one JSON object: `mode` (`AK` or `StsToken`; when
/// absent, `StsToken` if `sts_token` is there), `access_key_id`, `access_key_secret`,
/// `sts_token` (for `StsToken`), `expiration` (optional, RFC 3339). A non-zero exit, a
/// command killed at the timeout, output that is not such an object: each is an error that
/// says which, in bounded time, and never shows what the command printed on standard output
/// (it may hold the secret).
///
/// **Caching.** Wrap it in [`CachedProvider`] (or call [`cached`](Self::cached)):
/// credentials with an `expiration` are kept until 180 s before it; `AK` credentials
/// without one are kept for good (an access key does not expire: a command whose keys
/// rotate should print `expiration`); `StsToken` credentials without one are taken to expire
/// at once, so the command runs again at the next call, as the official libraries do.
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc::credentials::ExternalProcessProvider;
///
/// let p = ExternalProcessProvider::builder("/usr/local/bin/get-creds --profile 'prod eu'")
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(
///     format!("{p:?}"),
///     r#"ExternalProcessProvider { program: "/usr/local/bin/get-creds", args: 2, timeout: 10s }"#
/// );
/// let err = ExternalProcessProvider::builder("get-creds | jq .").build().unwrap_err();
/// assert!(err.to_string().contains("not run by a shell"));
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct ExternalProcessProvider {
    program: String,
    args: Vec<String>,
    timeout: Duration,
}

/// The arguments may hold secrets (`--token …`): only their number is shown.
impl fmt::Debug for ExternalProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalProcessProvider")
            .field("program", &self.program)
            .field("args", &self.args.len())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What the command prints.
#[derive(Deserialize)]
struct Output {
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    expiration: Option<String>,
}

impl ExternalProcessProvider {
    /// Starts a provider that runs `process_command`, split into words as described above
    /// (on Windows, a backslash outside quotes is kept as it is).
    pub fn builder(process_command: impl AsRef<str>) -> ExternalProcessProviderBuilder {
        ExternalProcessProviderBuilder {
            words: command_line::split(process_command.as_ref(), cfg!(windows)),
            timeout: EXTERNAL_PROCESS_TIMEOUT,
        }
    }

    /// Starts a provider that runs `args[0]` with the other words as its arguments, as given.
    pub fn from_args<I, S>(args: I) -> ExternalProcessProviderBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let words: Vec<String> = args.into_iter().map(Into::into).collect();
        let words = match words.first() {
            Some(program) if !program.is_empty() => Ok(words),
            _ => Err("it has no program".to_owned()),
        };
        ExternalProcessProviderBuilder {
            words,
            timeout: EXTERNAL_PROCESS_TIMEOUT,
        }
    }

    /// This provider behind a [`CachedProvider`].
    pub fn cached(self) -> CachedProvider<Self> {
        CachedProvider::new(self)
    }

    /// The program it runs.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// Runs the command once and reads its credentials.
    pub async fn fetch(&self) -> Result<Credentials, Error> {
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .map_err(|e| self.error("cannot be started".to_owned(), Some(Box::new(e))))?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(self.error("gave no output pipes".to_owned(), None));
        };
        let run = async {
            let (out, err) = tokio::try_join!(
                read_at_most(stdout, CREDENTIALS_DOCUMENT_BYTES),
                // One byte more than is shown: the error then marks the cut with `…`.
                keep_first(stderr, MAX_MESSAGE_BYTES + 1),
            )?;
            let status = child.wait().await.map_err(Ran::Io)?;
            Ok::<_, Ran>((status, out, err))
        };
        let ran = match tokio::time::timeout(self.timeout, run).await {
            Ok(ran) => ran,
            Err(_) => Err(Ran::TimedOut),
        };
        let (status, out, err) = match ran {
            Ok(done) => done,
            Err(why) => {
                let _ = child.start_kill();
                let _ = tokio::time::timeout(REAP_WAIT, child.wait()).await;
                return Err(match why {
                    Ran::TimedOut => self.error(
                        format!("did not finish within {:?}, and was killed", self.timeout),
                        None,
                    ),
                    Ran::TooMuch => self.error(
                        format!(
                            "printed more than {CREDENTIALS_DOCUMENT_BYTES} bytes, the limit \
                             for a credentials document, and was killed"
                        ),
                        None,
                    ),
                    Ran::Io(e) => {
                        self.error("could not be read from".to_owned(), Some(Box::new(e)))
                    }
                });
            }
        };
        if !status.success() {
            let how = match status.code() {
                Some(code) => format!("exited with status {code}"),
                None => "was killed by a signal".to_owned(),
            };
            let stderr = String::from_utf8_lossy(&err);
            let stderr = stderr.trim();
            let said = if stderr.is_empty() {
                "; it wrote nothing on standard error".to_owned()
            } else {
                format!(
                    "; its standard error: {}",
                    Escaped(&bound(stderr, MAX_MESSAGE_BYTES))
                )
            };
            return Err(self.error(format!("{how}{said}"), None));
        }
        self.credentials(&out)
    }

    /// The credentials in what the command printed.
    fn credentials(&self, stdout: &[u8]) -> Result<Credentials, Error> {
        let output: Output = serde_json::from_slice(stdout).map_err(|e| {
            self.error(
                format!(
                    "printed {} on standard output, not the expected JSON object",
                    json_error(&e)
                ),
                None,
            )
        })?;
        let token = output.sts_token.filter(|t| !t.trim().is_empty());
        let sts = match output.mode.as_deref() {
            Some("AK") => false,
            Some("StsToken") => true,
            None => token.is_some(),
            Some(other) => {
                return Err(self.error(
                    format!(
                        "printed the mode `{}`; expected `AK` or `StsToken`",
                        Escaped(&bound(other, MAX_CODE_BYTES))
                    ),
                    None,
                ))
            }
        };
        let field = |value: Option<String>, name: &str| {
            value
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| self.error(format!("printed no `{name}` (or an empty one)"), None))
        };
        let id = field(output.access_key_id, "access_key_id")?;
        let secret = field(output.access_key_secret, "access_key_secret")?;
        let mut credentials = Credentials::new(id, secret);
        if sts {
            credentials = credentials.with_security_token(field(token, "sts_token")?);
        }
        match output.expiration.filter(|e| !e.trim().is_empty()) {
            Some(text) => {
                let at = parse_expiration(&text).map_err(|e| {
                    self.error(
                        format!(
                            "printed the `expiration` `{}`, which is not an RFC 3339 time",
                            Escaped(&bound(&text, MAX_CODE_BYTES))
                        ),
                        Some(Box::new(e)),
                    )
                })?;
                credentials = credentials.with_expiration(at);
            }
            // Temporary credentials of unknown life: used once.
            None if sts => {
                credentials = credentials.with_expiration(time::OffsetDateTime::now_utc());
            }
            None => {}
        }
        Ok(credentials)
    }

    fn error(&self, what: String, source: Option<BoxError>) -> Error {
        Error::Credentials {
            message: format!(
                "external command `{}` {what}",
                Escaped(&bound(&self.program, 256))
            ),
            source,
        }
    }
}

impl ProvideCredentials for ExternalProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// Why a run gave nothing to look at.
enum Ran {
    TimedOut,
    TooMuch,
    Io(std::io::Error),
}

/// The whole stream, or [`Ran::TooMuch`] as soon as it is longer than `limit`.
async fn read_at_most(stream: impl AsyncRead + Unpin, limit: usize) -> Result<Vec<u8>, Ran> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    stream
        .take(cap)
        .read_to_end(&mut out)
        .await
        .map_err(Ran::Io)?;
    if out.len() > limit {
        return Err(Ran::TooMuch);
    }
    Ok(out)
}

/// The first `keep` bytes of the stream, read to its end (so that the command never blocks
/// on a full pipe); what follows is dropped.
async fn keep_first(mut stream: impl AsyncRead + Unpin, keep: usize) -> Result<Vec<u8>, Ran> {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = match stream.read(&mut buffer).await {
            Ok(0) => return Ok(kept),
            Ok(n) => n,
            // Standard error is only for the message: a broken one is not a failure.
            Err(_) => return Ok(kept),
        };
        let room = keep.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..n.min(room)]);
    }
}

/// Configures an [`ExternalProcessProvider`].
#[derive(Clone)]
pub struct ExternalProcessProviderBuilder {
    words: Result<Vec<String>, String>,
    timeout: Duration,
}

/// Like the provider's: the program, how many arguments, the timeout.
impl fmt::Debug for ExternalProcessProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (program, args) = match &self.words {
            Ok(words) => (
                words.first().map(String::as_str),
                words.len().saturating_sub(1),
            ),
            Err(_) => (None, 0),
        };
        f.debug_struct("ExternalProcessProviderBuilder")
            .field("program", &program)
            .field("args", &args)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl ExternalProcessProviderBuilder {
    /// How long the command may run before it is killed (default
    /// [`EXTERNAL_PROCESS_TIMEOUT`], 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the provider; fails on a command line that cannot be split (an unclosed
    /// quote, shell syntax, nothing at all), with its position, never its text.
    pub fn build(self) -> Result<ExternalProcessProvider, Error> {
        let refuse =
            |why: &str| Error::credentials(format!("external command: the process command: {why}"));
        let mut words = self.words.map_err(|why| refuse(&why))?.into_iter();
        let Some(program) = words.next() else {
            return Err(refuse("it has no program"));
        };
        Ok(ExternalProcessProvider {
            program,
            args: words.collect(),
            timeout: self.timeout,
        })
    }
}
