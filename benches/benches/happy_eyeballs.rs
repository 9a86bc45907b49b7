//! Connecting to a host whose IPv6 address black-holes: Happy Eyeballs against trying the
//! addresses in order.
//!
//! The scene (as in `crates/asock/tests/happy_eyeballs/scene.rs`): an `[::1]:port` listener
//! with `listen(0)` and one connection it never accepts, so Linux drops every further SYN to
//! it and a connect there hangs (for ~127 s, the kernel's SYN retries); a `127.0.0.1:port`
//! listener that works, its connections accepted and closed by a thread. The host resolves to
//! `[::1, 127.0.0.1]`, IPv6 first.
//!
//! - `asock async (tokio)`: `asock::create_connection_with` on a tokio current-thread runtime;
//! - `asock async (block_on)`: the same on `asock::block_on` (asock's own reactor);
//! - `asock blocking`: `asock::blocking::create_connection_with`;
//!
//!   all three with the default 250 ms attempt delay, resolving through a `FakeResolver` that
//!   answers at once (no DNS);
//! - `tokio TcpStream::connect`: the same two addresses, tried in order, bounded at 3 s with
//!   `tokio::time::timeout`;
//! - `std connect_timeout`: `[::1]:port` then `127.0.0.1:port`, 3 s each, bounded at 3 s in
//!   total.
//!
//! The last two never get past `::1` within their bound: read their figure as "≥ 3 s
//! (bounded)"; unbounded they take the kernel's SYN timeout. Each iteration takes a quarter
//! of a second or more, so samples are few: `sample_size(10)`, flat sampling.
//!
//! `happy_eyeballs/plain_loopback`: what the race costs when there is nothing to race, one
//! address that answers at once (`127.0.0.1`), side by side with a plain connect to it on the
//! same executor: std's `TcpStream::connect` and asock's blocking `Socket::connect` (blocking
//! mode, and timeout mode: the non-blocking connect + `poll(2)` that a race with a deadline
//! also needs) against
//! `blocking::create_connection` (the literal `127.0.0.1`: no lookup, raced as a one-address list)
//! and `blocking::create_connection_to`; asock's `AsyncConnector` (one `AsyncSocket` connect)
//! against `create_connection` on `asock::block_on`; tokio's `TcpStream::connect` against
//! `create_connection` on a tokio current-thread runtime. Each iteration connects, accepts
//! the connection on the same thread (loopback completes the handshake in the kernel, so it is
//! already queued) and closes both ends. Target: the race ≤ 1.10× the plain connect.
//!
//! The races run with a 5 s timeout, the plain connects without one; two more rows show what
//! the same deadline costs the plain connects themselves: std's `connect_timeout` and tokio's
//! connect inside `tokio::time::timeout`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use asock::blocking::Socket;
use asock::connect::{AsyncConnector, Connect, ConnectOptions};
use asock::resolve::FakeResolver;
use asock::{AddressFamily, Protocol, SocketKind};
use criterion::{criterion_main, Criterion, SamplingMode};

/// The bound on the sequential connectors.
const BOUND: Duration = Duration::from_secs(3);
const HOST: &str = "dual.test";

/// The black-holed `::1` and the working `127.0.0.1`, on one port.
struct Scene {
    _hole: Socket,
    _queued: TcpStream,
    port: u16,
}

impl Scene {
    /// `None` when the machine has no IPv6 loopback.
    fn new() -> Option<Scene> {
        for _ in 0..20 {
            let hole =
                Socket::new(AddressFamily::AF_INET6, SocketKind::SOCK_STREAM, Protocol::from(0))
                    .ok()?;
            hole.bind(&"[::1]:0".parse().ok()?).ok()?;
            let port = hole.local_addr().ok()?.port()?;
            let Ok(v4) = TcpListener::bind(("127.0.0.1", port)) else {
                continue; // taken on IPv4: another port
            };
            hole.listen(Some(0)).ok()?;
            // The one-entry accept queue is now full: further SYNs to ::1 are dropped.
            let queued = TcpStream::connect(("::1", port)).ok()?;
            std::thread::spawn(move || {
                for conn in v4.incoming() {
                    drop(conn);
                }
            });
            return Some(Scene { _hole: hole, _queued: queued, port });
        }
        None
    }

    fn addrs(&self) -> [SocketAddr; 2] {
        [
            SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], self.port)),
            SocketAddr::from(([127, 0, 0, 1], self.port)),
        ]
    }

    fn resolver(&self) -> FakeResolver {
        let [v6, v4] = self.addrs();
        FakeResolver::new().with_answer(HOST, v6.ip(), Duration::ZERO).with_answer(
            HOST,
            v4.ip(),
            Duration::ZERO,
        )
    }
}

/// std's way: each address in turn with `connect_timeout`, within one overall bound.
fn std_in_order(addrs: &[SocketAddr]) -> Option<TcpStream> {
    let deadline = Instant::now() + BOUND;
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        if let Ok(stream) = TcpStream::connect_timeout(addr, left.min(BOUND)) {
            return Some(stream);
        }
    }
    None
}

