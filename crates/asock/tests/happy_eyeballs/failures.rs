//! When nobody wins: the errors, the overall timeout, the source address, bad input.

use std::time::Duration;

use asock::connect::ConnectOptions;
use asock::{Error, ErrorKind, SockAddr};

use crate::scenario::{ms, Answer, Outcome, World, OK, REFUSED};
use crate::table::race;

/// Four addresses failing with four different errors; the third fails last, at 10.3 s.
fn four_failures() -> World {
    World::new(&[
        ("::1", 100, Outcome::Fail(libc::ECONNREFUSED)),
        ("1.1.1.1", 200, Outcome::Fail(libc::ENETUNREACH)),
        ("::2", 10_000, Outcome::Fail(libc::ETIMEDOUT)),
        ("2.2.2.2", 250, Outcome::Fail(libc::EHOSTUNREACH)),
    ])
}

fn source_v6() -> SockAddr {
    "[2001:db8::100]:0".parse().unwrap()
}

fn source_v4() -> SockAddr {
    "192.0.2.1:0".parse().unwrap()
}

/// `(address, kind)` of every error an `Error::multiple` lists.
fn listed_kinds(error: &Error) -> Vec<(&str, ErrorKind)> {
    error.errors().iter().map(|(a, e)| (a.as_str(), e.kind())).collect()
}

fn is_timeout(error: &Error) {
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.to_string(), "timed out");
}

