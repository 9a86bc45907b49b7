//! The real loopback scene: a black-holed `::1` beside a working `127.0.0.1`.
//!
//! An `::1` listener with `listen(0)` and one connection it never accepts has a full accept
//! queue, so Linux drops every further SYN to it: a connect there hangs, as on a host whose
//! IPv6 route goes nowhere. A `127.0.0.1` listener on the same port answers. A name resolving
//! to `[::1, 127.0.0.1]` must then connect over IPv4 after about the attempt delay, with the
//! blocking `create_connection_with` and with the async `happy_eyeballs` (driven here by a
//! small tokio connector), and the process must hold as many fds after many races as before.
//!
//! The tests take one lock: they count this process's fds.
#![cfg(target_os = "linux")]

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use asock::blocking::{create_connection_with, Socket};
use asock::connect::{happy_eyeballs, Connect, ConnectOptions};
use asock::resolve::{AddrInfo, Hints, Resolve, ResolveFuture};
use asock::{AddressFamily, Error, ErrorKind, Protocol, SockAddr, SocketKind};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Answers every name with fixed addresses: `v6` to the AAAA query, `v4` to the A query.
struct Fixed {
    v6: Vec<SockAddr>,
    v4: Vec<SockAddr>,
}

impl Resolve for Fixed {
    fn getaddrinfo(&self, _: Option<&str>, _: Option<&str>, hints: Hints) -> ResolveFuture {
        let addrs = if hints.family == AddressFamily::AF_INET6 { &self.v6 } else { &self.v4 };
        let infos: Vec<AddrInfo> = addrs
            .iter()
            .map(|addr| AddrInfo {
                family: addr.family(),
                kind: SocketKind::SOCK_STREAM,
                proto: Protocol::IPPROTO_TCP,
                canonname: None,
                addr: addr.clone(),
            })
            .collect();
        let answer =
            if infos.is_empty() { Err(Error::gai(libc::EAI_NODATA, None)) } else { Ok(infos) };
        Box::pin(async move { answer })
    }
}

/// The scene: `::1:port` black-holed, `127.0.0.1:port` listening.
struct Scene {
    _black_hole: Socket,
    _queued: std::net::TcpStream,
    v4: Socket,
    port: u16,
}

impl Scene {
    /// Builds the scene, or `None` when this machine has no IPv6 loopback.
    fn new() -> Option<Scene> {
        for _ in 0..20 {
            let black_hole = match stream_socket(AddressFamily::AF_INET6) {
                Ok(s) if s.bind(&"[::1]:0".parse().unwrap()).is_ok() => s,
                _ => return None,
            };
            black_hole.listen(Some(0)).unwrap();
            let port = black_hole.local_addr().unwrap().port().unwrap() as u16;
            let v4 = stream_socket(AddressFamily::AF_INET).unwrap();
            if v4.bind(&SockAddr::inet("127.0.0.1", port).unwrap()).is_err() {
                continue; // the port is taken on IPv4: try another
            }
            v4.listen(None).unwrap();
            // Fill the one-entry accept queue; from now on SYNs to ::1 are dropped.
            let queued = std::net::TcpStream::connect(("::1", port)).unwrap();
            let scene = Scene { _black_hole: black_hole, _queued: queued, v4, port };
            scene.assert_black_holed();
            return Some(scene);
        }
        panic!("no port free on both ::1 and 127.0.0.1");
    }

    fn v6_addr(&self) -> SockAddr {
        format!("[::1]:{}", self.port).parse().unwrap()
    }

    fn v4_addr(&self) -> SockAddr {
        SockAddr::inet("127.0.0.1", self.port).unwrap()
    }

    fn both(&self) -> Fixed {
        Fixed { v6: vec![self.v6_addr()], v4: vec![self.v4_addr()] }
    }

