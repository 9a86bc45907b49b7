//! `asock::time` on both backends: tokio's timer inside a runtime, the own reactor's elsewhere.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]

mod reactor_support;

use std::time::Duration;

use asock::reactor::Backend;
use asock::sleep;
use asock::sleep_until;
use asock::time::Instant;
use asock::Result;
use futures::stream::{FuturesUnordered, StreamExt};
use reactor_support::Executor;

on_every_backend!(
    sleep_uses_the_context_backend,
    sleep_waits_at_least_its_duration,
    timers_fire_in_deadline_order,
    past_deadline_is_ready_at_once,
    dropped_sleep_does_not_disturb_others,
);

async fn sleep_uses_the_context_backend(executor: Executor) -> Result<()> {
    assert_eq!(sleep(Duration::from_secs(1)).backend(), executor.backend());
    Ok(())
}

async fn sleep_waits_at_least_its_duration(_: Executor) -> Result<()> {
    let start = Instant::now();
    sleep(Duration::from_millis(40)).await;
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(40), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    Ok(())
}

async fn timers_fire_in_deadline_order(_: Executor) -> Result<()> {
    let start = Instant::now();
    let mut timers = FuturesUnordered::new();
    for ms in [150u64, 50, 100] {
        timers.push(async move {
            sleep_until(start + Duration::from_millis(ms)).await;
            ms
        });
    }
    let mut order = Vec::new();
    while let Some(ms) = timers.next().await {
        order.push(ms);
    }
    assert_eq!(order, [50, 100, 150]);
    Ok(())
}

async fn past_deadline_is_ready_at_once(_: Executor) -> Result<()> {
    let start = Instant::now();
    let past = start.checked_sub(Duration::from_secs(1)).unwrap_or(start);
    sleep_until(past).await;
    sleep(Duration::ZERO).await;
    assert!(start.elapsed() < Duration::from_secs(1));
    Ok(())
}

async fn dropped_sleep_does_not_disturb_others(_: Executor) -> Result<()> {
    // A cancelled early timer must neither fire into the void nor delay a later one.
    let start = Instant::now();
    let mut early = Box::pin(sleep(Duration::from_millis(10)));
    assert!(futures::poll!(early.as_mut()).is_pending());
    drop(early);
    sleep(Duration::from_millis(50)).await;
    assert!(start.elapsed() >= Duration::from_millis(50));
    Ok(())
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn sleep_follows_tokios_paused_clock() {
    let start = Instant::now();
    let sleeper = sleep(Duration::from_secs(3600));
    assert_eq!(sleeper.backend(), Backend::Tokio);
    sleeper.await;
    // Virtual time: exactly one hour passed, in no real time.
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}
