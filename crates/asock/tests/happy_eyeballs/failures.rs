//! When nobody wins: the errors, the overall timeout, cancellation, the source address.

use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::{ErrorKind, SockAddr};

use crate::scenario::{ms, Outcome, Scenario, OK, REFUSED};

/// Four addresses failing with four different errors; the third fails last, at 10.3 s.
fn four_failures() -> Scenario {
    Scenario::new(&[
        ("::1", 100, Outcome::Fail(libc::ECONNREFUSED)),
        ("1.1.1.1", 200, Outcome::Fail(libc::ENETUNREACH)),
        ("::2", 10_000, Outcome::Fail(libc::ETIMEDOUT)),
        ("2.2.2.2", 250, Outcome::Fail(libc::EHOSTUNREACH)),
    ])
}

#[tokio::test(start_paused = true)]
async fn all_failing_lists_every_address_and_error_in_start_order() {
    let s = four_failures();
    let (result, finish) = s.run(ConnectOptions::new().all_errors(true)).await;
    let error = result.unwrap_err();
    assert_eq!(finish, ms(100 + 200 + 10_000));
    assert_eq!(
        s.starts(),
        [("::1", ms(0)), ("1.1.1.1", ms(100)), ("::2", ms(300)), ("2.2.2.2", ms(550))]
    );
    let listed: Vec<_> =
        error.errors().iter().map(|(addr, e)| (addr.as_str(), e.raw_os_error())).collect();
    assert_eq!(
        listed,
        [
            ("[::1]:80", Some(libc::ECONNREFUSED)),
            ("1.1.1.1:80", Some(libc::ENETUNREACH)),
            ("[::2]:80", Some(libc::ETIMEDOUT)),
            ("2.2.2.2:80", Some(libc::EHOSTUNREACH)),
        ]
    );
    assert!(error.to_string().starts_with("all connection attempts failed (4 errors)"), "{error}");
    s.check_closed(None);
}

#[tokio::test(start_paused = true)]
async fn all_failing_without_all_errors_gives_the_last_address_error() {
    // The last address attempted is 2.2.2.2, though ::2 was the last to fail.
    let s = four_failures();
    let (result, finish) = s.run(ConnectOptions::new()).await;
    let error = result.unwrap_err();
    assert_eq!(finish, ms(10_300));
    assert_eq!(error.raw_os_error(), Some(libc::EHOSTUNREACH));
    assert!(error.errors().is_empty());
    s.check_closed(None);
}

#[tokio::test(start_paused = true)]
async fn one_address_quick_failure() {
    let s = Scenario::new(&[("1.2.3.4", 123, REFUSED)]);
    let (result, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(result.unwrap_err().raw_os_error(), Some(libc::ECONNREFUSED));
    assert_eq!(finish, ms(123));
    s.check_closed(None);
}

#[tokio::test(start_paused = true)]
async fn overall_timeout_while_connecting() {
    let s = Scenario::new(&[("::1", 10_000, OK), ("1.1.1.1", 10_000, OK), ("::2", 10_000, OK)]);
    let (result, finish) = s.run(ConnectOptions::new().timeout(ms(600))).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.to_string(), "timed out");
    assert_eq!(finish, ms(600));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250)), ("::2", ms(500))]);
    s.check_closed(None);
}

