//! Retry decisions, pure and testable: which responses to retry, how long to wait.
//!
//! Every delay this crate computes is at most [`MAX_DELAY`], whatever the server sends, and a
//! server's `retry:` field is never taken below [`MIN_RECONNECTION_TIME`].

use std::time::{Duration, SystemTime};

use http::StatusCode;

// ANCHOR: limits
/// The longest the client ever waits before reconnecting: one hour. A `Retry-After` (or
/// `retry-after-ms`) asking for more is clamped to this, so that a hostile or broken value such
/// as `1e300` or `99999999999999999999` can neither overflow the clock nor park a client forever.
pub const MAX_DELAY: Duration = Duration::from_secs(60 * 60);

/// The shortest reconnection time a server's `retry:` field can set: 100 ms. `retry: 0` would
/// otherwise make every client reconnect in a hot loop.
pub const MIN_RECONNECTION_TIME: Duration = Duration::from_millis(100);
// ANCHOR_END: limits

/// What to do after a response with a given status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// The stream is open (200 with the right content type is checked separately).
    Open,
    /// Try again later: the failure is temporary (408, 429, 5xx).
    Retry,
    /// Give up: retrying the same request cannot succeed (other 4xx, unexpected statuses).
    Fail,
    /// The server asked the client to stop (204 No Content): close without an error.
    Stop,
}

// ANCHOR: classify
/// Classifies a response status the way `EventSource` does, plus the retryable statuses of
/// real APIs: 408 Request Timeout, 429 Too Many Requests, and every 5xx (including Anthropic's 529
/// "overloaded").
pub fn classify_status(status: StatusCode) -> Disposition {
    match status.as_u16() {
        200 => Disposition::Open,
        204 => Disposition::Stop,
        408 | 429 => Disposition::Retry,
        500..=599 => Disposition::Retry,
        _ => Disposition::Fail,
    }
}
// ANCHOR_END: classify

/// Parses a `Retry-After` value: delay-seconds (`"120"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`. A date in the past means "now".
/// The result is clamped to [`MAX_DELAY`].
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time", not an error.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds).min(MAX_DELAY));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_DELAY),
    )
}

/// Parses a `retry-after-ms` value (sent by OpenAI, honoured by its SDKs): a non-negative number
/// of milliseconds, possibly fractional. The result is clamped to [`MAX_DELAY`].
pub fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    let ms = value.trim().parse::<f64>().ok()?;
    if !(ms.is_finite() && ms >= 0.0) {
        return None;
    }
    // `from_secs_f64` panics on values it cannot represent (1e300 ms): try, and clamp.
    Some(
        Duration::try_from_secs_f64(ms / 1000.0)
            .unwrap_or(MAX_DELAY)
            .min(MAX_DELAY),
    )
}

/// Exponential backoff with jitter for repeated failures.
///
/// The n-th consecutive failure waits `base × multiplier^(n-1)`, plus a random extra of up to
/// `jitter` × that (so a thousand clients cut off together do not all come back in the same
/// millisecond), and the sum is capped at `max_delay` (itself at most [`MAX_DELAY`]). `base` is the
/// stream's reconnection time: 3 s by default, or what the server's `retry:` field set; it is
/// capped too, so a huge `retry:` cannot override the cap. The wait is never shorter than a
/// server's `Retry-After` (clamped to [`MAX_DELAY`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// Growth factor per consecutive failure (2.0 doubles).
    pub multiplier: f64,
    /// Cap on every delay except a server's `Retry-After` (clamped to [`MAX_DELAY`] if larger).
    pub max_delay: Duration,
    /// Random extra, as a fraction of the delay (0.0 to 1.0).
    pub jitter: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            multiplier: 2.0,
            max_delay: Duration::from_secs(60),
            jitter: 0.5,
        }
    }
}

