//! `asock::blocking::Socket` against `std::net` / `std::os::unix::net`.
//!
//! - `tcp_pingpong_64B`: one 64-byte message each way per iteration over loopback TCP.
//! - `tcp_bulk_256KiB`: 256 KiB one way, then a 1-byte acknowledgement.
//! - `unix_pingpong_64B`: as the TCP ping-pong, over a UNIX stream socketpair.
//!
//! Each group runs std, asock in blocking mode (the target: the same cost as std, one system
//! call per operation), and asock in timeout mode (O_NONBLOCK + poll(2): what a timeout
//! costs). Both endpoint threads are pinned to one CPU, so the figures measure the socket
//! code rather than cross-CPU wake-ups.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use asock::blocking::{create_server, Socket};
use asock::{AddressFamily, Protocol, SocketKind};
use asock_bench::{first_allowed_cpu, pin_current_thread};
use criterion::{Criterion, Throughput};

const MESSAGE: usize = 64;
const BULK: usize = 256 * 1024;
const TIMEOUT: Duration = Duration::from_secs(30);

/// One end of a byte stream: the two operations the benchmarks use.
trait Endpoint: Send + Sync + 'static {
    fn send_all(&self, buf: &[u8]) -> bool;
    /// Fills `buf`; false at end of stream or on error.
    fn recv_exact(&self, buf: &mut [u8]) -> bool;
}

impl Endpoint for TcpStream {
    fn send_all(&self, buf: &[u8]) -> bool {
        (&*self).write_all(buf).is_ok()
    }
    fn recv_exact(&self, buf: &mut [u8]) -> bool {
        (&*self).read_exact(buf).is_ok()
    }
}

impl Endpoint for UnixStream {
    fn send_all(&self, buf: &[u8]) -> bool {
        (&*self).write_all(buf).is_ok()
    }
    fn recv_exact(&self, buf: &mut [u8]) -> bool {
        (&*self).read_exact(buf).is_ok()
    }
}

impl Endpoint for Socket {
    fn send_all(&self, buf: &[u8]) -> bool {
        Socket::send_all(self, buf).is_ok()
    }
    fn recv_exact(&self, mut buf: &mut [u8]) -> bool {
        while !buf.is_empty() {
            match self.recv_into(buf, 0) {
                Ok(0) | Err(_) => return false,
                Ok(n) => buf = &mut buf[n..],
            }
        }
        true
    }
}

/// Runs `serve` on `server` in a thread pinned to `cpu`; it ends when the client hangs up.
fn spawn_pinned<E: Endpoint>(cpu: usize, server: E, serve: fn(&E)) -> JoinHandle<()> {
    thread::spawn(move || {
        pin_current_thread(cpu).expect("pin server thread");
        serve(&server);
    })
}

fn echo<E: Endpoint>(server: &E) {
    let mut buf = [0u8; MESSAGE];
    while server.recv_exact(&mut buf) && server.send_all(&buf) {}
}

fn sink<E: Endpoint>(server: &E) {
    let mut buf = vec![0u8; BULK];
    while server.recv_exact(&mut buf) && server.send_all(&[1]) {}
}

fn std_tcp_pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    c.set_nodelay(true).unwrap();
    s.set_nodelay(true).unwrap();
    (c, s)
}

fn asock_tcp_pair(timeout: Option<Duration>) -> (Socket, Socket) {
    let l = create_server(&"127.0.0.1:0".parse().unwrap(), &Default::default()).unwrap();
    let c =
        Socket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0)).unwrap();
    c.connect(&l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    for sock in [&c, &s] {
        sock.options().set_nodelay(true).unwrap();
        sock.set_timeout(timeout).unwrap();
    }
    (c, s)
}

fn asock_unix_pair(timeout: Option<Duration>) -> (Socket, Socket) {
    let (c, s) = asock::blocking::socketpair().unwrap();
    c.set_timeout(timeout).unwrap();
    s.set_timeout(timeout).unwrap();
    (c, s)
}

/// Benchmarks one round trip of `MESSAGE` bytes through an echo thread.
fn ping_pong<E: Endpoint>(
    c: &mut Criterion,
    group: &str,
    name: &str,
    cpu: usize,
    (client, server): (E, E),
) {
    let echo_thread = spawn_pinned(cpu, server, echo::<E>);
    let msg = [0x5au8; MESSAGE];
    let mut buf = [0u8; MESSAGE];
    c.benchmark_group(group).bench_function(name, |b| {
        b.iter(|| {
            assert!(client.send_all(&msg));
            assert!(client.recv_exact(&mut buf));
        });
    });
    drop(client);
    echo_thread.join().unwrap();
}

