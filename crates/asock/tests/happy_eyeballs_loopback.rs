//! The real loopback scene: a black-holed `::1` beside a working `127.0.0.1` (see
//! `happy_eyeballs/scene.rs`), raced by `create_connection_with` three ways: the async form
//! with `AsyncSocket` under tokio and under `asock::block_on`, and the blocking form.
//!
//! Every test that counts fds first runs one race, so lazily created process-wide fds (the
//! own reactor's epoll) exist before the count.
#![cfg(target_os = "linux")]

#[path = "happy_eyeballs/scene.rs"]
#[macro_use]
#[allow(dead_code)] // connect_system is for happy_eyeballs_entry_points
mod scene;

use std::pin::pin;
use std::time::{Duration, Instant};

use asock::connect::ConnectOptions;
use asock::{AddressFamily, ErrorKind, ModeExt, SockAddr};

use crate::scene::{ms, open_fds, serial, stream_socket, BlackHole, Driver, Fixed, Form, Scene};

/// What "about the attempt delay" allows beyond it on a busy machine.
const SLACK: Duration = Duration::from_millis(750);

/// Runs one race through the scene and accepts its connection.
fn warm_up(driver: &Driver, scene: &Scene) {
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10)).timeout(ms(5000));
    driver.connect(&scene.both(), scene.port, &options).unwrap();
    scene.accept_v4();
}

forms!(
    connects_over_ipv4_after_the_attempt_delay,
    a_given_list_connects_over_ipv4_after_the_attempt_delay,
    without_a_timeout_the_socket_is_in_the_default_mode,
    a_thousand_races_leak_no_fd,
    a_timeout_while_black_holed_closes_every_attempt,
    refusals_expedite_and_are_all_reported,
    without_all_errors_the_last_attempts_error_is_raised,
    source_address_keeps_to_its_family,
    resolution_failure_gives_the_gai_error,
);

fn connects_over_ipv4_after_the_attempt_delay(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    let options = ConnectOptions::new().timeout(ms(5000)); // the default 250 ms delay
    let start = Instant::now();
    let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(conn.peer_addr(), scene.v4_addr());
    assert!(elapsed >= ms(250), "{elapsed:?}");
    assert!(elapsed < ms(250) + SLACK, "{elapsed:?}");
    assert_eq!(scene.accept_v4(), conn.local_addr());
    // The mode Python's create_connection(timeout=5) leaves the socket in.
    assert_eq!(conn.timeout(), Some(ms(5000)));
}

fn a_given_list_connects_over_ipv4_after_the_attempt_delay(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    let options = ConnectOptions::new().timeout(ms(5000));
    let start = Instant::now();
    let conn = driver.connect_to(&[scene.v6_addr(), scene.v4_addr()], &options).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(conn.peer_addr(), scene.v4_addr());
    assert!(elapsed >= ms(250), "{elapsed:?}");
    assert!(elapsed < ms(250) + SLACK, "{elapsed:?}");
    assert_eq!(scene.accept_v4(), conn.local_addr());
}

fn without_a_timeout_the_socket_is_in_the_default_mode(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10));
    let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
    assert_eq!(conn.timeout(), asock::default_timeout());
    let (server_side, _) = scene.v4.accept().unwrap();
    match conn {
        scene::Conn::Async(sock) => driver.block_on(sock.send_all(b"usable")).unwrap(),
        scene::Conn::Blocking(sock) => sock.send_all(b"usable").unwrap(),
    }
    server_side.set_timeout(Some(ms(5000))).unwrap();
    assert_eq!(server_side.recv(16).unwrap(), b"usable");
}

fn a_thousand_races_leak_no_fd(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    warm_up(&driver, &scene);
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10)).timeout(ms(5000));
    let resolver = scene.both();
    let before = open_fds();
    let start = Instant::now();
    for _ in 0..1_000 {
        let conn = driver.connect(&resolver, scene.port, &options).unwrap();
        assert_eq!(conn.peer_addr(), scene.v4_addr());
        scene.accept_v4();
    }
    // Every race waited its 10 ms on the black hole: the ::1 attempt was really made.
    assert!(start.elapsed() >= ms(10_000), "{:?}", start.elapsed());
    assert_eq!(open_fds(), before);
}

fn a_timeout_while_black_holed_closes_every_attempt(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    warm_up(&driver, &scene);
    let v4_hole = BlackHole::v4();
    let holes = Fixed { v6: vec![scene.v6_addr()], v4: vec![v4_hole.addr.clone()] };
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100)).timeout(ms(300));
    let before = open_fds();
    let start = Instant::now();
    let error = driver.connect(&holes, scene.port, &options).unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.to_string(), "timed out");
    assert!(elapsed >= ms(300), "{elapsed:?}");
    assert!(elapsed < ms(300) + SLACK, "{elapsed:?}");
    assert_eq!(open_fds(), before);
}

