//! `ConnectOptions`: the knobs of the race, with RFC 8305's defaults, and their checks.
//!
//! Both drivers (async `connect/`, blocking `blocking/`) take the same options; the engine
//! reads them when a race starts.

use std::time::Duration;

use asock_core::{AddressFamily, Error, Result, SockAddr};

/// RFC 8305 §5 and §8: "One recommended value for a default delay is 250 milliseconds."
const DEFAULT_ATTEMPT_DELAY: Duration = Duration::from_millis(250);
/// RFC 8305 §5: a later attempt "MUST NOT be started within 10 milliseconds" of the previous.
const MIN_ATTEMPT_DELAY: Duration = Duration::from_millis(10);
/// RFC 8305 §5 and §8: the Maximum Connection Attempt Delay, "currently ... 2 seconds".
const MAX_ATTEMPT_DELAY: Duration = Duration::from_secs(2);
/// RFC 8305 §3 and §8: "The recommended value for the Resolution Delay is 50 milliseconds."
const DEFAULT_RESOLUTION_DELAY: Duration = Duration::from_millis(50);

/// How a Happy Eyeballs race connects ([`create_connection`](crate::create_connection),
/// [`blocking::create_connection`](crate::blocking::create_connection),
/// [`connect::happy_eyeballs`](crate::connect::happy_eyeballs), ..., and the engine
/// [`Race`](super::Race) under them): Python's `create_connection` keyword arguments plus
/// asyncio's Happy Eyeballs knobs.
///
/// Out-of-range values are clamped, never rejected, as each setter says: the attempt delay
/// to 10 ms..=2 s, the family count to at least 1. A timeout too large for the clock means no
/// deadline for the race itself (the `create_connection` functions reject it, as Python's
/// `settimeout` would, because it becomes the socket's timeout); a zero timeout fails at once
/// with "timed out".
///
/// Every setter consumes and returns the options, so they chain:
///
/// ```
/// use std::time::Duration;
/// use asock::connect::ConnectOptions;
///
/// let options = ConnectOptions::new()
///     .timeout(Duration::from_secs(5))
///     .happy_eyeballs_delay(Duration::from_millis(1)) // clamped up to RFC 8305's 10 ms floor
///     .all_errors(true);
/// assert_eq!(options.get_timeout(), Some(Duration::from_secs(5)));
/// assert_eq!(options.get_happy_eyeballs_delay(), Duration::from_millis(10));
/// assert_eq!(options.get_first_address_family_count(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "options do nothing until passed to a connect function"]
pub struct ConnectOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) source_address: Option<SockAddr>,
    pub(crate) happy_eyeballs_delay: Duration,
    pub(crate) first_address_family_count: usize,
    pub(crate) resolution_delay: Duration,
    pub(crate) all_errors: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            timeout: None,
            source_address: None,
            happy_eyeballs_delay: DEFAULT_ATTEMPT_DELAY,
            first_address_family_count: 1,
            resolution_delay: DEFAULT_RESOLUTION_DELAY,
            all_errors: false,
        }
    }
}

impl ConnectOptions {
    /// The defaults: no timeout, no source address, a 250 ms attempt delay, one address of the
    /// preferred family first, a 50 ms resolution delay, and only the last error reported.
    pub fn new() -> Self {
        Self::default()
    }

    /// One deadline for the whole call, name resolution included (Python's `timeout`).
    ///
    /// When it passes, the call fails with [`Error::timeout()`] and every attempt still
    /// running is cancelled. `create_connection` (async and blocking) also gives it to the
    /// socket it returns, and without it uses the default timeout
    /// ([`default_timeout`](crate::default_timeout)) for both, as Python's `timeout` parameter
    /// defaults to `getdefaulttimeout()`; [`happy_eyeballs`](crate::connect::happy_eyeballs)
    /// itself knows no default. Zero fails every race at once with [`Error::timeout()`],
    /// before any attempt (nothing connects in no time).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The local address every attempt binds to before connecting (Python's
    /// `source_address`); port 0 lets the kernel pick.
    ///
    /// It must be an `AF_INET` or `AF_INET6` address; anything else is rejected with
    /// `InvalidInput` when the call starts. Resolved addresses of the other IP family cannot
    /// be reached from it: they are skipped (never attempted), each recorded as an
    /// `InvalidInput` error, so a name with only such addresses fails with an error that says
    /// why.
    pub fn source_address(mut self, addr: SockAddr) -> Self {
        self.source_address = Some(addr);
        self
    }

