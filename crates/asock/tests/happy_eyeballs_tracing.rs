//! The tracing contract: a `happy_eyeballs` span per call, one "attempt" event per attempt
//! with its address, start offset and outcome.
//!
//! A test binary of its own: tracing caches each call site's interest process-wide, so a
//! call site first reached by another test's thread (with no subscriber) could be cached as
//! uninteresting while this test's thread-local subscriber is installed.
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scenario.rs"]
#[allow(dead_code)] // this binary uses only part of the scenario
mod scenario;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use asock::connect::ConnectOptions;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::scenario::{ms, Scenario, OK, REFUSED};

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

#[tokio::test(start_paused = true)]
async fn every_attempt_is_traced_with_address_start_and_outcome() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));

    // ::1 hangs, 1.1.1.1 is refused at 350, ::2 hangs, 2.2.2.2 connects at 700.
    let s = Scenario::new(&[
        ("::1", 10_000, OK),
        ("1.1.1.1", 100, REFUSED),
        ("::2", 10_000, OK),
        ("2.2.2.2", 100, OK),
    ]);
    let (stream, finish) = s.run(ConnectOptions::new()).await;
    assert_eq!(stream.unwrap().ip, "2.2.2.2");
    assert_eq!(finish, ms(700));

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
