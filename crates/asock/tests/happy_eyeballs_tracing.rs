//! The tracing contract: a `happy_eyeballs` span per call, one "attempt" event per attempt
//! with its address, start offset and outcome.
//!
//! A test binary of its own: tracing caches each call site's interest process-wide, so a
//! call site first reached by another test's thread (with no subscriber) could be cached as
//! uninteresting while this test's thread-local subscriber is installed.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scenario.rs"]
#[allow(dead_code)] // this binary uses only part of the scenario
mod scenario;

#[path = "happy_eyeballs/scene.rs"]
#[macro_use]
#[allow(dead_code)] // this binary uses only part of the scene
mod scene;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use asock::blocking::Target;
use asock::connect::ConnectOptions;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::scenario::{ms, FakeNetwork, Scenario, World, HOST, OK, PORT, REFUSED};
use crate::scene::{Driver, Form};

type Fields = BTreeMap<String, String>;

/// Records spans' and events' fields, and whether an event fired inside an entered span.
#[derive(Default)]
struct Recorder {
    spans: Mutex<Vec<(String, Fields)>>,
    events: Mutex<Vec<(Fields, bool)>>,
    entered: AtomicUsize,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::new();
        span.record(&mut Collect(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        let in_span = self.entered.load(Ordering::SeqCst) > 0;
        self.events.lock().unwrap().push((fields, in_span));
    }
    fn enter(&self, _: &Id) {
        self.entered.fetch_add(1, Ordering::SeqCst);
    }
    fn exit(&self, _: &Id) {
        self.entered.fetch_sub(1, Ordering::SeqCst);
    }
}

/// ::1 hangs, 1.1.1.1 is refused at 350, ::2 hangs, 2.2.2.2 connects at 700.
fn four_addresses() -> World {
    World::new(&[
        ("::1", 10_000, OK),
        ("1.1.1.1", 100, REFUSED),
        ("::2", 10_000, OK),
        ("2.2.2.2", 100, OK),
    ])
}

/// The span of the race and its four attempt events, exact to the virtual millisecond.
fn check_four_addresses_trace(recorder: &Recorder) {
    let spans = recorder.spans.lock().unwrap().clone();
    let span_fields = |name: &str| spans.iter().find(|(n, _)| n == name).map(|(_, f)| f.clone());
    let call = span_fields("happy_eyeballs").expect("a happy_eyeballs span");
    assert_eq!(call["host"], "test.example.com");
    assert_eq!(call["port"], "80");

    let events = recorder.events.lock().unwrap().clone();
    let mut attempts: Vec<_> = events
        .iter()
        .filter(|(f, _)| f.get("message").map(String::as_str) == Some("attempt"))
        .map(|(f, in_span)| {
            assert!(in_span, "attempt event outside the call's span: {f:?}");
            (f["addr"].clone(), f["start"].clone(), f["outcome"].clone())
        })
        .collect();
    attempts.sort();
    let expected = [
        ("1.1.1.1:80", "250ms", "error"),
        ("2.2.2.2:80", "600ms", "connected"),
        ("[::1]:80", "0ns", "cancelled"),
        ("[::2]:80", "350ms", "cancelled"),
    ];
    let expected: Vec<_> =
        expected.iter().map(|(a, s, o)| (a.to_string(), s.to_string(), o.to_string())).collect();
    assert_eq!(attempts, expected);

    let refused = events.iter().find(|(f, _)| f.get("outcome").is_some_and(|o| o == "error"));
    let refused = &refused.unwrap().0;
    assert_eq!(refused["error"], "[Errno 111] Connection refused");
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn every_attempt_is_traced_with_address_start_and_outcome() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    let s = Scenario::from(four_addresses());
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "2.2.2.2");
    assert_eq!(finish, ms(700));
    check_four_addresses_trace(&recorder);
}

#[test]
fn the_blocking_driver_traces_the_same_events() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    let mut network = FakeNetwork::new(four_addresses());
    let target = Target::Name { host: HOST, port: PORT };
    let stream = asock::blocking::happy_eyeballs(&mut network, target, &ConnectOptions::new());
    assert_eq!(stream.unwrap().ip, "2.2.2.2");
    assert_eq!(network.elapsed(), ms(700));
    check_four_addresses_trace(&recorder);
}

/// `1.5ms`, `250.1µs`, `0ns`, `1.2s`: a `Duration`'s `Debug` text, back to a `Duration`.
fn parse_debug_duration(text: &str) -> std::time::Duration {
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').expect("a unit");
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().expect("a number");
    let seconds = match unit {
        "s" => number,
        "ms" => number / 1e3,
        "µs" => number / 1e6,
        "ns" => number / 1e9,
        other => panic!("unit {other} in {text}"),
    };
    std::time::Duration::from_secs_f64(seconds)
}

/// The real race, with `AsyncSocket`s (or the blocking form's sockets), traces the same way:
/// the call's span, and per attempt its address, its real start offset and its outcome.
fn the_loopback_race_is_traced(form: Form) {
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));

    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100)).timeout(ms(5000));
    let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
    assert_eq!(conn.peer_addr(), scene.v4_addr());
    scene.accept_v4();

    let spans = recorder.spans.lock().unwrap().clone();
    let call = spans.iter().find(|(name, _)| name == "happy_eyeballs").expect("a call span");
    assert_eq!(call.1["host"], "dual.test");
    assert_eq!(call.1["port"], scene.port.to_string());

    let events = recorder.events.lock().unwrap().clone();
    let attempts: Vec<_> = events
        .iter()
        .filter(|(f, _)| f.get("message").map(String::as_str) == Some("attempt"))
        .map(|(f, in_span)| {
            assert!(in_span, "attempt event outside the call's span: {f:?}");
            (f["addr"].clone(), parse_debug_duration(&f["start"]), f["outcome"].clone())
        })
        .collect();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    let (v4, v6) = (&attempts[0], &attempts[1]);
    // The IPv4 attempt connects first, then the black-holed IPv6 one is cancelled.
    assert_eq!((v4.0.as_str(), v4.2.as_str()), (scene.v4_addr().to_string().as_str(), "connected"));
    assert_eq!((v6.0.as_str(), v6.2.as_str()), (scene.v6_addr().to_string().as_str(), "cancelled"));
    assert!(v6.1 < ms(50), "IPv6 starts the race: {:?}", v6.1);
    assert!(v4.1 >= ms(100) && v4.1 < ms(800), "IPv4 starts after the delay: {:?}", v4.1);
}

forms!(the_loopback_race_is_traced);