    /// The Connection Attempt Delay (RFC 8305 §5): how long an attempt runs alone before the
    /// next one starts beside it. Default 250 ms; clamped to 10 ms..=2 s as §5 requires.
    pub fn happy_eyeballs_delay(mut self, delay: Duration) -> Self {
        self.happy_eyeballs_delay = delay.clamp(MIN_ATTEMPT_DELAY, MAX_ATTEMPT_DELAY);
        self
    }

    /// The First Address Family Count (RFC 8305 §4; asyncio's `interleave`): how many IPv6
    /// addresses are tried before the first IPv4 one. Default 1; 0 counts as 1.
    pub fn first_address_family_count(mut self, count: usize) -> Self {
        self.first_address_family_count = count.max(1);
        self
    }

    /// The Resolution Delay (RFC 8305 §3): when the IPv4 answer comes first, how long to wait
    /// for the IPv6 one before connecting over IPv4. Default 50 ms; zero means no wait; a
    /// delay too large for the clock means waiting for the IPv6 answer however long it takes
    /// (still bounded by the timeout).
    pub fn resolution_delay(mut self, delay: Duration) -> Self {
        self.resolution_delay = delay;
        self
    }

    /// When every attempt fails: `true` reports every address with its error
    /// ([`Error::multiple`], Python 3.11's `all_errors=True`), `false` (the default) only the
    /// error of the last address attempted.
    pub fn all_errors(mut self, all: bool) -> Self {
        self.all_errors = all;
        self
    }

    /// The overall deadline, if any.
    #[must_use]
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The source address, if any.
    #[must_use]
    pub fn get_source_address(&self) -> Option<&SockAddr> {
        self.source_address.as_ref()
    }

    /// The Connection Attempt Delay in force (after clamping).
    #[must_use]
    pub fn get_happy_eyeballs_delay(&self) -> Duration {
        self.happy_eyeballs_delay
    }

    /// The First Address Family Count in force.
    #[must_use]
    pub fn get_first_address_family_count(&self) -> usize {
        self.first_address_family_count
    }

    /// The Resolution Delay.
    #[must_use]
    pub fn get_resolution_delay(&self) -> Duration {
        self.resolution_delay
    }

    /// Whether every error is reported.
    #[must_use]
    pub fn get_all_errors(&self) -> bool {
        self.all_errors
    }

    /// The source address after checking it is an IP address.
    pub(crate) fn checked_source(&self) -> Result<Option<&SockAddr>> {
        match &self.source_address {
            Some(addr) if !is_ip(addr.family()) => Err(Error::invalid_input(format!(
                "source_address must be an AF_INET or AF_INET6 address, not {}",
                addr.family()
            ))),
            other => Ok(other.as_ref()),
        }
    }
}

fn is_ip(family: AddressFamily) -> bool {
    family == AddressFamily::AF_INET || family == AddressFamily::AF_INET6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_rfc_8305_section_8() {
        let o = ConnectOptions::new();
        assert_eq!(o.get_happy_eyeballs_delay(), Duration::from_millis(250));
        assert_eq!(o.get_resolution_delay(), Duration::from_millis(50));
        assert_eq!(o.get_first_address_family_count(), 1);
        assert_eq!(o.get_timeout(), None);
        assert!(!o.get_all_errors());
    }

    #[test]
    fn attempt_delay_is_clamped_to_10ms_and_2s() {
        let d = |ms| ConnectOptions::new().happy_eyeballs_delay(Duration::from_millis(ms));
        assert_eq!(d(0).get_happy_eyeballs_delay(), Duration::from_millis(10));
        assert_eq!(d(9).get_happy_eyeballs_delay(), Duration::from_millis(10));
        assert_eq!(d(100).get_happy_eyeballs_delay(), Duration::from_millis(100));
        assert_eq!(d(2_001).get_happy_eyeballs_delay(), Duration::from_secs(2));
        let max = ConnectOptions::new().happy_eyeballs_delay(Duration::MAX);
        assert_eq!(max.get_happy_eyeballs_delay(), Duration::from_secs(2));
    }

    #[test]
    fn family_count_zero_counts_as_one() {
        let o = ConnectOptions::new().first_address_family_count(0);
        assert_eq!(o.get_first_address_family_count(), 1);
    }

    #[test]
    fn non_ip_source_is_rejected() {
        let unix = SockAddr::Unix(asock_core::UnixAddr::pathname("/tmp/x"));
        let err = ConnectOptions::new().source_address(unix).checked_source().unwrap_err();
        assert_eq!(err.kind(), asock_core::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("AF_UNIX"), "{err}");
    }
}