    /// A plain connect to `::1` must hang: the scene is what it claims to be.
    fn assert_black_holed(&self) {
        let probe = std::net::TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], self.port)),
            ms(100),
        );
        assert_eq!(probe.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    }

    /// Accepts (and closes) the connection a race made to the IPv4 listener.
    fn accept_v4(&self) -> SockAddr {
        let (conn, peer) = self.v4.accept().unwrap();
        drop(conn);
        peer
    }
}

fn stream_socket(family: AddressFamily) -> asock::Result<Socket> {
    Socket::new(family, SocketKind::SOCK_STREAM, Protocol::from(0))
}

macro_rules! scene_or_skip {
    () => {
        match Scene::new() {
            Some(scene) => scene,
            None => {
                println!("SKIPPED: no IPv6 loopback (::1) on this machine");
                return;
            }
        }
    };
}

/// One attempt = a tokio `TcpSocket`, bound to the source address when there is one.
struct Tokio;

impl Connect for Tokio {
    type Stream = tokio::net::TcpStream;

    async fn connect(
        &self,
        addr: SockAddr,
        source: Option<SockAddr>,
    ) -> asock::Result<tokio::net::TcpStream> {
        let addr = addr.as_socket().ok_or_else(|| Error::invalid_input("not an IP address"))?;
        let socket = if addr.is_ipv6() {
            tokio::net::TcpSocket::new_v6()?
        } else {
            tokio::net::TcpSocket::new_v4()?
        };
        if let Some(source) = source.and_then(|s| s.as_socket()) {
            socket.bind(source)?;
        }
        Ok(socket.connect(addr).await?)
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

// ===== blocking =====

#[test]
fn blocking_connects_over_ipv4_after_the_attempt_delay() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100)).timeout(ms(5000));
    let start = Instant::now();
    let sock = create_connection_with(&scene.both(), "dual.test", scene.port, &options).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(sock.peer_addr().unwrap(), scene.v4_addr());
    assert!(elapsed >= ms(100), "{elapsed:?}");
    assert!(elapsed < ms(1500), "{elapsed:?}");
    assert_eq!(scene.accept_v4(), sock.local_addr().unwrap());
    // The socket is in the mode Python's create_connection(timeout=5) gives.
    assert_eq!(sock.timeout(), Some(ms(5000)));
}

#[test]
fn blocking_socket_without_timeout_is_in_the_default_mode() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10));
    let sock = create_connection_with(&scene.both(), "dual.test", scene.port, &options).unwrap();
    scene.accept_v4();
    assert_eq!(sock.timeout(), asock::blocking::default_timeout());
    assert!(sock.is_blocking());
    sock.send_all(b"blocking fd").unwrap(); // usable as any blocking socket
}

#[test]
fn blocking_races_leak_no_fd() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10)).timeout(ms(5000));
    let resolver = scene.both();
    let before = open_fds();
    for _ in 0..300 {
        let sock = create_connection_with(&resolver, "dual.test", scene.port, &options).unwrap();
        assert_eq!(sock.peer_addr().unwrap(), scene.v4_addr());
        scene.accept_v4();
    }
    assert_eq!(open_fds(), before);
}

#[test]
fn blocking_timeout_while_black_holed_closes_the_attempt() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let only_v6 = Fixed { v6: vec![scene.v6_addr()], v4: vec![] };
    let before = open_fds();
    let start = Instant::now();
    let options = ConnectOptions::new().timeout(ms(200));
    let error = create_connection_with(&only_v6, "v6.test", scene.port, &options).unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(elapsed >= ms(200), "{elapsed:?}");
    assert!(elapsed < ms(1500), "{elapsed:?}");
    assert_eq!(open_fds(), before);
}