impl Backoff {
    // ANCHOR: delay
    /// The wait before attempt number `failures + 1`, given `failures` (at least 1) consecutive
    /// failures, the reconnection time `base`, a server `Retry-After` if any, and a random number
    /// in `[0, 1)` for the jitter.
    pub fn delay(
        &self,
        base: Duration,
        failures: u32,
        retry_after: Option<Duration>,
        random: f64,
    ) -> Duration {
        let cap = self.max_delay.min(MAX_DELAY);
        let base = base.min(cap);
        let exponent = failures.saturating_sub(1).min(64) as i32;
        // In f64 seconds: no overflow, only infinity or NaN, which `try_from_secs_f64` refuses.
        let grown = base.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        let jittered = grown * (1.0 + self.jitter.clamp(0.0, 1.0) * random.clamp(0.0, 1.0));
        let delay = Duration::try_from_secs_f64(jittered)
            .unwrap_or(cap)
            .clamp(base, cap);
        // The server knows its own load: never come back before it said to (within MAX_DELAY).
        delay
            .max(retry_after.unwrap_or(Duration::ZERO))
            .min(MAX_DELAY)
    }
    // ANCHOR_END: delay
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let d = |code| classify_status(StatusCode::from_u16(code).unwrap());
        assert_eq!(d(200), Disposition::Open);
        assert_eq!(d(204), Disposition::Stop);
        for code in [408, 429, 500, 502, 503, 504, 529] {
            assert_eq!(d(code), Disposition::Retry, "{code}");
        }
        for code in [201, 301, 400, 401, 403, 404, 409, 422] {
            assert_eq!(d(code), Disposition::Fail, "{code}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let backoff = Backoff {
            multiplier: 2.0,
            max_delay: Duration::from_secs(10),
            jitter: 0.5,
        };
        let base = Duration::from_secs(1);
        let no_jitter: Vec<u64> = (1..=6)
            .map(|n| backoff.delay(base, n, None, 0.0).as_secs())
            .collect();
        assert_eq!(no_jitter, [1, 2, 4, 8, 10, 10]);
        assert_eq!(backoff.delay(base, 1, None, 0.999).as_millis(), 1499);
        // The jitter never takes a delay past the cap.
        assert_eq!(backoff.delay(base, 4, None, 1.0), Duration::from_secs(10));
        assert_eq!(backoff.delay(base, 5, None, 1.0), Duration::from_secs(10));
    }

    #[test]
    fn retry_after_is_a_floor() {
        let backoff = Backoff::default();
        let base = Duration::from_secs(3);
        assert_eq!(
            backoff.delay(base, 1, Some(Duration::from_secs(30)), 0.0),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff.delay(base, 1, Some(Duration::from_secs(1)), 0.0),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn huge_failure_counts_do_not_overflow() {
        let delay = Backoff::default().delay(Duration::from_secs(3), u32::MAX, None, 1.0);
        assert_eq!(delay, Duration::from_secs(60));
    }

    #[test]
    fn retry_after_99999999999999999999_is_clamped() {
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(
            parse_retry_after("99999999999999999999", now),
            Some(MAX_DELAY)
        );
        assert_eq!(parse_retry_after("7200", now), Some(MAX_DELAY));
        assert_eq!(
            parse_retry_after("3599", now),
            Some(Duration::from_secs(3599))
        );
    }

    #[test]
    fn retry_after_ms_1e300_is_clamped() {
        assert_eq!(parse_retry_after_ms("1e300"), Some(MAX_DELAY));
        assert_eq!(
            parse_retry_after_ms("250"),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            parse_retry_after_ms("0.5"),
            Some(Duration::from_micros(500))
        );
        for bad in ["-1", "NaN", "inf", "", "x"] {
            assert_eq!(parse_retry_after_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn large_retry_field_does_not_override_the_cap() {
        let backoff = Backoff::default();
        let delay = backoff.delay(Duration::from_secs(86_400), 1, None, 0.0);
        assert_eq!(delay, backoff.max_delay);
        let unbounded = Backoff {
            max_delay: Duration::MAX,
            multiplier: f64::INFINITY,
            jitter: f64::NAN,
        };
        assert_eq!(unbounded.delay(Duration::MAX, 7, None, f64::NAN), MAX_DELAY);
        assert_eq!(
            backoff.delay(Duration::ZERO, 1, Some(Duration::MAX), 0.5),
            MAX_DELAY
        );
    }
}
