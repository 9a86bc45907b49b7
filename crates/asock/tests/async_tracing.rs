//! `accept` and `connect` are traced at debug level: a span per operation carrying the
//! addresses, and events for what happened inside it.
//!
//! A binary of its own: tracing caches each call site's interest process-wide, and a call site
//! first reached by another test's thread (with no subscriber) could be cached as
//! uninteresting while this test's thread-local subscriber is installed.

mod async_support;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use asock::AddressFamily;
use async_support::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

type Fields = BTreeMap<String, String>;

/// Keeps every span (name, level, fields) and event (fields, inside a span?).
#[derive(Default)]
struct Recorder {
    spans: Mutex<Vec<(String, Level, Fields)>>,
    events: Mutex<Vec<(Fields, bool)>>,
    entered: AtomicUsize,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
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
        let meta = span.metadata();
        let mut spans = self.spans.lock().unwrap();
        spans.push((meta.name().to_owned(), *meta.level(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        let inside = self.entered.load(Ordering::SeqCst) > 0;
        self.events.lock().unwrap().push((fields, inside));
    }
    fn enter(&self, _: &Id) {
        self.entered.fetch_add(1, Ordering::SeqCst);
    }
    fn exit(&self, _: &Id) {
        self.entered.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Recorder {
    fn span(&self, name: &str) -> Vec<(Level, Fields)> {
        let spans = self.spans.lock().unwrap();
        spans.iter().filter(|(n, ..)| n == name).map(|(_, l, f)| (*l, f.clone())).collect()
    }

    fn events_of(&self, message: &str) -> Vec<(Fields, bool)> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .filter(|(f, _)| f.get("message").is_some_and(|m| m == message))
            .cloned()
            .collect()
    }
}

#[test]
fn accept_and_connect_are_traced_with_their_addresses() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    asock::block_on(async {
        let l = listener(AddressFamily::AF_INET);
        let to = l.local_addr()?;
        let c = tcp(AddressFamily::AF_INET);
        let (connected, accepted) = futures::join!(c.connect(&to), l.accept());
        connected?;
        let (_conn, peer) = accepted?;

        let accept = recorder.span("accept");
        assert_eq!(accept.len(), 1);
        assert_eq!(accept[0].0, Level::DEBUG);
        assert_eq!(accept[0].1["local"], to.to_string());
        let accepted = recorder.events_of("accepted");
        assert_eq!(accepted.len(), 1);
        assert_eq!(accepted[0].0["peer"], peer.to_string());
        assert!(accepted[0].1, "inside the accept span");

        let connect = recorder.span("connect");
        assert_eq!(connect.len(), 1);
        assert_eq!(connect[0].0, Level::DEBUG);
        assert_eq!(connect[0].1["peer"], to.to_string());
        let connected = recorder.events_of("connected");
        assert_eq!(connected.len(), 1);
        assert_eq!(connected[0].0["local"], c.local_addr()?.to_string());

        // A refused connect says so, with the error.
        let d = tcp(AddressFamily::AF_INET);
        assert!(d.connect(refused_addr()).await.is_err());
        let failed = recorder.events_of("connect failed");
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0["error"], "[Errno 111] Connection refused");

        // A connect that waits says so when it starts; one that times out then says why.
        let scene = stalled();
        let e = tcp(AddressFamily::AF_INET);
        assert!(e
            .connect(&scene.addr)
            .timeout(std::time::Duration::from_millis(10))
            .await
            .is_err());
        assert!(!recorder.events_of("in progress").is_empty());
        let failed = recorder.events_of("connect failed");
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[1].0["error"], "timed out");
        Ok::<(), asock::Error>(())
    })
    .unwrap();
}
