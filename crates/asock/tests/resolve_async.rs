//! The async forms: numeric answers never touch a thread, names go to tokio's blocking pool
//! inside a tokio runtime (either flavour) and to asock's own pool elsewhere, and a lookup
//! that fails does so at once and with the C library's error.
//!
//! Which pool a lookup went to is read from the `asock::resolve::pool` tracing events, with a
//! small subscriber installed for the test's own thread.

mod resolve_support;

use std::sync::{Mutex, Once};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use asock::resolve::{Hints, Resolve, SystemResolver};
use asock::{AddressFamily, ErrorKind, Protocol, SockAddr, SocketKind};
use resolve_support::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

// ===== a subscriber that lists pool events =====

/// `(thread, lookup, pool)` of every "sent to a blocking thread" event in this process.
///
/// Installed as the global subscriber (once): a subscriber scoped to one test thread can miss
/// events when another test thread registers the same callsite at the same moment.
static EVENTS: Mutex<Vec<(ThreadId, String, String)>> = Mutex::new(Vec::new());

struct Recorder;

struct Fields {
    lookup: String,
    pool: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "lookup" => self.lookup = value.to_owned(),
            "pool" => self.pool = value.to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "asock::resolve::pool"
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields { lookup: String::new(), pool: String::new() };
        event.record(&mut fields);
        EVENTS.lock().unwrap().push((std::thread::current().id(), fields.lookup, fields.pool));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Installs the recorder. Every test calls this first, so that no test thread meets the pool
/// event's callsite before the subscriber exists (tracing caches a callsite's interest, and a
/// registration racing with `set_global_default` could cache "never").
fn install_recorder() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| tracing::subscriber::set_global_default(Recorder).unwrap());
}