/// Two ports nobody listens on, `[::1]:p` and `127.0.0.1:q` (bound, then let go).
fn refusing_addresses() -> Option<(SockAddr, SockAddr)> {
    let free_port = |family, addr: &str| {
        let s = stream_socket(family).unwrap();
        s.bind(&addr.parse().unwrap()).ok()?;
        s.local_addr().ok()
    };
    let v6 = free_port(AddressFamily::AF_INET6, "[::1]:0")?;
    Some((v6, free_port(AddressFamily::AF_INET, "127.0.0.1:0").unwrap()))
}

fn refusals_expedite_and_are_all_reported(form: Form) {
    let Some((v6, v4)) = refusing_addresses() else {
        return println!("SKIPPED: no IPv6 loopback (::1) on this machine");
    };
    let driver = Driver::new(form);
    let resolver = Fixed { v6: vec![v6.clone()], v4: vec![v4.clone()] };
    let options = ConnectOptions::new().all_errors(true).happy_eyeballs_delay(ms(2000));
    let start = Instant::now();
    let error = driver.connect(&resolver, 1, &options).unwrap_err();
    // The refusal of ::1 starts 127.0.0.1 at once, not after the 2 s delay.
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    let listed: Vec<_> =
        error.errors().iter().map(|(a, e)| (a.clone(), e.raw_os_error())).collect();
    assert_eq!(
        listed,
        [(v6.to_string(), Some(libc::ECONNREFUSED)), (v4.to_string(), Some(libc::ECONNREFUSED))]
    );
}

fn without_all_errors_the_last_attempts_error_is_raised(form: Form) {
    let Some((v6, _)) = refusing_addresses() else {
        return println!("SKIPPED: no IPv6 loopback (::1) on this machine");
    };
    let driver = Driver::new(form);
    // ::1 refuses first; then a TCP connect to the limited broadcast address fails in the
    // kernel's route lookup with ENETUNREACH (no packet is sent).
    let broadcast = SockAddr::inet("255.255.255.255", 1).unwrap();
    let resolver = Fixed { v6: vec![v6.clone()], v4: vec![broadcast.clone()] };
    let error = driver.connect(&resolver, 1, &ConnectOptions::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Os);
    assert_eq!(error.raw_os_error(), Some(libc::ENETUNREACH));
    assert!(error.errors().is_empty(), "{error:?}");
    // The same race with all_errors lists both, in start order.
    let error = driver.connect(&resolver, 1, &ConnectOptions::new().all_errors(true)).unwrap_err();
    let listed: Vec<_> =
        error.errors().iter().map(|(a, e)| (a.clone(), e.raw_os_error())).collect();
    assert_eq!(
        listed,
        [
            (v6.to_string(), Some(libc::ECONNREFUSED)),
            (broadcast.to_string(), Some(libc::ENETUNREACH))
        ]
    );
}

fn source_address_keeps_to_its_family(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    let options = ConnectOptions::new()
        .source_address("127.0.0.1:0".parse().unwrap())
        .happy_eyeballs_delay(ms(2000));
    let start = Instant::now();
    let conn = driver.connect(&scene.both(), scene.port, &options).unwrap();
    // ::1 is skipped, so there is no 2 s wait for it.
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    assert_eq!(conn.peer_addr(), scene.v4_addr());
    let local = conn.local_addr().as_socket().unwrap();
    assert_eq!(local.ip().to_string(), "127.0.0.1");
    assert_ne!(local.port(), 0);
    scene.accept_v4();
}

fn resolution_failure_gives_the_gai_error(form: Form) {
    let driver = Driver::new(form);
    let nothing = Fixed { v6: vec![], v4: vec![] };
    let error = driver.connect(&nothing, 80, &ConnectOptions::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Gai);
    assert_eq!(error.errno(), Some(libc::EAI_NODATA));
}

// ===== cancellation: async forms only (a blocking call cannot be dropped half-way) =====

/// Drops the race 300 ms in, with two black-holed attempts in flight: both sockets were
/// open while it ran, and both are closed once it is dropped.
fn dropping_the_race_closes_every_attempt(form: Form) {
    let _serial = serial();
    let scene = scene_or_skip!();
    let driver = Driver::new(form);
    warm_up(&driver, &scene);
    let v4_hole = BlackHole::v4();
    let holes = Fixed { v6: vec![scene.v6_addr()], v4: vec![v4_hole.addr.clone()] };
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100));
    let before = open_fds();
    driver.block_on(async {
        let mut race = pin!(asock::create_connection_with(&holes, "holes.test", 1, &options));
        let outcome = race.as_mut().timeout(ms(300)).await;
        assert_eq!(outcome.unwrap_err().kind(), ErrorKind::Timeout, "the race should hang");
        assert_eq!(open_fds(), before + 2, "both attempts' sockets are open mid-race");
    });
    assert_eq!(open_fds(), before);
}

#[test]
fn dropping_the_race_closes_every_attempt_under_tokio() {
    dropping_the_race_closes_every_attempt(Form::Tokio);
}

#[test]
fn dropping_the_race_closes_every_attempt_under_block_on() {
    dropping_the_race_closes_every_attempt(Form::BlockOn);
}
