//! Fault injection: failing, throttling, delaying or dropping signed RPC calls on purpose,
//! and skewing the emulator's clock, so a client's retries, backoff and clock-skew
//! correction can be tested against a server that misbehaves the way Aliyun can.
//!
//! Faults are decided when a request to `/` arrives, before any signature check, and a
//! faulted request never reaches its action nor records its `SignatureNonce`: a client
//! that retries (with a new nonce, as it must, or even with the same one) is answered
//! normally once the faults are used up. The one exception is a lost answer
//! ([`Faults::lose_answer_next`]): decided after the action ran, it loses the answer of a
//! call that did happen. Anonymous RPC calls (`AssumeRoleWithOIDC`) are faulted like
//! signed ones, and so are requests to the credentials URI (a drop, a throttling answer or
//! the injected error as a JSON document; never a lost answer); metadata requests
//! (`/latest/…`) never are.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use time::OffsetDateTime;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::limits::MAX_CLOCK_SKEW_SECS;
use crate::sync::lock;
use crate::wire::{X_RATELIMIT_USER, X_RATELIMIT_USER_API};

/// Aliyun's throttling answer, with the rate-limit headers of [`throttle_headers`].
pub(crate) fn throttling_error() -> ApiError {
    ApiError::bad_request("Throttling.User", message_for("Throttling.User"))
}

/// `x-ratelimit-user-api` and `x-ratelimit-user`, as Aliyun sends them with
/// `Throttling.User`: `Limit:<n>,Remain:0,TimeLeft:<ms>,Reset:<epoch ms>`.
pub(crate) fn throttle_headers(
    time_left: Duration,
    now: OffsetDateTime,
) -> [(&'static str, String); 2] {
    let time_left_ms = time_left.as_millis();
    let reset_ms = (now.unix_timestamp_nanos() / 1_000_000).max(0) as u128 + time_left_ms;
    let value =
        |limit: u32| format!("Limit:{limit},Remain:0,TimeLeft:{time_left_ms},Reset:{reset_ms}");
    [
        (X_RATELIMIT_USER_API, value(100)),
        (X_RATELIMIT_USER, value(1000)),
    ]
}

/// The message Aliyun sends with a well-known code; anything else gets a generic one.
fn message_for(code: &str) -> &'static str {
    match code {
        "Throttling" | "Throttling.User" | "Throttling.Api" => {
            "Request was denied due to user flow control."
        }
        "ServiceUnavailable" => "The request has failed due to a temporary failure of the server.",
        "InternalError" => {
            "The request processing has failed due to some unknown error, exception or failure."
        }
        _ => "This error was injected by the emulator.",
    }
}

fn injected_error(code: String, status: u16) -> ApiError {
    let message = message_for(&code);
    ApiError::new(status, code, message)
}

/// What happens to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Start a response, then cut the connection; the action does not run.
    Drop,
    /// `400 Throttling.User` with rate-limit headers saying to wait `time_left`.
    Throttle { time_left: Duration },
    /// An error document.
    Fail(ApiError),
}

/// How [`Faults::lose_answer_next`] and [`Faults::lose_answer_percent`] lose the answer of
/// a call whose action already ran.
///
/// ```
/// use aliyun_rpc_emulator::{Emulator, LostAnswer};
///
/// let builder = Emulator::builder().faults(|f| {
///     f.lose_answer_next(1, LostAnswer::ServiceUnavailable);
/// });
/// # let _ = builder;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LostAnswer {
    /// The connection breaks mid-answer, like [`Faults::drop_next`]: `200` headers and the
    /// start of a document, then the connection is closed.
    #[default]
    Drop,
    /// `500 InternalError`, Aliyun's error document for a failure on its side.
    InternalError,
    /// `503 ServiceUnavailable`, likewise.
    ServiceUnavailable,
}

impl LostAnswer {
    /// The error answered instead of the action's answer (`None`: the connection breaks).
    pub(crate) fn error(self) -> Option<ApiError> {
        match self {
            LostAnswer::Drop => None,
            LostAnswer::InternalError => Some(injected_error("InternalError".to_owned(), 500)),
            LostAnswer::ServiceUnavailable => {
                Some(injected_error("ServiceUnavailable".to_owned(), 503))
            }
        }
    }
}

