//! The Happy Eyeballs race (RFC 8305) on a scripted network: when IPv6 is black-holed, IPv4
//! wins after the 250 ms Connection Attempt Delay instead of after a two-minute timeout.
//!
//! Run: `cargo run -p examples --example happy_eyeballs_timeline`
//!
//! `asock::connect::happy_eyeballs` is generic over how names are resolved (`Resolve`) and
//! how one address is connected (`Connect`). Here a [`Scene`] scripts both: asock's
//! `FakeResolver` answers the name `dual.test` with the addresses of its rows, and the scene
//! "connects" to each as its row says: after a delay, refused, or never (a black hole:
//! packets vanish, no answer ever comes, and the kernel would wait some two minutes before
//! giving up). No packet leaves the process; the times are real, on a tokio runtime.
//!
//! Three scenes:
//! 1. IPv6 black-holed: the IPv6 attempt starts at 0 and hangs; the IPv4 attempt starts 250
//!    ms later, beside it, and wins; the IPv6 attempt is then cancelled.
//! 2. IPv6 refused: a failure starts the next attempt at once, so IPv4 starts at ~10 ms.
//! 3. Everything refused, with `all_errors`: the error lists every address and its error
//!    (Python 3.11's `create_connection(..., all_errors=True)`).
//!
//! The timeline is printed from two sources: the scene notes when each attempt starts, and
//! asock's `tracing` events (one per attempt, with its outcome: connected, error or
//! cancelled) are collected by the tiny subscriber in `examples/src/timeline.rs`. The
//! example asserts the winner, the outcomes and the start times.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
use asock::resolve::FakeResolver;
use asock::{AddressFamily, Error, SockAddr};
use examples::timeline::Timeline;
use examples::{assert_between, ms};

/// What happens when an address is tried.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// The handshake completes after this long.
    Connects(Duration),
    /// A RST comes back after this long: `ECONNREFUSED`.
    Refused(Duration),
    /// Nothing ever comes back.
    BlackHole,
}

/// A scripted network: the addresses of `dual.test` and what connecting to each does.
/// Its resolver is asock's `FakeResolver`, answering with the same addresses at once.
struct Scene {
    rows: Vec<(IpAddr, Outcome)>,
    resolver: FakeResolver,
    start: Instant,
    /// When each attempt started, in order.
    started: Mutex<Vec<(SockAddr, Duration)>>,
}

impl Scene {
    fn new(rows: &[(&str, Outcome)]) -> Scene {
        let rows: Vec<(IpAddr, Outcome)> =
            rows.iter().map(|(ip, outcome)| (ip.parse().expect("IP address"), *outcome)).collect();
        let resolver = FakeResolver::new()
            .with_answers("dual.test", rows.iter().map(|(ip, _)| (*ip, Duration::ZERO)));
        Scene { rows, resolver, start: Instant::now(), started: Mutex::default() }
    }
}

impl Connect for Scene {
    /// A fake connection: the address reached. (A real `Connect` returns a socket, which the
    /// race closes for every loser by dropping it.)
    type Stream = SockAddr;

    async fn connect(&self, addr: SockAddr, _source: Option<SockAddr>) -> asock::Result<SockAddr> {
        self.started.lock().expect("lock").push((addr.clone(), self.start.elapsed()));
        let ip = addr.as_socket().map(|s| s.ip());
        let outcome = self.rows.iter().find(|(row, _)| Some(*row) == ip).map(|r| r.1);
        match outcome {
            Some(Outcome::Connects(after)) => {
                asock::sleep(after).await;
                Ok(addr)
            }
            Some(Outcome::Refused(after)) => {
                asock::sleep(after).await;
                Err(Error::from_errno(libc::ECONNREFUSED))
            }
            Some(Outcome::BlackHole) | None => std::future::pending().await,
        }
    }
}

