//! What only the async driver has: a future that can be spawned, and dropped mid-race.

use asock::connect::ConnectOptions;

use crate::scenario::{ms, Scenario, OK};

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
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

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
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