/// Runs `f` and returns the pool events this thread emitted meanwhile, as `(lookup, pool)`.
fn pool_events(f: impl FnOnce()) -> Vec<(String, String)> {
    install_recorder();
    let me = std::thread::current().id();
    let mine = || {
        let mut events = EVENTS.lock().unwrap();
        let (mine, others): (Vec<_>, Vec<_>) = events.drain(..).partition(|(t, _, _)| *t == me);
        *events = others;
        mine.into_iter().map(|(_, lookup, pool)| (lookup, pool)).collect::<Vec<_>>()
    };
    mine(); // forget anything from before
    f();
    mine()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn v4_stream(
    host: &str,
    port: impl Into<asock::resolve::Service>,
) -> asock::Lookup<Vec<asock::resolve::AddrInfo>> {
    asock::getaddrinfo(
        host,
        port,
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    )
}

// ===== the fast path =====

#[test]
fn numeric_hosts_and_ports_never_touch_a_thread() {
    install_recorder();
    let rt = current_thread();
    let events = pool_events(|| {
        for (host, port) in [("127.0.0.1", "80"), ("0x7f.1", "65536"), ("10.0.0.1", "0")] {
            let lookup = v4_stream(host, port);
            assert!(lookup.is_immediate(), "{host}:{port} should need no thread");
            futures::executor::block_on(lookup).unwrap();
        }
        let v6 = asock::getaddrinfo(
            "fe80::1%lo",
            443,
            AddressFamily::AF_UNSPEC,
            SocketKind::from(0),
            Protocol::from(0),
            0,
        );
        assert!(v6.is_immediate());
        assert_eq!(rt.block_on(v6).unwrap().len(), 3); // stream, datagram, raw
        let passive = asock::getaddrinfo(
            None,
            8080,
            AddressFamily::AF_INET,
            SocketKind::SOCK_STREAM,
            Protocol::from(0),
            libc::AI_PASSIVE,
        );
        assert!(passive.is_immediate());
        rt.block_on(passive).unwrap();
        let ip = asock::gethostbyname("192.0.2.7");
        assert!(ip.is_immediate());
        assert_eq!(rt.block_on(ip).unwrap(), std::net::Ipv4Addr::new(192, 0, 2, 7));
        let addr: SockAddr = "127.0.0.1:22".parse().unwrap();
        let names = asock::getnameinfo(&addr, libc::NI_NUMERICHOST | libc::NI_NUMERICSERV);
        assert!(names.is_immediate());
        assert_eq!(rt.block_on(names).unwrap(), ("127.0.0.1".to_owned(), "22".to_owned()));
        // A refused argument is answered at once too.
        let bad = v4_stream("a..b", 80);
        assert!(bad.is_immediate());
        assert_eq!(rt.block_on(bad).unwrap_err().kind(), ErrorKind::InvalidInput);
        // A numeric-only call that fails needs no thread either: the full call would fail alike.
        let numeric_only = asock::getaddrinfo(
            "localhost",
            80,
            AddressFamily::AF_INET,
            SocketKind::SOCK_STREAM,
            Protocol::from(0),
            libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
        );
        assert!(numeric_only.is_immediate());
        assert_eq!(rt.block_on(numeric_only).unwrap_err().errno(), Some(libc::EAI_NONAME));
        // A literal of the other family (Happy Eyeballs asks for both families of every host)
        // fails at once with EAI_ADDRFAMILY, as the full call would.
        for (host, family) in
            [("127.0.0.1", AddressFamily::AF_INET6), ("::1", AddressFamily::AF_INET)]
        {
            let other =
                asock::getaddrinfo(host, 80, family, SocketKind::SOCK_STREAM, Protocol::from(0), 0);
            assert!(other.is_immediate(), "{host} as {family}");
            assert_eq!(
                rt.block_on(other).unwrap_err().errno(),
                Some(asock::consts::EAI_ADDRFAMILY)
            );
        }
    });
    assert_eq!(events, Vec::<(String, String)>::new(), "numeric lookups went to a thread");
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn names_and_service_names_go_to_a_thread() {
    install_recorder();
    let rt = current_thread();
    let events = pool_events(|| {
        let name = v4_stream("localhost", 80);
        assert!(!name.is_immediate());
        futures::executor::block_on(name).unwrap();
        let service = v4_stream("127.0.0.1", "http");
        assert!(!service.is_immediate());
        assert_eq!(rt.block_on(service).unwrap()[0].addr.port(), Some(80));
        rt.block_on(asock::gethostbyname_ex("localhost")).unwrap();
        futures::executor::block_on(asock::getservbyname("domain", None)).unwrap();
    });
    let expected = [
        ("getaddrinfo", "asock"),
        ("getaddrinfo", "tokio"),
        ("gethostbyname_ex", "tokio"),
        ("getservbyname", "asock"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(l, p)| ((*l).to_owned(), (*p).to_owned())).collect();
    assert_eq!(events, expected);
}

// ===== every executor gives the blocking answer =====

fn blocking_answers() -> (Vec<asock::resolve::AddrInfo>, asock::resolve::HostEntry, String) {
    (
        asock::blocking::getaddrinfo(
            "localhost",
            "http",
            AddressFamily::AF_INET,
            SocketKind::from(0),
            Protocol::from(0),
            0,
        )
        .unwrap(),
        asock::blocking::gethostbyaddr("127.0.0.1").unwrap(),
        asock::blocking::getservbyport(22, "tcp").unwrap(),
    )
}

async fn async_answers() -> (Vec<asock::resolve::AddrInfo>, asock::resolve::HostEntry, String) {
    (
        asock::getaddrinfo(
            "localhost",
            "http",
            AddressFamily::AF_INET,
            SocketKind::from(0),
            Protocol::from(0),
            0,
        )
        .await
        .unwrap(),
        asock::gethostbyaddr("127.0.0.1").await.unwrap(),
        asock::getservbyport(22, "tcp").await.unwrap(),
    )
}

#[test]
fn lookups_under_tokio_current_thread_match_blocking_ones() {
    install_recorder();
    assert_eq!(current_thread().block_on(async_answers()), blocking_answers());
}

#[test]
fn lookups_under_tokio_multi_thread_match_blocking_ones() {
    install_recorder();
    let rt = multi_thread();
    let want = blocking_answers();
    // From spawned tasks too, several at once.
    let tasks: Vec<_> = (0..8).map(|_| rt.spawn(async_answers())).collect();
    for task in tasks {
        assert_eq!(rt.block_on(task).unwrap(), want);
    }
}

#[test]
fn lookups_under_futures_block_on_match_blocking_ones() {
    install_recorder();
    let want = blocking_answers();
    let many = futures::future::join_all((0..8).map(|_| async_answers()));
    for answer in futures::executor::block_on(many) {
        assert_eq!(answer, want);
    }
}

#[test]
fn lookup_futures_are_send_static_and_unpin() {
    install_recorder();
    fn check<T: Send + Unpin + 'static>(_: &T) {}
    let lookup = v4_stream("localhost", 80);
    check(&lookup);
    check(&asock::gethostbyname_ex("localhost"));
    check(&SystemResolver.getaddrinfo(Some("localhost"), None, Hints::default()));
    drop(lookup); // never polled: never sent to a thread
}

#[test]
fn system_resolver_gives_getaddrinfos_answer() {
    install_recorder();
    let hints =
        Hints { family: AddressFamily::AF_INET, kind: SocketKind::SOCK_STREAM, ..Hints::default() };
    let via_trait = futures::executor::block_on(SystemResolver.getaddrinfo(
        Some("localhost"),
        Some("https"),
        hints,
    ))
    .unwrap();
    let direct = asock::blocking::getaddrinfo(
        "localhost",
        "https",
        AddressFamily::AF_INET,
        SocketKind::SOCK_STREAM,
        Protocol::from(0),
        0,
    )
    .unwrap();
    assert_eq!(via_trait, direct);
    assert_eq!(via_trait[0].addr.port(), Some(443));
}

// ===== failing lookups, for real, where DNS cannot be reached =====

#[test]
fn unknown_name_fails_at_once_with_eai_again_in_a_private_netns() {
    install_recorder();
    if !enter_private_netns("unknown_name_fails_at_once_with_eai_again_in_a_private_netns") {
        return;
    }
    let name = "asock-test.invalid";
    let any = || {
        asock::getaddrinfo(
            name,
            80,
            AddressFamily::AF_UNSPEC,
            SocketKind::SOCK_STREAM,
            Protocol::from(0),
            0,
        )
    };
    let started = Instant::now();
    let answers = [
        (
            "blocking",
            asock::blocking::getaddrinfo(
                name,
                80,
                AddressFamily::AF_UNSPEC,
                SocketKind::SOCK_STREAM,
                Protocol::from(0),
                0,
            ),
        ),
        ("block_on", futures::executor::block_on(any())),
        ("tokio current_thread", current_thread().block_on(any())),
        ("tokio multi_thread", multi_thread().block_on(any())),
    ];
    let elapsed = started.elapsed();
    for (how, answer) in answers {
        let e = answer.expect_err(how);
        assert_eq!(e.kind(), ErrorKind::Gai, "{how}: {e}");
        assert_eq!(e.errno(), Some(libc::EAI_AGAIN), "{how}: {e}");
        assert_eq!(e.to_string(), "[Errno -3] Temporary failure in name resolution");
    }
    assert!(elapsed < Duration::from_secs(2), "failing locally took {elapsed:?}");
    // And a reverse lookup: herror, not gaierror.
    let e = futures::executor::block_on(asock::gethostbyaddr("192.0.2.1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Host, "{e}");
    println!("unknown names fail in {elapsed:?} with EAI_AGAIN");
}