/// Benchmarks `BULK` bytes one way and a 1-byte acknowledgement back.
fn bulk<E: Endpoint>(
    c: &mut Criterion,
    group: &str,
    name: &str,
    cpu: usize,
    (client, server): (E, E),
) {
    let sink_thread = spawn_pinned(cpu, server, sink::<E>);
    let data = vec![0xa5u8; BULK];
    let mut ack = [0u8; 1];
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(BULK as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            assert!(client.send_all(&data));
            assert!(client.recv_exact(&mut ack));
        });
    });
    g.finish();
    drop(client);
    sink_thread.join().unwrap();
}

fn benches(c: &mut Criterion) {
    let cpu = first_allowed_cpu().expect("an allowed CPU");
    pin_current_thread(cpu).expect("pin the benchmark thread");

    let group = "tcp_pingpong_64B";
    ping_pong(c, group, "std", cpu, std_tcp_pair());
    ping_pong(c, group, "asock_blocking", cpu, asock_tcp_pair(None));
    ping_pong(c, group, "asock_timeout", cpu, asock_tcp_pair(Some(TIMEOUT)));

    let group = "tcp_bulk_256KiB";
    bulk(c, group, "std", cpu, std_tcp_pair());
    bulk(c, group, "asock_blocking", cpu, asock_tcp_pair(None));
    bulk(c, group, "asock_timeout", cpu, asock_tcp_pair(Some(TIMEOUT)));

    let group = "unix_pingpong_64B";
    ping_pong(c, group, "std", cpu, UnixStream::pair().unwrap());
    ping_pong(c, group, "asock_blocking", cpu, asock_unix_pair(None));
    ping_pong(c, group, "asock_timeout", cpu, asock_unix_pair(Some(TIMEOUT)));
}

// ===== paired rounds =====

/// Round trips of `MESSAGE` bytes through an echo thread, timed as ns per round trip.
struct Echoed<E: Endpoint> {
    client: E,
    thread: JoinHandle<()>,
}

impl<E: Endpoint> Echoed<E> {
    fn start(cpu: usize, (client, server): (E, E)) -> Self {
        Echoed { client, thread: spawn_pinned(cpu, server, echo::<E>) }
    }

    fn ns_per_round_trip(&self, n: u32) -> f64 {
        let msg = [0x5au8; MESSAGE];
        let mut buf = [0u8; MESSAGE];
        let start = std::time::Instant::now();
        for _ in 0..n {
            assert!(self.client.send_all(&msg));
            assert!(self.client.recv_exact(&mut buf));
        }
        start.elapsed().as_nanos() as f64 / f64::from(n)
    }

    fn stop(self) {
        drop(self.client);
        self.thread.join().unwrap();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Std, asock blocking and asock timeout measured in alternating rounds, so that load from
/// elsewhere on a shared machine hits all three alike; prints the median of the per-round
/// ratios. Criterion's figures above run one after the other and drift with that load.
fn paired<S: Endpoint, A: Endpoint>(
    label: &str,
    cpu: usize,
    std: (S, S),
    blocking: (A, A),
    timeout: (A, A),
) {
    const ROUNDS: usize = 31;
    const PER_ROUND: u32 = 2000;
    let (s, b, t) =
        (Echoed::start(cpu, std), Echoed::start(cpu, blocking), Echoed::start(cpu, timeout));
    let (mut ns, mut rb, mut rt) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let (x, y, z) = (
            s.ns_per_round_trip(PER_ROUND),
            b.ns_per_round_trip(PER_ROUND),
            t.ns_per_round_trip(PER_ROUND),
        );
        ns.push(x);
        rb.push(y / x);
        rt.push(z / x);
    }
    println!(
        "paired {label}: std median {:.0} ns/round trip; asock_blocking/std {:.3}; asock_timeout/std {:.3} (median of {ROUNDS} rounds)",
        median(ns),
        median(rb),
        median(rt)
    );
    s.stop();
    b.stop();
    t.stop();
}

/// What `criterion_group!` / `criterion_main!` expand to, without their undocumented `pub fn`,
/// followed by the paired rounds (skipped under `--test` / `--list`).
fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let cpu = first_allowed_cpu().expect("an allowed CPU");
    let timeout = Some(TIMEOUT);
    paired("tcp_pingpong_64B", cpu, std_tcp_pair(), asock_tcp_pair(None), asock_tcp_pair(timeout));
    paired(
        "unix_pingpong_64B",
        cpu,
        UnixStream::pair().unwrap(),
        asock_unix_pair(None),
        asock_unix_pair(timeout),
    );
}