#[derive(Debug)]
struct Plan {
    fail_next: u64,
    fail_next_error: Option<ApiError>,
    /// `(percent, error)` rules, one per code, drawn in the order they were added.
    fail_percent: Vec<(f64, ApiError)>,
    drop_next: u64,
    drop_percent: f64,
    throttle_next: u64,
    throttle_time_left: Duration,
    lose_next: u64,
    lose_next_how: LostAnswer,
    lose_percent: f64,
    lose_percent_how: LostAnswer,
    latency: Duration,
    rng: fastrand::Rng,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            fail_next: 0,
            fail_next_error: None,
            fail_percent: Vec::new(),
            drop_next: 0,
            drop_percent: 0.0,
            throttle_next: 0,
            throttle_time_left: Duration::from_secs(1),
            lose_next: 0,
            lose_next_how: LostAnswer::Drop,
            lose_percent: 0.0,
            lose_percent_how: LostAnswer::Drop,
            latency: Duration::ZERO,
            rng: fastrand::Rng::new(),
        }
    }
}

/// Whether a `percent` % chance fires; draws from the RNG only when armed, so a seeded run
/// is reproducible for the same sequence of requests.
fn roll(rng: &mut fastrand::Rng, percent: f64) -> bool {
    percent > 0.0 && rng.f64() * 100.0 < percent
}

fn take_one(counter: &mut u64) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}

fn percent(p: f64) -> f64 {
    if p.is_nan() {
        0.0
    } else {
        p.clamp(0.0, 100.0)
    }
}

/// The fault controls of an emulator: set them on the builder with
/// [`EmulatorBuilder::faults`](crate::EmulatorBuilder::faults), or change them while it
/// runs through [`Emulator::faults`](crate::Emulator::faults). Every setter takes effect
/// for the next request and returns `&Self`, so calls chain.
///
/// When several faults are armed, one request gets at most one of them, checked in this
/// order: drop (next N, then percent) → throttle (next N) → fail (next N, then percent).
/// Latency applies on top, to every signed RPC request, faulted or not.
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
/// let emulator = Emulator::builder()
///     .faults(|f| {
///         f.fail_next(2, "ServiceUnavailable", 503).latency(Duration::from_millis(20));
///     })
///     .start()
///     .await?;
/// // Later, on the running emulator:
/// emulator.faults().throttle_next(1, Duration::from_millis(1500)).clock_skew_secs(-120);
/// assert_eq!(emulator.faults().clock_skew(), -120);
/// emulator.faults().clear();
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Faults {
    plan: Mutex<Plan>,
    clock: Arc<Clock>,
    injected: AtomicU64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            plan: Mutex::new(Plan::default()),
            clock: Arc::new(Clock::default()),
            injected: AtomicU64::new(0),
        }
    }
}

