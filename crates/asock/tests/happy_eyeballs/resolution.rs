//! The two queries (RFC 8305 §3): parallel, the Resolution Delay, late answers, failures.

use asock::connect::ConnectOptions;
use asock::{AddressFamily, ErrorKind};

use crate::scenario::{ms, Answer, Scenario, OK, REFUSED};

#[tokio::test(start_paused = true)]
async fn both_families_are_queried_at_once_aaaa_first() {
    let s = Scenario::new(&[("1.1.1.1", 10, OK)]).aaaa(Answer::Rows, 40).a(Answer::Rows, 30);
    let (stream, _) = s.run(ConnectOptions::new()).await;
    stream.unwrap();
    assert_eq!(s.queries(), [(AddressFamily::AF_INET6, ms(0)), (AddressFamily::AF_INET, ms(0))]);
    // A answered at 30; the negative AAAA answer at 40 ended the wait for it.
    assert_eq!(s.starts(), [("1.1.1.1", ms(40))]);
}

#[tokio::test(start_paused = true)]
async fn aaaa_answering_first_starts_at_once_and_a_joins_later() {
    let s = Scenario::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).a(Answer::Rows, 100);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::1");
    assert_eq!(finish, ms(1000));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn a_first_waits_for_aaaa_arriving_within_the_resolution_delay() {
    let s = Scenario::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).aaaa(Answer::Rows, 30);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::1");
    assert_eq!(finish, ms(30 + 1000));
    assert_eq!(s.starts(), [("::1", ms(30)), ("1.1.1.1", ms(280))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn aaaa_after_the_resolution_delay_is_merged_into_the_race() {
    // IPv4 starts when the 50 ms delay ends; ::1 arrives at 80 and is next in line (at 300),
    // ahead of 2.2.2.2.
    let s = Scenario::new(&[("1.1.1.1", 1000, OK), ("2.2.2.2", 1000, OK), ("::1", 100, OK)])
        .aaaa(Answer::Rows, 80);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::1");
    assert_eq!(finish, ms(400));
    assert_eq!(s.starts(), [("1.1.1.1", ms(50)), ("::1", ms(300))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn late_aaaa_starts_at_once_when_every_ipv4_attempt_already_failed() {
    let s = Scenario::new(&[("1.1.1.1", 10, REFUSED), ("::1", 100, OK)]).aaaa(Answer::Rows, 80);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::1");
    assert_eq!(finish, ms(180));
    assert_eq!(s.starts(), [("1.1.1.1", ms(50)), ("::1", ms(80))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn custom_resolution_delay() {
    let s = Scenario::new(&[("1.1.1.1", 1000, OK), ("::1", 1000, OK)]).aaaa(Answer::Rows, 80);
    let options = ConnectOptions::new().resolution_delay(ms(100));
    let (stream, _) = s.run(options).await;
    assert_eq!(stream.unwrap().ip, "::1");
    assert_eq!(s.starts(), [("::1", ms(80)), ("1.1.1.1", ms(330))]);
}

#[tokio::test(start_paused = true)]
async fn a_negative_aaaa_answer_ends_the_resolution_delay_early() {
    let s = Scenario::new(&[("1.1.1.1", 100, OK)]).aaaa(Answer::Empty, 20);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "1.1.1.1");
    assert_eq!(finish, ms(120));
    assert_eq!(s.starts(), [("1.1.1.1", ms(20))]);
}

#[tokio::test(start_paused = true)]
async fn no_ipv6_at_all() {
    let s = Scenario::new(&[("1.1.1.1", 1000, OK), ("2.2.2.2", 100, OK)]).aaaa(Answer::Empty, 0);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "2.2.2.2");
    assert_eq!(finish, ms(350));
    assert_eq!(s.starts(), [("1.1.1.1", ms(0)), ("2.2.2.2", ms(250))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn no_ipv4_at_all() {
    let s = Scenario::new(&[("::1", 1000, OK), ("::2", 100, OK)]).a(Answer::Empty, 0);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(350));
    assert_eq!(s.starts(), [("::1", ms(0)), ("::2", ms(250))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn a_failing_aaaa_query_is_ignored_when_ipv4_works() {
    let s = Scenario::new(&[("1.1.1.1", 100, OK)]).aaaa(Answer::Fail(libc::EAI_AGAIN), 10);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "1.1.1.1");
    assert_eq!(finish, ms(110));
    assert_eq!(s.starts(), [("1.1.1.1", ms(10))]);
}

#[tokio::test(start_paused = true)]
async fn a_failing_a_query_is_ignored_when_ipv6_works() {
    let s = Scenario::new(&[("::1", 100, OK)]).a(Answer::Fail(libc::EAI_AGAIN), 0);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "::1");
    assert_eq!(finish, ms(100));
}

#[tokio::test(start_paused = true)]
async fn both_queries_failing_gives_the_gai_error() {
    let s = Scenario::new(&[])
        .aaaa(Answer::Fail(libc::EAI_NODATA), 0)
        .a(Answer::Fail(libc::EAI_NONAME), 20);
    let (result, finish) = s.run(ConnectOptions::new().all_errors(true)).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Gai);
    assert_eq!(error.errno(), Some(libc::EAI_NONAME)); // the A query's error
    assert_eq!(error.to_string(), "[Errno -2] Name or service not known");
    assert_eq!(finish, ms(20));
    assert!(s.starts().is_empty());
}

#[tokio::test(start_paused = true)]
async fn two_empty_answers_give_eai_nodata() {
    let s = Scenario::new(&[]).aaaa(Answer::Empty, 0).a(Answer::Empty, 0);
    let (result, _) = s.run(ConnectOptions::new()).await;
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Gai);
    assert_eq!(error.errno(), Some(libc::EAI_NODATA));
}

#[tokio::test(start_paused = true)]
async fn the_timeline_of_docs_happy_eyeballs_md() {
    // docs/happy-eyeballs.md draws this race; keep the two in step.
    let s = Scenario::new(&[
        ("2001:db8::1", 10_000, OK),
        ("2001:db8::2", 10_000, OK),
        ("192.0.2.1", 20, REFUSED),
        ("192.0.2.2", 40, OK),
    ])
    .a(Answer::Rows, 5)
    .aaaa(Answer::Rows, 20);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "192.0.2.2");
    assert_eq!(finish, ms(580));
    assert_eq!(
        s.starts(),
        [
            ("2001:db8::1", ms(20)),
            ("192.0.2.1", ms(270)),
            ("2001:db8::2", ms(290)),
            ("192.0.2.2", ms(540))
        ]
    );
    s.check_closed(Some(&stream));
}
