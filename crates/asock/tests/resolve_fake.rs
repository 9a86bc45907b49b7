//! `FakeResolver`: scripted answers at exact virtual times under tokio's paused clock, the
//! way Happy Eyeballs tests need them ("AAAA answers 30 ms after A"), and the same delays on
//! every other executor asock supports, in real time.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]

mod reactor_support;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use asock::resolve::{FakeResolver, Hints, Resolve};
use asock::time::Instant;
use asock::{AddressFamily, ErrorKind, Protocol, SocketKind};

const HOST: &str = "example.test";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn family(family: AddressFamily) -> Hints {
    Hints { family, ..Hints::default() }
}

fn addrs(infos: &[asock::resolve::AddrInfo]) -> Vec<String> {
    infos.iter().map(|i| i.addr.to_string()).collect()
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn aaaa_answers_30_ms_after_a() {
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(0)).with_answer(
        HOST,
        ip("2001:db8::1"),
        ms(30),
    );
    let start = Instant::now();
    let v6 = async {
        let infos = fake.getaddrinfo(Some(HOST), Some("80"), family(AddressFamily::AF_INET6)).await;
        (infos.unwrap(), start.elapsed())
    };
    let v4 = async {
        let infos = fake.getaddrinfo(Some(HOST), Some("80"), family(AddressFamily::AF_INET)).await;
        (infos.unwrap(), start.elapsed())
    };
    let ((v6, v6_at), (v4, v4_at)) = tokio::join!(v6, v4);
    assert_eq!(addrs(&v4), ["192.0.2.1:80"]);
    assert_eq!(v4_at, ms(0));
    assert_eq!(addrs(&v6), ["[2001:db8::1]:80"]);
    assert_eq!(v6_at, ms(30));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn an_unspec_lookup_answers_when_its_slowest_row_has() {
    let fake = FakeResolver::new().with_answers(
        HOST,
        [(ip("2001:db8::1"), ms(10)), (ip("192.0.2.1"), ms(50)), (ip("2001:db8::2"), ms(0))],
    );
    let start = Instant::now();
    let infos = fake.getaddrinfo(Some(HOST), None, Hints::default()).await.unwrap();
    assert_eq!(start.elapsed(), ms(50));
    // Table order, port 0 without a service.
    assert_eq!(addrs(&infos), ["[2001:db8::1]:0", "192.0.2.1:0", "[2001:db8::2]:0"]);
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn a_failure_row_fails_its_family_after_its_delay() {
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(5)).with_failure(
        HOST,
        AddressFamily::AF_INET6,
        libc::EAI_NONAME,
        ms(20),
    );
    let start = Instant::now();
    let e = fake.getaddrinfo(Some(HOST), None, family(AddressFamily::AF_INET6)).await.unwrap_err();
    assert_eq!(start.elapsed(), ms(20));
    assert_eq!(e.kind(), ErrorKind::Gai);
    assert_eq!(e.to_string(), "[Errno -2] Name or service not known");

    let start = Instant::now();
    let v4 = fake.getaddrinfo(Some(HOST), None, family(AddressFamily::AF_INET)).await.unwrap();
    assert_eq!((addrs(&v4), start.elapsed()), (vec!["192.0.2.1:0".to_owned()], ms(5)));

    // AF_UNSPEC gets the addresses there are.
    let start = Instant::now();
    let any = fake.getaddrinfo(Some(HOST), None, Hints::default()).await.unwrap();
    assert_eq!((addrs(&any), start.elapsed()), (vec!["192.0.2.1:0".to_owned()], ms(5)));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn a_failure_for_af_unspec_applies_to_every_family() {
    let fake =
        FakeResolver::new().with_failure(HOST, AddressFamily::AF_UNSPEC, libc::EAI_AGAIN, ms(7));
    for fam in [AddressFamily::AF_INET, AddressFamily::AF_INET6, AddressFamily::AF_UNSPEC] {
        let start = Instant::now();
        let e = fake.getaddrinfo(Some(HOST), Some("1"), family(fam)).await.unwrap_err();
        assert_eq!((e.errno(), start.elapsed()), (Some(libc::EAI_AGAIN), ms(7)), "{fam}");
    }
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn an_unknown_host_or_missing_family_fails_at_once_with_eai_noname() {
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(100));
    let start = Instant::now();
    for (host, fam) in [
        (Some("other.test"), AddressFamily::AF_UNSPEC),
        (None, AddressFamily::AF_UNSPEC),
        (Some(HOST), AddressFamily::AF_INET6),
    ] {
        let e = fake.getaddrinfo(host, Some("80"), family(fam)).await.unwrap_err();
        assert_eq!(e.errno(), Some(libc::EAI_NONAME), "{host:?} {fam}");
    }
    assert_eq!(start.elapsed(), ms(0));
}

#[test]
fn answers_follow_the_querys_port_kind_protocol_and_canonname_flag() {
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(0)).with_answer(
        HOST,
        ip("192.0.2.2"),
        ms(0),
    );
    let hints =
        Hints { kind: SocketKind::SOCK_DGRAM, flags: libc::AI_CANONNAME, ..Hints::default() };
    // No delay: no runtime needed.
    let infos =
        futures::executor::block_on(fake.getaddrinfo(Some(HOST), Some("53"), hints)).unwrap();
    assert_eq!(addrs(&infos), ["192.0.2.1:53", "192.0.2.2:53"]);
    assert!(infos
        .iter()
        .all(|i| i.kind == SocketKind::SOCK_DGRAM && i.proto == Protocol::IPPROTO_UDP));
    assert_eq!(infos[0].canonname.as_deref(), Some(HOST));
    assert_eq!(infos[1].canonname, None);

    let stream =
        futures::executor::block_on(fake.getaddrinfo(Some(HOST), None, Hints::default())).unwrap();
    assert!(stream
        .iter()
        .all(|i| i.kind == SocketKind::SOCK_STREAM && i.proto == Protocol::IPPROTO_TCP));
    assert!(stream.iter().all(|i| i.canonname.is_none() && i.family == AddressFamily::AF_INET));

    let e =
        futures::executor::block_on(fake.getaddrinfo(Some(HOST), Some("http"), Hints::default()))
            .unwrap_err();
    assert_eq!(e.errno(), Some(libc::EAI_SERVICE));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn every_lookup_is_recorded_with_its_virtual_start() {
    let fake = FakeResolver::new().with_answer(HOST, ip("::1"), ms(0));
    let keep = fake.clone(); // clones share the record
    let start = Instant::now();
    let _ = fake.getaddrinfo(Some(HOST), Some("443"), family(AddressFamily::AF_INET6)).await;
    tokio::time::sleep(ms(250)).await;
    let _ = fake.getaddrinfo(None, None, Hints::default()).await;
    let lookups = keep.lookups();
    assert_eq!(lookups.len(), 2);
    assert_eq!(lookups[0].host.as_deref(), Some(HOST));
    assert_eq!(lookups[0].service.as_deref(), Some("443"));
    assert_eq!(lookups[0].hints.family, AddressFamily::AF_INET6);
    assert_eq!(lookups[0].at - start, ms(0));
    assert_eq!((lookups[1].host.clone(), lookups[1].at - start), (None, ms(250)));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn works_behind_arc_dyn_resolve() {
    let resolver: Arc<dyn Resolve> =
        Arc::new(FakeResolver::new().with_answer(HOST, ip("192.0.2.9"), ms(15)));
    let start = Instant::now();
    let infos = resolver.getaddrinfo(Some(HOST), Some("8080"), Hints::default()).await.unwrap();
    assert_eq!((addrs(&infos), start.elapsed()), (vec!["192.0.2.9:8080".to_owned()], ms(15)));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn a_dropped_lookup_is_simply_abandoned() {
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(1000));
    let lookup = fake.getaddrinfo(Some(HOST), None, Hints::default());
    let outcome = tokio::time::timeout(ms(10), lookup).await;
    assert!(outcome.is_err(), "the lookup should still be waiting at 10 ms");
    assert_eq!(fake.lookups().len(), 1);
}

// ===== delays on every executor =====

/// Upper bound on a real-time delay's overshoot: only catches a hang, never measures speed.
const SLACK: Duration = Duration::from_secs(10);

/// A dual-stack host whose A answer comes at once and AAAA after 60 ms, and a host whose
/// every lookup fails after 40 ms.
fn delayed_fake() -> FakeResolver {
    FakeResolver::new()
        .with_answer(HOST, ip("192.0.2.1"), ms(0))
        .with_answer(HOST, ip("2001:db8::1"), ms(60))
        .with_failure("gone.test", AddressFamily::AF_UNSPEC, libc::EAI_NONAME, ms(40))
}

/// The three lookups of [`delayed_fake`] at once, each checked; returns when each ended,
/// from the start: `[A, AAAA, failure]`.
async fn timed_lookups(fake: FakeResolver) -> [Duration; 3] {
    let start = Instant::now();
    let v4 = async {
        let infos = fake.getaddrinfo(Some(HOST), Some("80"), family(AddressFamily::AF_INET)).await;
        assert_eq!(addrs(&infos.unwrap()), ["192.0.2.1:80"]);
        start.elapsed()
    };
    let v6 = async {
        let infos = fake.getaddrinfo(Some(HOST), Some("80"), family(AddressFamily::AF_INET6)).await;
        assert_eq!(addrs(&infos.unwrap()), ["[2001:db8::1]:80"]);
        start.elapsed()
    };
    let gone = async {
        let e = fake.getaddrinfo(Some("gone.test"), None, Hints::default()).await.unwrap_err();
        assert_eq!(e.errno(), Some(libc::EAI_NONAME));
        start.elapsed()
    };
    let (v4, v6, gone) = futures::join!(v4, v6, gone);
    [v4, v6, gone]
}

/// Real time: no delay is cut short, none hangs, and the undelayed answer comes first.
fn assert_delays_honoured([v4, v6, gone]: [Duration; 3]) {
    assert!(v6 >= ms(60) && v6 < ms(60) + SLACK, "AAAA after {v6:?}, want 60 ms");
    assert!(gone >= ms(40) && gone < ms(40) + SLACK, "failure after {gone:?}, want 40 ms");
    assert!(v4 < gone && v4 < v6, "A after {v4:?}, before the delayed ones");
}

#[cfg(feature = "tokio")] // tokio's paused clock
#[test]
fn delays_are_exact_virtual_times_on_a_paused_current_thread_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let times = reactor_support::bounded(move || rt.block_on(timed_lookups(delayed_fake())));
    assert_eq!(times, [ms(0), ms(60), ms(40)]);
}

#[test]
fn delays_are_honoured_on_a_multi_thread_runtime() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // From inside a task on a worker thread, as a server's code would run.
    let times = reactor_support::bounded(move || {
        rt.block_on(async { tokio::spawn(timed_lookups(delayed_fake())).await.unwrap() })
    });
    assert_delays_honoured(times);
}

#[test]
fn delays_are_honoured_on_asock_block_on() {
    let times = reactor_support::bounded(|| asock::block_on(timed_lookups(delayed_fake())));
    assert_delays_honoured(times);
}

#[test]
fn delays_are_honoured_on_futures_block_on() {
    let times =
        reactor_support::bounded(|| futures::executor::block_on(timed_lookups(delayed_fake())));
    assert_delays_honoured(times);
}

#[test]
fn a_lookup_outside_tokio_can_be_abandoned_before_its_delay() {
    // (That its timer goes with it is `reactor_own_counts`' business: timer counts are
    // process-wide, and this binary's tests run side by side.)
    let fake = FakeResolver::new().with_answer(HOST, ip("192.0.2.1"), ms(60_000));
    let keep = fake.clone();
    let outcome = reactor_support::bounded(move || {
        asock::block_on(async {
            let lookup = fake.getaddrinfo(Some(HOST), None, Hints::default());
            let timeout = asock::sleep(ms(20));
            futures::pin_mut!(lookup, timeout);
            match futures::future::select(lookup, timeout).await {
                futures::future::Either::Left(_) => "answered",
                futures::future::Either::Right(_) => "still waiting",
            }
        })
    });
    assert_eq!(outcome, "still waiting");
    assert_eq!(keep.lookups().len(), 1);
}
