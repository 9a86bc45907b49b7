//! Helpers shared by the runnable examples in `examples/examples/`.
//!
//! Each example is a program that runs and ends by itself, prints what it does, and asserts
//! what it expects (a failed assertion exits non-zero, so `scripts/run-examples.sh` and CI
//! catch regressions). What they share lives here: printing durations, and a tiny `tracing`
//! subscriber that records asock's events ([`timeline`]).

pub mod timeline;

use std::time::Duration;

/// `d` as milliseconds with one decimal, the unit every example prints times in.
///
/// ```
/// assert_eq!(examples::ms(std::time::Duration::from_micros(250_400)), "250.4 ms");
/// ```
#[must_use]
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Asserts that `elapsed` lies within `[low, high]`, with a message naming `what`.
///
/// Examples check times with a generous upper bound: the machine running CI may be slow,
/// but an operation that should wait 100 ms must not return at once or take seconds.
///
/// # Panics
///
/// When `elapsed` is outside the bounds (that is the point: the example fails).
pub fn assert_between(what: &str, elapsed: Duration, low: Duration, high: Duration) {
    assert!(
        low <= elapsed && elapsed <= high,
        "{what}: took {}, expected between {} and {}",
        ms(elapsed),
        ms(low),
        ms(high)
    );
}