#[test]
fn blocking_refusals_expedite_and_are_all_reported() {
    let _serial = serial();
    // Ports nobody listens on: bind them, then let them go.
    let free_port = |family, addr: &str| {
        let s = stream_socket(family).unwrap();
        s.bind(&addr.parse().unwrap()).unwrap();
        s.local_addr().unwrap()
    };
    let v6 = match stream_socket(AddressFamily::AF_INET6) {
        Ok(_) => free_port(AddressFamily::AF_INET6, "[::1]:0"),
        Err(_) => return println!("SKIPPED: no IPv6 sockets on this machine"),
    };
    let v4 = free_port(AddressFamily::AF_INET, "127.0.0.1:0");
    let resolver = Fixed { v6: vec![v6.clone()], v4: vec![v4.clone()] };
    let options = ConnectOptions::new().all_errors(true).happy_eyeballs_delay(ms(2000));
    let start = Instant::now();
    let error = create_connection_with(&resolver, "closed.test", 1, &options).unwrap_err();
    // The refusal of ::1 starts 127.0.0.1 at once, not after the 2 s delay.
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    let listed: Vec<_> =
        error.errors().iter().map(|(a, e)| (a.clone(), e.raw_os_error())).collect();
    assert_eq!(
        listed,
        [(v6.to_string(), Some(libc::ECONNREFUSED)), (v4.to_string(), Some(libc::ECONNREFUSED))]
    );
}

#[test]
fn blocking_source_address_keeps_to_its_family() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new()
        .source_address("127.0.0.1:0".parse().unwrap())
        .happy_eyeballs_delay(ms(2000));
    let start = Instant::now();
    let sock = create_connection_with(&scene.both(), "dual.test", scene.port, &options).unwrap();
    // ::1 is skipped, so there is no 2 s wait for it.
    assert!(start.elapsed() < ms(1000), "{:?}", start.elapsed());
    assert_eq!(sock.peer_addr().unwrap(), scene.v4_addr());
    let local = sock.local_addr().unwrap().as_socket().unwrap();
    assert_eq!(local.ip().to_string(), "127.0.0.1");
    scene.accept_v4();
}

#[test]
fn blocking_resolution_failure_gives_the_gai_error() {
    let _serial = serial();
    let nothing = Fixed { v6: vec![], v4: vec![] };
    let error =
        create_connection_with(&nothing, "nowhere.test", 80, &ConnectOptions::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Gai);
    assert_eq!(error.errno(), Some(libc::EAI_NODATA));
}

// ===== async, through the generic race =====

#[test]
fn async_connects_over_ipv4_after_the_attempt_delay() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(100)).timeout(ms(5000));
    let (stream, elapsed) = runtime().block_on(async {
        let start = Instant::now();
        let stream = happy_eyeballs(&scene.both(), &Tokio, "dual.test", scene.port, &options).await;
        (stream.unwrap(), start.elapsed())
    });
    assert_eq!(SockAddr::from(stream.peer_addr().unwrap()), scene.v4_addr());
    assert!(elapsed >= ms(100), "{elapsed:?}");
    assert!(elapsed < ms(1500), "{elapsed:?}");
    scene.accept_v4();
}

#[test]
fn async_races_leak_no_fd() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let options = ConnectOptions::new().happy_eyeballs_delay(ms(10)).timeout(ms(5000));
    let resolver = scene.both();
    let rt = runtime();
    let before = open_fds();
    rt.block_on(async {
        for _ in 0..300 {
            let stream =
                happy_eyeballs(&resolver, &Tokio, "dual.test", scene.port, &options).await.unwrap();
            assert_eq!(SockAddr::from(stream.peer_addr().unwrap()), scene.v4_addr());
            scene.accept_v4();
        }
    });
    assert_eq!(open_fds(), before);
}

#[test]
fn async_race_dropped_while_black_holed_closes_the_attempt() {
    let _serial = serial();
    let scene = scene_or_skip!();
    let only_v6 = Fixed { v6: vec![scene.v6_addr()], v4: vec![] };
    let rt = runtime();
    let before = open_fds();
    let result = rt.block_on(async {
        let options = ConnectOptions::new();
        let race = happy_eyeballs(&only_v6, &Tokio, "v6.test", scene.port, &options);
        tokio::time::timeout(ms(200), race).await
    });
    assert!(result.is_err(), "the black-holed connect should still be running");
    assert_eq!(open_fds(), before);
}