#[tokio::test(start_paused = true)]
async fn overall_timeout_covers_name_resolution() {
    use crate::scenario::Answer;
    let s = Scenario::new(&[("::1", 10, OK)]).aaaa(Answer::Rows, 1000).a(Answer::Rows, 1000);
    let (result, finish) = s.run(ConnectOptions::new().timeout(ms(300))).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Timeout);
    assert_eq!(finish, ms(300));
    assert!(s.starts().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_connection_made_at_the_deadline_still_wins() {
    let s = Scenario::new(&[("::1", 600, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new().timeout(ms(600))).await;
    assert_eq!(stream.unwrap().ip, "::1");
    assert_eq!(finish, ms(600));
}

#[tokio::test(start_paused = true)]
async fn a_timeout_too_large_for_the_clock_means_no_deadline() {
    let s = Scenario::new(&[("::1", 5000, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new().timeout(Duration::MAX)).await;
    assert_eq!(stream.unwrap().ip, "::1");
    assert_eq!(finish, ms(5000));
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_mid_race_closes_every_attempt() {
    let s = Scenario::new(&[
        ("::1", 10_000, OK),
        ("1.1.1.1", 10_000, OK),
        ("::2", 10_000, OK),
        ("2.2.2.2", 10_000, OK),
    ]);
    let cancelled = tokio::time::timeout(ms(300), s.run(ConnectOptions::new())).await;
    assert!(cancelled.is_err(), "the race should still be running at 300 ms");
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250))]);
    s.check_closed(None);
    // Nothing was spawned: no attempt starts after the future is gone.
    tokio::time::sleep(ms(20_000)).await;
    assert_eq!(s.starts().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn source_address_is_given_to_every_attempt_and_skips_the_other_family() {
    let source: SockAddr = "[2001:db8::100]:0".parse().unwrap();
    let s = Scenario::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK), ("::2", 100, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new().source_address(source.clone())).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(200));
    // 1.1.1.1 is never attempted, so ::2 follows ::1's failure at once.
    assert_eq!(s.starts(), [("::1", ms(0)), ("::2", ms(100))]);
    assert_eq!(s.sources(), [Some(source.clone()), Some(source)]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn source_address_of_the_wrong_family_for_every_address_says_so() {
    let source: SockAddr = "192.0.2.1:0".parse().unwrap();
    let s = Scenario::new(&[("::1", 100, OK), ("::2", 100, OK)]);
    let (result, finish) = s.run(ConnectOptions::new().source_address(source)).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        error.to_string(),
        "source_address 192.0.2.1:0 (AF_INET) cannot reach an AF_INET6 address"
    );
    assert_eq!(finish, ms(0));
    assert!(s.starts().is_empty());
}

#[tokio::test(start_paused = true)]
async fn skipped_addresses_are_listed_before_the_attempts() {
    let source: SockAddr = "[2001:db8::100]:0".parse().unwrap();
    let s = Scenario::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK)]);
    let options = ConnectOptions::new().source_address(source);
    let (result, _) = s.run(options.clone().all_errors(true)).await;
    let error = result.unwrap_err();
    let listed: Vec<_> = error.errors().iter().map(|(a, e)| (a.as_str(), e.kind())).collect();
    assert_eq!(listed, [("1.1.1.1:80", ErrorKind::InvalidInput), ("[::1]:80", ErrorKind::Os)]);
    // Without all_errors, the attempt's error is the one reported.
    let s = Scenario::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK)]);
    let (result, _) = s.run(options).await;
    assert_eq!(result.unwrap_err().raw_os_error(), Some(libc::ECONNREFUSED));
}

#[tokio::test(start_paused = true)]
async fn a_source_address_that_is_not_ip_is_rejected_before_resolving() {
    let unix = SockAddr::Unix(asock::UnixAddr::pathname("/tmp/sock"));
    let s = Scenario::new(&[("::1", 100, OK)]);
    let (result, _) = s.run(ConnectOptions::new().source_address(unix)).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(s.queries().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_address_skipped_twice_is_listed_once() {
    // A resolver ignoring the family hint answers both queries with the same addresses.
    let source: SockAddr = "192.0.2.1:0".parse().unwrap();
    let s = Scenario::new(&[("::1", 100, OK), ("1.1.1.1", 100, REFUSED)]).ignoring_hints();
    let options = ConnectOptions::new().source_address(source).all_errors(true);
    let (result, finish) = s.run(options).await;
    let error = result.unwrap_err();
    let listed: Vec<_> = error.errors().iter().map(|(a, e)| (a.as_str(), e.kind())).collect();
    assert_eq!(listed, [("[::1]:80", ErrorKind::InvalidInput), ("1.1.1.1:80", ErrorKind::Os)]);
    assert_eq!(finish, ms(100));
    assert_eq!(s.starts(), [("1.1.1.1", ms(0))]);
}
