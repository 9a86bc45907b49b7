//! Pacing (RFC 8305 §5), ordering (§4) and who wins.

use asock::connect::ConnectOptions;

use crate::scenario::{ms, Outcome, Scenario, OK, REFUSED};

fn delay(ms_: u64) -> ConnectOptions {
    ConnectOptions::new().happy_eyeballs_delay(ms(ms_))
}

#[tokio::test(start_paused = true)]
async fn staggered_fall_through_every_250ms() {
    let s = Scenario::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 200, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(250 + 250 + 200));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250)), ("::2", ms(500))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn early_success_starts_nothing_more() {
    let s = Scenario::new(&[("::1", 1000, OK), ("1.1.1.1", 100, OK), ("::2", 200, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "1.1.1.1");
    assert_eq!(finish, ms(350));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250))]); // ::2 never started
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn custom_delay_lets_the_first_attempt_win() {
    let s = Scenario::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 200, OK)]);
    let (stream, finish) = s.run(delay(450)).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::1");
    assert_eq!(finish, ms(1000));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(450)), ("::2", ms(900))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn delay_below_10ms_is_raised_to_10ms() {
    let s = Scenario::new(&[("::1", 1000, OK), ("1.1.1.1", 1000, OK), ("::2", 5, OK)]);
    let (stream, finish) = s.run(delay(1)).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(25));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(10)), ("::2", ms(20))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn delay_above_2s_is_lowered_to_2s() {
    let s = Scenario::new(&[("::1", 3000, OK), ("1.1.1.1", 10, OK)]);
    let (stream, finish) = s.run(delay(10_000)).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "1.1.1.1");
    assert_eq!(finish, ms(2010));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(2000))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn failures_expedite_the_next_attempt() {
    let s = Scenario::new(&[
        ("::1", 100, REFUSED),
        ("1.1.1.1", 200, REFUSED),
        ("::2", 10_000, OK),
        ("2.2.2.2", 250, OK),
    ]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "2.2.2.2");
    assert_eq!(finish, ms(100 + 200 + 250 + 250));
    assert_eq!(
        s.starts(),
        [("::1", ms(0)), ("1.1.1.1", ms(100)), ("::2", ms(300)), ("2.2.2.2", ms(550))]
    );
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn only_the_latest_attempt_failing_expedites() {
    // ::1 fails at 300, while 1.1.1.1 (started at 250) runs: ::2 still waits for 500.
    let s = Scenario::new(&[("::1", 300, REFUSED), ("1.1.1.1", 10_000, OK), ("::2", 100, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(600));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250)), ("::2", ms(500))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn families_interleave_starting_with_ipv6() {
    let s = Scenario::new(&[
        ("1.1.1.1", 10_000, OK),
        ("2.2.2.2", 10_000, OK),
        ("3.3.3.3", 100, OK),
        ("::1", 10_000, OK),
        ("::2", 10_000, OK),
    ]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "3.3.3.3");
    assert_eq!(finish, ms(1100));
    assert_eq!(
        s.starts(),
        [
            ("::1", ms(0)),
            ("1.1.1.1", ms(250)),
            ("::2", ms(500)),
            ("2.2.2.2", ms(750)),
            ("3.3.3.3", ms(1000))
        ]
    );
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn a_v4_first_mixed_answer_is_reordered_and_deduplicated() {
    // A resolver that ignores the family hint answers both queries with the same v4-first
    // list: IPv6 still goes first, and no address is attempted twice (the fake panics if so).
    let s = Scenario::new(&[
        ("1.1.1.1", 10_000, OK),
        ("2.2.2.2", 10_000, OK),
        ("::1", 10_000, OK),
        ("::2", 100, OK),
    ])
    .ignoring_hints();
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "::2");
    assert_eq!(finish, ms(600));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250)), ("::2", ms(500))]);
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn first_address_family_count_two() {
    let s = Scenario::new(&[
        ("::1", 10_000, OK),
        ("::2", 10_000, OK),
        ("::3", 10_000, OK),
        ("1.1.1.1", 10_000, OK),
        ("2.2.2.2", 50, OK),
    ]);
    let (stream, finish) = s.run(ConnectOptions::new().first_address_family_count(2)).await;
    let stream = stream.unwrap();
    assert_eq!(stream.ip, "2.2.2.2");
    assert_eq!(finish, ms(1050));
    assert_eq!(
        s.starts(),
        [
            ("::1", ms(0)),
            ("::2", ms(250)),
            ("1.1.1.1", ms(500)),
            ("::3", ms(750)),
            ("2.2.2.2", ms(1000))
        ]
    );
    s.check_closed(Some(&stream));
}

#[tokio::test(start_paused = true)]
async fn two_attempts_connecting_at_the_same_instant_return_exactly_one() {
    // ::1 connects at 0 + 500, 1.1.1.1 at 250 + 250: the same instant.
    let s = Scenario::new(&[("::1", 500, OK), ("1.1.1.1", 250, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert!(["::1", "1.1.1.1"].contains(&stream.ip), "{}", stream.ip);
    assert_eq!(finish, ms(500));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250))]);
    s.check_closed(Some(&stream)); // the other one is closed, not leaked
}

#[tokio::test(start_paused = true)]
async fn three_attempts_connecting_at_the_same_instant_return_exactly_one() {
    let s = Scenario::new(&[("::1", 750, OK), ("1.1.1.1", 500, OK), ("::2", 250, OK)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    let stream = stream.unwrap();
    assert_eq!(finish, ms(750));
    assert_eq!(s.starts(), [("::1", ms(0)), ("1.1.1.1", ms(250)), ("::2", ms(500))]);
    s.check_closed(Some(&stream));
    drop(stream);
    s.check_closed(None);
}

#[tokio::test(start_paused = true)]
async fn one_address_slow_success() {
    let s = Scenario::new(&[("1.2.3.4", 100_000, Outcome::Connect)]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "1.2.3.4");
    assert_eq!(finish, ms(100_000));
    assert_eq!(s.starts(), [("1.2.3.4", ms(0))]);
}

#[tokio::test(start_paused = true)]
async fn the_race_is_send_so_it_can_be_spawned() {
    // With a connector whose futures are Send, so is the race: tokio::spawn accepts it.
    let task = tokio::spawn(async {
        let s = Scenario::new(&[("::1", 1000, OK), ("1.1.1.1", 10, OK)]);
        let (stream, finish) = s.run(ConnectOptions::new()).await;
        (stream.map(|st| st.ip).ok(), finish)
    });
    assert_eq!(task.await.unwrap(), (Some("1.1.1.1"), ms(260)));
}