fn black_holed_ipv6(c: &mut Criterion) {
    let Some(scene) = Scene::new() else {
        println!("SKIPPED: no IPv6 loopback (::1) on this machine");
        return;
    };
    let resolver = scene.resolver();
    let addrs = scene.addrs();
    let options = ConnectOptions::new().timeout(Duration::from_secs(5));
    let tokio_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    let mut group = c.benchmark_group("happy_eyeballs/black_holed_ipv6");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));

    group.bench_function("asock async (tokio)", |b| {
        b.iter(|| {
            let race = asock::create_connection_with(&resolver, HOST, scene.port, &options);
            tokio_rt.block_on(race).expect("asock connects over IPv4")
        });
    });
    group.bench_function("asock async (block_on)", |b| {
        b.iter(|| {
            let race = asock::create_connection_with(&resolver, HOST, scene.port, &options);
            asock::block_on(race).expect("asock connects over IPv4")
        });
    });
    group.bench_function("asock blocking", |b| {
        b.iter(|| {
            asock::blocking::create_connection_with(&resolver, HOST, scene.port, &options)
                .expect("asock connects over IPv4")
        });
    });

    // Ten 3 s samples each: give them the time, so criterion does not stretch it itself.
    group.warm_up_time(Duration::from_millis(100)).measurement_time(BOUND * 11);
    group.bench_function("tokio TcpStream::connect (bounded 3 s)", |b| {
        b.iter(|| {
            let connect = tokio::net::TcpStream::connect(&addrs[..]);
            tokio_rt.block_on(async { tokio::time::timeout(BOUND, connect).await.ok() })
        });
    });
    group.bench_function("std connect_timeout in order (bounded 3 s)", |b| {
        b.iter(|| std_in_order(&addrs));
    });
    group.finish();
}

/// A connect to a loopback listener that answers at once, against the same connect as a race.
fn plain_loopback(c: &mut Criterion) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let addr = listener.local_addr().unwrap();
    let port = addr.port();
    let sock_addr = asock::SockAddr::from(addr);
    let addrs = [sock_addr.clone()];
    let options = ConnectOptions::new().timeout(Duration::from_secs(5));
    let tokio_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // Takes the connection the iteration made, so the accept queue never fills.
    let accept = || drop(listener.accept().expect("the connection is queued"));

    let mut group = c.benchmark_group("happy_eyeballs/plain_loopback");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));

    group.bench_function("std TcpStream::connect", |b| {
        b.iter(|| {
            let stream = TcpStream::connect(addr).expect("std connects");
            accept();
            stream
        });
    });
    // What a deadline costs std: non-blocking connect, poll(2), SO_ERROR, back to blocking.
    group.bench_function("std TcpStream::connect_timeout (5 s)", |b| {
        b.iter(|| {
            let stream =
                TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("std connects");
            accept();
            stream
        });
    });
    group.bench_function("asock blocking Socket::connect", |b| {
        b.iter(|| {
            let sock =
                Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))
                    .expect("a socket");
            sock.connect(&sock_addr).expect("asock connects");
            accept();
            sock
        });
    });
    // Python's create_connection with a timeout does this: non-blocking connect + poll(2).
    group.bench_function("asock blocking Socket::connect (timeout 5 s)", |b| {
        b.iter(|| {
            let sock =
                Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0))
                    .expect("a socket");
            sock.set_timeout(Some(Duration::from_secs(5))).expect("a timeout");
            sock.connect(&sock_addr).expect("asock connects");
            accept();
            sock
        });
    });
    group.bench_function("asock blocking::create_connection", |b| {
        b.iter(|| {
            let sock = asock::blocking::create_connection("127.0.0.1", port, &options)
                .expect("the race connects");
            accept();
            sock
        });
    });
    group.bench_function("asock blocking::create_connection_to", |b| {
        b.iter(|| {
            let sock =
                asock::blocking::create_connection_to(&addrs, &options).expect("the race connects");
            accept();
            sock
        });
    });
    group.bench_function("asock AsyncConnector connect (block_on)", |b| {
        b.iter(|| {
            let sock = asock::block_on(AsyncConnector.connect(sock_addr.clone(), None))
                .expect("asock connects");
            accept();
            sock
        });
    });
    group.bench_function("asock create_connection (block_on)", |b| {
        b.iter(|| {
            let sock = asock::block_on(asock::create_connection("127.0.0.1", port, &options))
                .expect("the race connects");
            accept();
            sock
        });
    });
    group.bench_function("tokio TcpStream::connect (tokio)", |b| {
        b.iter(|| {
            let stream =
                tokio_rt.block_on(tokio::net::TcpStream::connect(addr)).expect("tokio connects");
            accept();
            stream
        });
    });
    // What a deadline costs tokio: its timer, armed and removed once per connect.
    group.bench_function("tokio TcpStream::connect in timeout (5 s) (tokio)", |b| {
        b.iter(|| {
            // The timeout made inside the runtime: its timer needs the runtime's handle.
            let connect = async {
                tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
                    .await
            };
            let stream = tokio_rt.block_on(connect).expect("in time").expect("tokio connects");
            accept();
            stream
        });
    });
    group.bench_function("asock create_connection (tokio)", |b| {
        b.iter(|| {
            let sock = tokio_rt
                .block_on(asock::create_connection("127.0.0.1", port, &options))
                .expect("the race connects");
            accept();
            sock
        });
    });
    group.finish();
}

/// criterion's generated `pub fn`, kept private (it needs no docs).
mod group {
    use super::{black_holed_ipv6, plain_loopback};
    criterion::criterion_group!(benches, plain_loopback, black_holed_ipv6);
}
criterion_main!(group::benches);
