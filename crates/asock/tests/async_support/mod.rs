//! Helpers shared by the `async_*` integration tests: sockets to test with, and ways to look
//! at the process from outside (open fds, `O_NONBLOCK`).
//!
//! Each test body is an `async fn(Executor) -> asock::Result<()>` run by
//! `reactor_support::on_every_backend!` under tokio, `asock::block_on`,
//! `futures::executor::block_on` and `smol::block_on`. Bodies use only executor-neutral tools: `futures::join!` /
//! `select` for concurrency, `asock::sleep` for delays, threads for blocking peers.
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::Duration;

use asock::{AddressFamily, AsyncSocket, Protocol, SockAddr, SocketKind};

/// A generous bound for anything that should happen "at once" on loopback.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub fn addr(text: &str) -> SockAddr {
    text.parse().expect("address")
}

pub fn loopback(family: AddressFamily) -> SockAddr {
    if family == AddressFamily::AF_INET6 {
        addr("[::1]:0")
    } else {
        addr("127.0.0.1:0")
    }
}

pub fn sock(family: AddressFamily, kind: SocketKind) -> AsyncSocket {
    AsyncSocket::new(family, kind, Protocol::from(0)).expect("socket")
}

pub fn tcp(family: AddressFamily) -> AsyncSocket {
    sock(family, SocketKind::SOCK_STREAM)
}

/// A listening TCP socket on loopback with an ephemeral port.
pub fn listener(family: AddressFamily) -> AsyncSocket {
    let l = tcp(family);
    l.bind(loopback(family)).expect("bind");
    l.listen(128).expect("listen");
    l
}

/// A connected TCP pair over loopback: (client, accepted).
pub async fn tcp_pair(family: AddressFamily) -> asock::Result<(AsyncSocket, AsyncSocket)> {
    let l = listener(family);
    let c = tcp(family);
    let to = l.local_addr()?;
    let (connected, accepted) = futures::join!(c.connect(&to), l.accept());
    connected?;
    Ok((c, accepted?.0))
}

/// A bound UDP socket on loopback.
pub fn bound_udp(family: AddressFamily) -> AsyncSocket {
    let s = sock(family, SocketKind::SOCK_DGRAM);
    s.bind(loopback(family)).expect("bind");
    s
}

/// An address nothing listens on: a port bound, then released.
pub fn refused_addr() -> SockAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = probe.local_addr().expect("addr").into();
    drop(probe);
    addr
}

/// A unique abstract AF_UNIX name (no filesystem clean-up needed).
pub fn abstract_addr(tag: &str) -> SockAddr {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name =
        format!("asock-test-{}-{tag}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    SockAddr::Unix(asock::UnixAddr::Abstract(name.into_bytes()))
}

/// Polls `future` exactly once with a no-op waker: `Some(output)` if it completed.
pub fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// Polls a pinned future once with a no-op waker.
pub fn poll_pinned<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    std::pin::Pin::new(future).poll(&mut cx)
}

/// Lets the executor and its reactor run for a moment (a real-time sleep).
pub async fn pause(ms: u64) {
    asock::sleep(Duration::from_millis(ms)).await;
}

/// Number of open fds of this process.
pub fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").expect("/proc/self/fd").count()
}

/// Whether `fd` has `O_NONBLOCK`, read from /proc (no unsafe needed).
pub fn fd_is_nonblocking(fd: i32) -> bool {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).expect("fdinfo");
    let flags = info
        .lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .map(|octal| u32::from_str_radix(octal.trim(), 8).expect("octal flags"))
        .expect("flags line");
    flags & libc::O_NONBLOCK as u32 != 0
}

/// Fills `s`'s send buffer (and the peer's receive buffer) until a send would block.
pub fn fill(s: &AsyncSocket) -> usize {
    let chunk = [0u8; 65536];
    let mut total = 0;
    loop {
        match s.try_send(&chunk) {
            Ok(n) => total += n,
            Err(e) if e.is_would_block() => return total,
            Err(e) => panic!("fill: {e}"),
        }
    }
}

/// Receives once into a fresh buffer of `n` bytes (one `recv`): what arrived, at most `n`
/// bytes; empty at EOF or for an empty datagram.
pub async fn recv_vec(s: &AsyncSocket, n: usize) -> asock::Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let got = s.recv(&mut buf).await?;
    buf.truncate(got);
    Ok(buf)
}

/// [`recv_vec`], failing after [`PATIENCE`] ("timed out") instead of waiting for ever.
pub async fn recv_within(s: &AsyncSocket, n: usize) -> asock::Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let got = s.recv(&mut buf).timeout(PATIENCE).await?;
    buf.truncate(got);
    Ok(buf)
}

/// Receives once into a fresh buffer of `n` bytes with the sender's address (one
/// `recvfrom`).
pub async fn recv_from_vec(s: &AsyncSocket, n: usize) -> asock::Result<(Vec<u8>, SockAddr)> {
    let mut buf = vec![0u8; n];
    let (got, from) = s.recv_from(&mut buf).await?;
    buf.truncate(got);
    Ok((buf, from))
}

/// Receives everything until EOF.
pub async fn read_to_end(s: &AsyncSocket) -> asock::Result<Vec<u8>> {
    let mut all = Vec::new();
    let mut chunk = vec![0u8; 65536];
    loop {
        let n = s.recv(&mut chunk).await?;
        if n == 0 {
            return Ok(all);
        }
        all.extend_from_slice(&chunk[..n]);
    }
}

/// Asserts an error is the would-block one.
#[track_caller]
pub fn assert_would_block<T: std::fmt::Debug>(result: asock::Result<T>) {
    match result {
        Err(e) if e.is_would_block() => {}
        other => panic!("expected EAGAIN, got {other:?}"),
    }
}

/// Asserts an error is a timeout.
#[track_caller]
pub fn assert_timed_out<T: std::fmt::Debug>(result: asock::Result<T>) {
    match result {
        Err(e) if e.kind() == asock::ErrorKind::Timeout => assert_eq!(e.to_string(), "timed out"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// Asserts an error carries `errno`.
#[track_caller]
pub fn assert_errno<T: std::fmt::Debug>(result: asock::Result<T>, errno: i32) {
    match result {
        Err(e) if e.raw_os_error() == Some(errno) => {}
        other => panic!("expected errno {errno}, got {other:?}"),
    }
}

/// A listener whose accept queue is full (backlog 0, one connection never accepted): a new
/// connect to it stays in progress (its SYNs are dropped) for as long as the test holds it.
pub struct Stalled {
    pub listener: std::net::TcpListener,
    pub filler: std::net::TcpStream,
    pub addr: SockAddr,
}

pub fn stalled() -> Stalled {
    let l = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    l.bind(&"127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap().into()).unwrap();
    l.listen(0).unwrap();
    let listener: std::net::TcpListener = l.into();
    let local = listener.local_addr().unwrap();
    let filler = std::net::TcpStream::connect(local).unwrap();
    Stalled { listener, filler, addr: local.into() }
}