/// Runs one race on `scene` and prints its timeline; returns the result and, per attempt in
/// start order, its address, start offset and traced outcome.
async fn race(
    title: &str,
    scene: Scene,
    options: &ConnectOptions,
    timeline: &Timeline,
) -> (asock::Result<SockAddr>, Vec<(String, Duration, String)>) {
    println!("{title}");
    let _ = timeline.take(); // events of earlier scenes
    let result = happy_eyeballs(&scene.resolver, &scene, "dual.test", 443, options).await;
    // Both families were asked for at once (RFC 8305 §3), before any attempt.
    let families: Vec<_> = scene.resolver.lookups().iter().map(|l| l.hints.family).collect();
    assert_eq!(families, [AddressFamily::AF_INET6, AddressFamily::AF_INET]);
    let finished = scene.start.elapsed();

    // Merge the scene's "started" notes with asock's per-attempt events, by time.
    let mut lines: Vec<(Duration, String)> = Vec::new();
    let started = scene.started.lock().expect("lock").clone();
    for (addr, at) in &started {
        lines.push((*at, format!("start      {addr}")));
    }
    let events: Vec<_> = timeline.take().into_iter().filter(|e| e.message == "attempt").collect();
    let mut attempts = Vec::new();
    for (addr, at) in &started {
        let addr = addr.to_string();
        let event = events.iter().find(|e| e.fields.get("addr") == Some(&addr));
        let outcome = event.and_then(|e| e.fields.get("outcome")).cloned().unwrap_or_default();
        if let Some(e) = event {
            let error = e.fields.get("error").map(|e| format!(": {e}")).unwrap_or_default();
            let when = e.at.saturating_duration_since(scene.start);
            lines.push((when, format!("{outcome:<10} {addr}{error}   (tracing event)")));
        }
        attempts.push((addr, *at, outcome));
    }
    lines.sort_by_key(|(at, _)| *at);
    for (at, line) in lines {
        println!("  {:>9}  {line}", ms(at));
    }
    match &result {
        Ok(addr) => println!("  => connected to {addr} after {}\n", ms(finished)),
        Err(e) => println!("  => failed after {}: {e}\n", ms(finished)),
    }
    (result, attempts)
}

async fn scenes(timeline: &Timeline) -> asock::Result<()> {
    let options = ConnectOptions::new().timeout(Duration::from_secs(5));
    let millis = Duration::from_millis;
    let delay = options.get_happy_eyeballs_delay();
    assert_eq!(delay, millis(250), "RFC 8305's recommended Connection Attempt Delay");
    let slack = millis(200); // for a slow machine

    // 1. IPv6 black-holed: IPv4 starts after the attempt delay and wins.
    let scene = Scene::new(&[
        ("2001:db8::1", Outcome::BlackHole),
        ("2001:db8::2", Outcome::BlackHole),
        ("192.0.2.1", Outcome::Connects(millis(20))),
    ]);
    let (result, attempts) = race("1. IPv6 black-holed", scene, &options, timeline).await;
    assert_eq!(result?.to_string(), "192.0.2.1:443");
    let (v6, v4) = (&attempts[0], &attempts[1]);
    assert_eq!((v6.0.as_str(), v6.2.as_str()), ("[2001:db8::1]:443", "cancelled"));
    assert_eq!((v4.0.as_str(), v4.2.as_str()), ("192.0.2.1:443", "connected"));
    assert_between("IPv4's start", v4.1, delay, delay + slack);
    assert_eq!(attempts.len(), 2, "the second IPv6 address was never needed");

    // 2. IPv6 refused quickly: its failure starts the IPv4 attempt at once.
    let scene = Scene::new(&[
        ("2001:db8::1", Outcome::Refused(millis(10))),
        ("192.0.2.1", Outcome::Connects(millis(20))),
    ]);
    let (result, attempts) = race("2. IPv6 refused", scene, &options, timeline).await;
    assert_eq!(result?.to_string(), "192.0.2.1:443");
    assert_eq!(attempts[0].2, "error");
    assert_between("IPv4's start after a refusal", attempts[1].1, millis(10), millis(10) + slack);
    assert!(attempts[1].1 < delay, "a failure does not wait for the attempt delay");

    // 3. Every address refused: with all_errors, one error lists them all.
    let scene = Scene::new(&[
        ("2001:db8::1", Outcome::Refused(millis(5))),
        ("192.0.2.1", Outcome::Refused(millis(5))),
        ("192.0.2.2", Outcome::Refused(millis(5))),
    ]);
    let options = options.all_errors(true);
    let (result, attempts) =
        race("3. everything refused (all_errors)", scene, &options, timeline).await;
    let err = result.expect_err("nothing can connect");
    assert_eq!(err.errors().len(), 3);
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED));
    assert!(attempts.iter().all(|a| a.2 == "error"));
    Ok(())
}

fn main() -> asock::Result<()> {
    let timeline = Timeline::default();
    tracing::subscriber::set_global_default(timeline.clone()).expect("no other subscriber");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(scenes(&timeline))?;
    println!("ok");
    Ok(())
}