impl Faults {
    fn plan(&self) -> MutexGuard<'_, Plan> {
        lock(&self.plan)
    }

    pub(crate) fn clock(&self) -> &Arc<Clock> {
        &self.clock
    }

    /// Answers the next `n` signed RPC requests with error `code` and HTTP `status`
    /// (rendered like any Aliyun error: `RequestId`, `HostId`, `Code`, `Message`,
    /// `Recommend`, in the requested format). Well-known codes (`Throttling.User`,
    /// `ServiceUnavailable`, `InternalError`) get Aliyun's message. Replaces any earlier
    /// `fail_next`; `n = 0` disarms it.
    pub fn fail_next(&self, n: u64, code: impl Into<String>, status: u16) -> &Self {
        let mut plan = self.plan();
        plan.fail_next = n;
        plan.fail_next_error = Some(injected_error(code.into(), status));
        self
    }

    /// Answers `percent` % of signed RPC requests (0–100, fractions allowed) with error
    /// `code` and `status`, at random (see [`seed`](Self::seed)). One rule per code: calling
    /// it again for the same code replaces that rule, `0` removes it, and rules for other
    /// codes stay, so `fail_percent(10.0, "Throttling.User", 400)` and
    /// `fail_percent(10.0, "ServiceUnavailable", 503)` arm both. Each rule draws on its own,
    /// in the order the rules were added, and the first that fires answers.
    pub fn fail_percent(&self, percent: f64, code: impl Into<String>, status: u16) -> &Self {
        let code = code.into();
        let percent = self::percent(percent);
        let mut plan = self.plan();
        let rules = &mut plan.fail_percent;
        let error = injected_error(code.clone(), status);
        match rules.iter_mut().find(|(_, e)| e.code() == code) {
            Some(rule) if percent > 0.0 => *rule = (percent, error),
            Some(_) => rules.retain(|(_, e)| e.code() != code),
            None if percent > 0.0 => rules.push((percent, error)),
            None => {}
        }
        self
    }

    /// Seeds the random draws of the percentage faults, for reproducible runs.
    pub fn seed(&self, seed: u64) -> &Self {
        self.plan().rng = fastrand::Rng::with_seed(seed);
        self
    }

    /// Sleeps this long before answering each signed RPC request (`Duration::ZERO`: none).
    pub fn latency(&self, latency: Duration) -> &Self {
        self.plan().latency = latency;
        self
    }

    /// Drops the connection of the next `n` signed RPC requests mid-response: the
    /// emulator sends `200` headers with a `Content-Length` larger than the few body
    /// bytes it then writes, and closes the connection, so the client sees an incomplete
    /// body. The request is NOT executed (nothing is created, no nonce recorded).
    pub fn drop_next(&self, n: u64) -> &Self {
        self.plan().drop_next = n;
        self
    }

    /// Drops `percent` % of signed RPC requests mid-response, like
    /// [`drop_next`](Self::drop_next), at random.
    pub fn drop_percent(&self, percent: f64) -> &Self {
        self.plan().drop_percent = self::percent(percent);
        self
    }

    /// Throttles the next `n` signed RPC requests: `400 Throttling.User` (`Request was
    /// denied due to user flow control.`) with `x-ratelimit-user-api` and
    /// `x-ratelimit-user` headers `Limit:…,Remain:0,TimeLeft:<ms>,Reset:<epoch ms>`,
    /// `TimeLeft` being `time_left`.
    pub fn throttle_next(&self, n: u64, time_left: Duration) -> &Self {
        let mut plan = self.plan();
        plan.throttle_next = n;
        plan.throttle_time_left = time_left;
        self
    }

    /// Runs the next `n` signed RPC calls that pass every check — their action is executed,
    /// with its side effects: `CreateSecurityGroup` creates its group, the nonce is spent —
    /// and then loses the answer as `how` says: the connection breaks mid-answer, or the
    /// client gets a `500 InternalError` / `503 ServiceUnavailable` instead. What a client
    /// sees is the ambiguous failure of a real service ("did it run?"), for tests that a
    /// create is retried only when it is safe (with a `ClientToken`). Replaces any earlier
    /// `lose_answer_next`; `n = 0` disarms it.
    ///
    /// Requests refused before their action (signature, nonce, unknown action) do not use
    /// it up, nor do requests another fault already picked.
    ///
    /// ```
    /// use aliyun_rpc_emulator::{Emulator, LostAnswer};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
    /// let emulator = Emulator::start().await?;
    /// emulator.faults().lose_answer_next(1, LostAnswer::Drop);
    /// // … a client's CreateSecurityGroup: the group is created, the client sees a broken
    /// // connection; emulator.security_groups_created() says how many groups exist.
    /// # Ok(())
    /// # }
    /// ```
    pub fn lose_answer_next(&self, n: u64, how: LostAnswer) -> &Self {
        let mut plan = self.plan();
        plan.lose_next = n;
        plan.lose_next_how = how;
        self
    }

    /// Runs `percent` % of the signed RPC calls that pass every check and then loses their
    /// answer as `how` says, at random (see [`seed`](Self::seed)), like
    /// [`lose_answer_next`](Self::lose_answer_next).
    ///
    /// ```
    /// use aliyun_rpc_emulator::{Emulator, LostAnswer};
    ///
    /// let builder = Emulator::builder().faults(|f| {
    ///     f.seed(7).lose_answer_percent(10.0, LostAnswer::InternalError);
    /// });
    /// # let _ = builder;
    /// ```
    pub fn lose_answer_percent(&self, percent: f64, how: LostAnswer) -> &Self {
        let mut plan = self.plan();
        plan.lose_percent = self::percent(percent);
        plan.lose_percent_how = how;
        self
    }

    /// Shifts the emulator's clock by `secs` seconds (negative: behind). The timestamp
    /// window, token and credential expiry, issued `Expiration`s and the `Date` header
    /// all use the shifted clock, so a client with a correct clock gets
    /// `InvalidTimeStamp.Expired` once `|secs|` exceeds the window, and can read the
    /// offset from `Date`.
    ///
    /// The skew is clamped to ±[`MAX_CLOCK_SKEW_SECS`] (100 years), so the emulator's
    /// times stay far inside the calendar; [`clock_skew`](Self::clock_skew) tells the skew
    /// in force. (The `Date` header cannot show a time before 1970 and stops there.)
    ///
    /// ```
    /// use aliyun_rpc_emulator::{Emulator, MAX_CLOCK_SKEW_SECS};
    ///
    /// let builder = Emulator::builder().faults(|f| {
    ///     f.clock_skew_secs(i64::MAX);
    ///     assert_eq!(f.clock_skew(), MAX_CLOCK_SKEW_SECS);
    /// });
    /// # let _ = builder;
    /// ```
    pub fn clock_skew_secs(&self, secs: i64) -> &Self {
        self.clock
            .set_skew_secs(secs.clamp(-MAX_CLOCK_SKEW_SECS, MAX_CLOCK_SKEW_SECS));
        self
    }

    /// The current clock skew, in seconds.
    pub fn clock_skew(&self) -> i64 {
        self.clock.skew_secs()
    }

    /// Disarms every fault and resets the clock skew and latency (the counter stays).
    pub fn clear(&self) -> &Self {
        let mut plan = self.plan();
        let rng = plan.rng.clone();
        *plan = Plan {
            rng,
            ..Plan::default()
        };
        self.clock.set_skew_secs(0);
        self
    }

    /// How many requests were failed, throttled or dropped on purpose so far, or had their
    /// answer lost after their action ran.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::SeqCst)
    }

    /// Decides whether the answer of a call whose action just ran is lost, and how
    /// (consuming one "next N" when it fires).
    pub(crate) fn decide_lost_answer(&self) -> Option<LostAnswer> {
        let mut guard = self.plan();
        let plan = &mut *guard;
        let lost = if take_one(&mut plan.lose_next) {
            Some(plan.lose_next_how)
        } else if roll(&mut plan.rng, plan.lose_percent) {
            Some(plan.lose_percent_how)
        } else {
            None
        };
        drop(guard);
        if lost.is_some() {
            self.injected.fetch_add(1, Ordering::SeqCst);
        }
        lost
    }

    /// Decides the fate of one signed RPC request: the latency to add and the fault, if
    /// any (consuming one "next N" when it fires).
    pub(crate) fn decide(&self) -> (Duration, Option<Fault>) {
        let mut guard = self.plan();
        let plan = &mut *guard;
        let latency = plan.latency;
        let fault = if take_one(&mut plan.drop_next) || roll(&mut plan.rng, plan.drop_percent) {
            Some(Fault::Drop)
        } else if take_one(&mut plan.throttle_next) {
            Some(Fault::Throttle {
                time_left: plan.throttle_time_left,
            })
        } else if take_one(&mut plan.fail_next) {
            plan.fail_next_error.clone().map(Fault::Fail)
        } else {
            let rng = &mut plan.rng;
            plan.fail_percent
                .iter()
                .find(|(percent, _)| roll(rng, *percent))
                .map(|(_, error)| Fault::Fail(error.clone()))
        };
        drop(guard);
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::SeqCst);
        }
        (latency, fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_n_are_consumed_in_order() {
        let faults = Faults::default();
        faults
            .fail_next(1, "ServiceUnavailable", 503)
            .throttle_next(1, Duration::from_millis(10))
            .drop_next(1);
        assert_eq!(faults.decide().1, Some(Fault::Drop));
        assert_eq!(
            faults.decide().1,
            Some(Fault::Throttle {
                time_left: Duration::from_millis(10)
            })
        );
        let Some(Fault::Fail(err)) = faults.decide().1 else {
            panic!("expected a failure");
        };
        assert_eq!(err.code(), "ServiceUnavailable");
        assert_eq!(err.http_status(), 503);
        assert_eq!(
            err.message(),
            "The request has failed due to a temporary failure of the server."
        );
        assert_eq!(faults.decide().1, None);
        assert_eq!(faults.injected(), 3);
    }

    #[test]
    fn percentage_rules_for_different_codes_add_up() {
        let faults = Faults::default();
        faults
            .seed(3)
            .fail_percent(20.0, "Throttling.User", 400)
            .fail_percent(20.0, "ServiceUnavailable", 503)
            .fail_percent(50.0, "ServiceUnavailable", 503);
        let codes: Vec<String> = (0..2000)
            .filter_map(|_| match faults.decide().1 {
                Some(Fault::Fail(e)) => Some(e.code().to_owned()),
                _ => None,
            })
            .collect();
        let throttled = codes.iter().filter(|c| *c == "Throttling.User").count();
        let unavailable = codes.iter().filter(|c| *c == "ServiceUnavailable").count();
        // 20 % first; then 50 % of the remaining 80 % (the second call replaced 20 with 50).
        assert!((300..500).contains(&throttled), "{throttled}");
        assert!((700..900).contains(&unavailable), "{unavailable}");

        faults.fail_percent(0.0, "Throttling.User", 400);
        let any_throttled = (0..500).any(
            |_| matches!(faults.decide().1, Some(Fault::Fail(e)) if e.code() == "Throttling.User"),
        );
        assert!(!any_throttled, "a 0 % rule is removed");
    }

    #[test]
    fn seeded_percentages_are_reproducible() {
        let run = || {
            let faults = Faults::default();
            faults.seed(7).fail_percent(30.0, "InternalError", 500);
            (0..200)
                .map(|_| faults.decide().1.is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let failed = first.iter().filter(|f| **f).count();
        assert!((30..=90).contains(&failed), "{failed} of 200 at 30 %");
    }

    #[test]
    fn percent_bounds() {
        let faults = Faults::default();
        faults.drop_percent(100.0);
        assert!((0..50).all(|_| faults.decide().1 == Some(Fault::Drop)));
        faults.drop_percent(f64::NAN);
        assert_eq!(faults.decide().1, None);
    }

    #[test]
    fn throttle_headers_follow_aliyun() {
        let now = time::macros::datetime!(2023-11-14 22:13:20 UTC);
        let [api, user] = throttle_headers(Duration::from_millis(1500), now);
        assert_eq!(api.0, "x-ratelimit-user-api");
        assert_eq!(
            api.1,
            "Limit:100,Remain:0,TimeLeft:1500,Reset:1700000001500"
        );
        assert_eq!(user.0, "x-ratelimit-user");
        assert_eq!(
            user.1,
            "Limit:1000,Remain:0,TimeLeft:1500,Reset:1700000001500"
        );
    }

    #[test]
    fn lost_answers_are_their_own_plan() {
        let faults = Faults::default();
        faults
            .lose_answer_next(2, LostAnswer::ServiceUnavailable)
            .drop_next(1);
        assert_eq!(faults.decide().1, Some(Fault::Drop));
        assert_eq!(
            faults.decide_lost_answer(),
            Some(LostAnswer::ServiceUnavailable)
        );
        assert_eq!(
            faults.decide_lost_answer(),
            Some(LostAnswer::ServiceUnavailable)
        );
        assert_eq!(faults.decide_lost_answer(), None);
        assert_eq!(faults.injected(), 3);
        let err = LostAnswer::ServiceUnavailable.error().unwrap();
        assert_eq!((err.http_status(), err.code()), (503, "ServiceUnavailable"));
        let err = LostAnswer::InternalError.error().unwrap();
        assert_eq!((err.http_status(), err.code()), (500, "InternalError"));
        assert!(LostAnswer::Drop.error().is_none());

        faults
            .seed(5)
            .lose_answer_percent(100.0, LostAnswer::InternalError);
        assert!((0..20).all(|_| faults.decide_lost_answer() == Some(LostAnswer::InternalError)));
        faults.clear();
        assert_eq!(faults.decide_lost_answer(), None);
    }

    #[test]
    fn clear_resets_skew_and_plan() {
        let faults = Faults::default();
        faults
            .clock_skew_secs(-30)
            .fail_next(5, "X", 400)
            .latency(Duration::from_millis(5));
        faults.clear();
        assert_eq!(faults.clock_skew(), 0);
        assert_eq!(faults.decide(), (Duration::ZERO, None));
    }
}
