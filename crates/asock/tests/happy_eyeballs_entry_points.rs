//! The entry points around the race: `asock::create_connection` and
//! `asock::blocking::create_connection` with the system's resolver, and what every form checks
//! before it starts. Each test runs three ways (tokio, `asock::block_on`, blocking).
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scene.rs"]
#[macro_use]
#[allow(dead_code)] // this binary uses part of the scene
mod scene;

use std::time::{Duration, Instant};

use asock::blocking::create_server;
use asock::connect::ConnectOptions;
use asock::resolve::{Hints, Resolve, ResolveFuture};
use asock::{ErrorKind, SockAddr};

use crate::scene::{ms, Driver, Form};

/// A resolver that never answers.
struct Silent;

impl Resolve for Silent {
    fn getaddrinfo(&self, _: Option<&str>, _: Option<&str>, _: Hints) -> ResolveFuture {
        Box::pin(std::future::pending())
    }
}

fn five_seconds() -> ConnectOptions {
    ConnectOptions::new().timeout(Duration::from_secs(5))
}

forms!(
    an_ipv4_literal_connects,
    an_ipv6_literal_connects,
    an_ipv6_literal_in_uri_brackets_connects,
    a_given_list_connects,
    an_empty_list_is_invalid_input,
    a_list_with_a_non_ip_address_is_invalid_input,
    localhost_is_resolved_by_the_system_resolver,
    the_timeout_covers_resolution,
    an_oversized_timeout_is_invalid_input_before_anything_starts,
    a_non_ip_source_address_is_invalid_input,
);

fn an_ipv4_literal_connects(form: Form) {
    let server = create_server(&"127.0.0.1:0".parse().unwrap(), &Default::default()).unwrap();
    let port = server.local_addr().unwrap().port().unwrap();
    let conn = Driver::new(form).connect_system("127.0.0.1", port, &five_seconds()).unwrap();
    assert_eq!(conn.peer_addr(), server.local_addr().unwrap());
    assert_eq!(server.accept().unwrap().1, conn.local_addr());
}

fn an_ipv6_literal_connects(form: Form) {
    let Ok(server) = create_server(&"[::1]:0".parse().unwrap(), &Default::default()) else {
        return println!("SKIPPED: no IPv6 loopback (::1) on this machine");
    };
    let port = server.local_addr().unwrap().port().unwrap();
    let conn = Driver::new(form).connect_system("::1", port, &five_seconds()).unwrap();
    assert_eq!(conn.peer_addr(), server.local_addr().unwrap());
}

fn an_ipv6_literal_in_uri_brackets_connects(form: Form) {
    let Ok(server) = create_server(&"[::1]:0".parse().unwrap(), &Default::default()) else {
        return println!("SKIPPED: no IPv6 loopback (::1) on this machine");
    };
    let port = server.local_addr().unwrap().port().unwrap();
    let conn = Driver::new(form).connect_system("[::1]", port, &five_seconds()).unwrap();
    assert_eq!(conn.peer_addr(), server.local_addr().unwrap());
}

fn a_given_list_connects(form: Form) {
    // The first address refuses (nobody listens on port 1): the second follows at once.
    let server = create_server(&"127.0.0.1:0".parse().unwrap(), &Default::default()).unwrap();
    let addrs = ["127.0.0.1:1".parse().unwrap(), server.local_addr().unwrap()];
    let options = five_seconds().happy_eyeballs_delay(Duration::from_secs(2));
    let start = Instant::now();
    let conn = Driver::new(form).connect_to(&addrs, &options).unwrap();
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    assert_eq!(conn.peer_addr(), server.local_addr().unwrap());
    assert_eq!(server.accept().unwrap().1, conn.local_addr());
    assert_eq!(conn.timeout(), Some(Duration::from_secs(5)));
}

fn an_empty_list_is_invalid_input(form: Form) {
    let error = Driver::new(form).connect_to(&[], &five_seconds()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.to_string(), "no address to connect to");
}

fn a_list_with_a_non_ip_address_is_invalid_input(form: Form) {
    let addrs = [SockAddr::Unix(asock::UnixAddr::pathname("/tmp/not-ip"))];
    let error = Driver::new(form).connect_to(&addrs, &five_seconds()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("not an AF_INET or AF_INET6 address"), "{error}");
}

fn localhost_is_resolved_by_the_system_resolver(form: Form) {
    // Only IPv4 listens: if localhost is also ::1, that attempt is refused and IPv4 follows.
    let server = create_server(&"127.0.0.1:0".parse().unwrap(), &Default::default()).unwrap();
    let port = server.local_addr().unwrap().port().unwrap();
    let options = five_seconds().all_errors(true);
    let conn = Driver::new(form).connect_system("localhost", port, &options).unwrap();
    assert_eq!(conn.peer_addr(), server.local_addr().unwrap());
    assert_eq!(conn.timeout(), Some(Duration::from_secs(5)));
}

fn the_timeout_covers_resolution(form: Form) {
    let options = ConnectOptions::new().timeout(ms(200));
    let start = Instant::now();
    let error = Driver::new(form).connect(&Silent, 80, &options).unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(elapsed >= ms(200), "{elapsed:?}");
    assert!(elapsed < ms(950), "{elapsed:?}");
}

fn an_oversized_timeout_is_invalid_input_before_anything_starts(form: Form) {
    // A resolver that never answers: only a check made before resolving can end the call.
    let options = ConnectOptions::new().timeout(Duration::MAX);
    let error = Driver::new(form).connect(&Silent, 80, &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.to_string(), "timestamp too large to convert to C _PyTime_t");
}

fn a_non_ip_source_address_is_invalid_input(form: Form) {
    let unix = SockAddr::Unix(asock::UnixAddr::pathname("/tmp/not-ip"));
    let options = ConnectOptions::new().source_address(unix);
    let error = Driver::new(form).connect(&Silent, 80, &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("AF_UNIX"), "{error}");
}

/// `create_connection`'s future is `Send`: it runs in a spawned task on a multi-thread runtime.
#[test]
fn create_connection_runs_in_a_spawned_tokio_task() {
    let server = create_server(&"127.0.0.1:0".parse().unwrap(), &Default::default()).unwrap();
    let port = server.local_addr().unwrap().port().unwrap();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let peer = rt.block_on(async move {
        let task = tokio::spawn(async move {
            let sock = asock::create_connection("localhost", port, &five_seconds()).await?;
            sock.peer_addr()
        });
        task.await.unwrap()
    });
    assert_eq!(peer.unwrap(), server.local_addr().unwrap());
}