scenarios! {
    all_failing_lists_every_address_and_error_in_start_order =>
        race(four_failures())
            .options(ConnectOptions::new().all_errors(true))
            .fails(|error| {
                let listed: Vec<_> =
                    error.errors().iter().map(|(a, e)| (a.as_str(), e.raw_os_error())).collect();
                assert_eq!(
                    listed,
                    [
                        ("[::1]:80", Some(libc::ECONNREFUSED)),
                        ("1.1.1.1:80", Some(libc::ENETUNREACH)),
                        ("[::2]:80", Some(libc::ETIMEDOUT)),
                        ("2.2.2.2:80", Some(libc::EHOSTUNREACH)),
                    ]
                );
                let text = error.to_string();
                assert!(text.starts_with("all connection attempts failed (4 errors)"), "{text}");
            })
            .at(100 + 200 + 10_000)
            .starts(&[("::1", 0), ("1.1.1.1", 100), ("::2", 300), ("2.2.2.2", 550)]);

    /// The last address attempted is 2.2.2.2, though ::2 was the last to fail.
    all_failing_without_all_errors_gives_the_last_address_error =>
        race(four_failures())
            .fails(|error| {
                assert_eq!(error.raw_os_error(), Some(libc::EHOSTUNREACH));
                assert!(error.errors().is_empty());
            })
            .at(10_300);

    one_address_quick_failure =>
        race(World::new(&[("1.2.3.4", 123, REFUSED)]))
            .fails(|error| assert_eq!(error.raw_os_error(), Some(libc::ECONNREFUSED)))
            .at(123)
            .starts(&[("1.2.3.4", 0)]);

    overall_timeout_while_connecting =>
        race(World::new(&[("::1", 10_000, OK), ("1.1.1.1", 10_000, OK), ("::2", 10_000, OK)]))
            .options(ConnectOptions::new().timeout(ms(600)))
            .fails(is_timeout)
            .at(600)
            .starts(&[("::1", 0), ("1.1.1.1", 250), ("::2", 500)]);

    overall_timeout_covers_name_resolution =>
        race(World::new(&[("::1", 10, OK)]).aaaa(Answer::Rows, 1000).a(Answer::Rows, 1000))
            .options(ConnectOptions::new().timeout(ms(300)))
            .fails(is_timeout)
            .at(300)
            .starts(&[]);

    /// The deadline also ends a wait for a late AAAA answer after every attempt failed.
    overall_timeout_while_waiting_for_a_late_answer =>
        race(World::new(&[("1.1.1.1", 10, REFUSED), ("::1", 10, OK)]).aaaa(Answer::Rows, 1000))
            .options(ConnectOptions::new().timeout(ms(400)))
            .fails(is_timeout)
            .at(400)
            .starts(&[("1.1.1.1", 50)]);

    /// Nothing connects in no time: a zero timeout fails at once, before any attempt.
    zero_timeout_fails_at_once =>
        race(World::new(&[("::1", 0, OK)]))
            .options(ConnectOptions::new().timeout(Duration::ZERO))
            .fails(is_timeout)
            .at(0)
            .starts(&[]);

    a_connection_made_at_the_deadline_still_wins =>
        race(World::new(&[("::1", 600, OK)]))
            .options(ConnectOptions::new().timeout(ms(600)))
            .wins("::1")
            .at(600);

    a_timeout_too_large_for_the_clock_means_no_deadline =>
        race(World::new(&[("::1", 5000, OK)]))
            .options(ConnectOptions::new().timeout(Duration::MAX))
            .wins("::1")
            .at(5000);

    /// 1.1.1.1 is never attempted, so ::2 follows ::1's failure at once.
    source_address_is_given_to_every_attempt_and_skips_the_other_family =>
        race(World::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK), ("::2", 100, OK)]))
            .options(ConnectOptions::new().source_address(source_v6()))
            .wins("::2")
            .at(200)
            .starts(&[("::1", 0), ("::2", 100)])
            .sources(vec![Some(source_v6()), Some(source_v6())]);

    source_address_of_the_wrong_family_for_every_address_says_so =>
        race(World::new(&[("::1", 100, OK), ("::2", 100, OK)]))
            .options(ConnectOptions::new().source_address(source_v4()))
            .fails(|error| {
                assert_eq!(error.kind(), ErrorKind::InvalidInput);
                assert_eq!(
                    error.to_string(),
                    "source_address 192.0.2.1:0 (AF_INET) cannot reach an AF_INET6 address"
                );
            })
            .at(0)
            .starts(&[]);

    skipped_addresses_are_listed_before_the_attempts =>
        race(World::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK)]))
            .options(ConnectOptions::new().source_address(source_v6()).all_errors(true))
            .fails(|error| {
                assert_eq!(
                    listed_kinds(error),
                    [("1.1.1.1:80", ErrorKind::InvalidInput), ("[::1]:80", ErrorKind::Os)]
                );
            })
            .at(100);

    /// Without all_errors, the attempt's error wins over a skip.
    without_all_errors_the_attempt_error_wins_over_a_skip =>
        race(World::new(&[("::1", 100, REFUSED), ("1.1.1.1", 10, OK)]))
            .options(ConnectOptions::new().source_address(source_v6()))
            .fails(|error| assert_eq!(error.raw_os_error(), Some(libc::ECONNREFUSED)))
            .at(100);

    a_source_address_that_is_not_ip_is_rejected_before_resolving =>
        race(World::new(&[("::1", 100, OK)]))
            .options(
                ConnectOptions::new()
                    .source_address(SockAddr::Unix(asock::UnixAddr::pathname("/tmp/sock"))),
            )
            .fails(|error| assert_eq!(error.kind(), ErrorKind::InvalidInput))
            .at(0)
            .queries(&[])
            .starts(&[]);

    /// A resolver ignoring the family hint answers both queries with the same addresses.
    an_address_skipped_twice_is_listed_once =>
        race(World::new(&[("::1", 100, OK), ("1.1.1.1", 100, REFUSED)]).ignoring_hints())
            .options(ConnectOptions::new().source_address(source_v4()).all_errors(true))
            .fails(|error| {
                assert_eq!(
                    listed_kinds(error),
                    [("[::1]:80", ErrorKind::InvalidInput), ("1.1.1.1:80", ErrorKind::Os)]
                );
            })
            .at(100)
            .starts(&[("1.1.1.1", 0)]);
}
