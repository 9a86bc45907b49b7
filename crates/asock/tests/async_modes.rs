//! Python's three modes on `AsyncSocket`: the socket's mode, and each future's override
//! (`.timeout`, `.deadline`, `.nonblocking`, `.blocking`), for every operation. Real-time
//! bodies run on every backend with generous bounds; exact timing is checked on tokio's
//! paused clock.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]

mod async_support;
mod reactor_support;

use std::time::Duration;

use asock::time::Instant;
use asock::{AddressFamily, AsyncSocket, Mode, ModeExt, MsgFlags, Operation, Result};
use async_support::*;
use reactor_support::Executor;

on_every_backend!(
    blocking_mode_waits,
    timeout_mode_ends_recv_with_timed_out,
    timeout_mode_bounds_every_operation,
    nonblocking_mode_is_one_try_for_every_operation,
    nonblocking_operations_never_register,
    blocking_override_waits_past_the_socket_timeout,
    timeout_override_on_a_blocking_socket,
    deadline_override,
    nonblocking_override_on_a_timeout_socket,
    zero_timeout_tries_once_then_times_out,
    send_all_timeout_covers_the_whole_call,
    connect_in_nonblocking_mode_is_einprogress,
    connect_times_out_and_the_socket_stays_connecting,
    mode_changes_apply_to_later_futures,
    the_fd_is_nonblocking_in_every_mode,
    settimeout_values_are_checked_as_python_does,
    mode_setters_on_a_closed_socket_fail_with_ebadf,
    mode_ext_bounds_a_whole_exchange,
);

const SHORT: Duration = Duration::from_millis(50);

async fn blocking_mode_waits(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_timeout(None)?;
    let start = Instant::now();
    let (got, sent) = futures::join!(recv_vec(&a, 8), async {
        pause(60).await;
        b.send(b"late").await
    });
    sent?;
    assert_eq!(got?, b"late");
    assert!(start.elapsed() >= Duration::from_millis(60));
    Ok(())
}

async fn timeout_mode_ends_recv_with_timed_out(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    a.set_timeout(Some(SHORT))?;
    let start = Instant::now();
    assert_timed_out(a.recv(&mut [0u8; 8]).await);
    let took = start.elapsed();
    assert!(took >= SHORT && took < PATIENCE, "{took:?}");
    Ok(())
}

async fn timeout_mode_bounds_every_operation(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_timeout(Some(SHORT))?;
    let mut buf = [0u8; 8];
    assert_timed_out(a.recv(&mut buf).await);
    assert_timed_out(a.recv_with_flags(&mut buf, MsgFlags::MSG_PEEK).await);
    assert_timed_out(a.recv_buf(&mut Vec::with_capacity(8)).await);
    assert_timed_out(a.recv_from(&mut buf).await);
    assert_timed_out(a.readable().await);
    fill(&a);
    assert_timed_out(a.send(b"x").await);
    assert_timed_out(a.send_all(b"x").await);
    assert_timed_out(a.send_vectored(&[std::io::IoSlice::new(b"x")]).await);
    assert_timed_out(a.writable().await);
    drop(b);

    let l = listener(AddressFamily::AF_INET);
    l.set_timeout(Some(SHORT))?;
    assert_timed_out(l.accept().await.map(|(s, _)| s.fileno()));

    let (x, _y) = asock::async_socket::socketpair()?;
    let udp = bound_udp(AddressFamily::AF_INET);
    udp.set_timeout(Some(SHORT))?;
    assert_timed_out(udp.recv_from(&mut buf).await);
    drop(x);
    Ok(())
}

async fn nonblocking_mode_is_one_try_for_every_operation(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_blocking(false)?;
    assert!(!a.is_blocking());
    let mut buf = [0u8; 8];
    assert_would_block(a.recv(&mut buf).await);
    assert_would_block(a.recv_with_flags(&mut buf, MsgFlags::MSG_PEEK).await);
    assert_would_block(a.recv_buf(&mut Vec::with_capacity(8)).await);
    assert_would_block(a.recv_from(&mut buf).await);
    b.send(b"x").await?;
    assert_eq!(recv_vec(&a, 8).await?, b"x", "ready: one try succeeds");
    fill(&a);
    assert_would_block(a.send(b"x").await);
    assert_would_block(a.send_all(b"x").await);
    assert_would_block(a.send_vectored(&[std::io::IoSlice::new(b"x")]).await);

    let l = listener(AddressFamily::AF_INET6);
    l.set_blocking(false)?;
    assert_would_block(l.accept().await.map(|(s, _)| s.fileno()));
    Ok(())
}

async fn nonblocking_operations_never_register(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    a.set_blocking(false)?;
    for _ in 0..3 {
        assert_would_block(a.recv(&mut [0u8; 8]).await);
    }
    assert_eq!(a.backend(), None);
    let (c, _d) = asock::async_socket::socketpair()?;
    assert_would_block(c.recv(&mut [0u8; 8]).nonblocking().await);
    assert_eq!(c.backend(), None);
    Ok(())
}

async fn blocking_override_waits_past_the_socket_timeout(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_timeout(Some(Duration::from_millis(10)))?;
    let mut buf = [0u8; 8];
    let (got, sent) = futures::join!(a.recv(&mut buf).blocking(), async {
        pause(80).await;
        b.send(b"patience").await
    });
    sent?;
    assert_eq!(&buf[..got?], b"patience");

    a.set_blocking(false)?;
    let (got, sent) = futures::join!(a.recv(&mut buf).blocking(), async {
        pause(30).await;
        b.send(b"again").await
    });
    sent?;
    assert_eq!(&buf[..got?], b"again");
    Ok(())
}

async fn timeout_override_on_a_blocking_socket(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    assert_timed_out(a.recv(&mut buf).timeout(SHORT).await);
    assert_timed_out(a.recv_from(&mut buf).timeout(SHORT).await);
    // A result that arrives in time wins.
    let (got, sent) = futures::join!(a.recv(&mut buf).timeout(PATIENCE), async {
        pause(20).await;
        b.send(b"in time").await
    });
    sent?;
    assert_eq!(&buf[..got?], b"in time");
    // Also on a non-blocking socket: the override waits.
    a.set_blocking(false)?;
    assert_timed_out(a.recv(&mut buf).timeout(SHORT).await);
    Ok(())
}

async fn deadline_override(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    let at = Instant::now() + SHORT;
    assert_timed_out(a.recv(&mut [0u8; 8]).deadline(at).await);
    assert!(Instant::now() >= at);
    // A deadline already passed: one try, then the timeout.
    let l = listener(AddressFamily::AF_INET);
    assert_timed_out(l.accept().deadline(Instant::now()).await.map(|(s, _)| s.fileno()));
    Ok(())
}

async fn nonblocking_override_on_a_timeout_socket(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    a.set_timeout(Some(PATIENCE))?;
    let start = Instant::now();
    let mut buf = [0u8; 8];
    assert_would_block(a.recv(&mut buf).nonblocking().await);
    assert!(start.elapsed() < PATIENCE / 2, "did not wait");
    b.send(b"ready").await?;
    let n = a.recv(&mut buf).nonblocking().await?;
    assert_eq!(&buf[..n], b"ready");
    Ok(())
}

async fn zero_timeout_tries_once_then_times_out(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    assert_timed_out(a.recv(&mut buf).timeout(Duration::ZERO).await);
    b.send(b"now").await?;
    let n = a.recv(&mut buf).timeout(Duration::ZERO).await?;
    assert_eq!(&buf[..n], b"now");
    Ok(())
}

/// 8 MiB to a reader that takes 64 KiB every 10 ms: every step makes progress, so only a
/// deadline for the whole call ends it.
async fn send_all_timeout_covers_the_whole_call(_: Executor) -> Result<()> {
    let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
    let a = AsyncSocket::from(a);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            b.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
            let mut buf = vec![0u8; 65536];
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = (&b).read(&mut buf);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let data = vec![1u8; 8 << 20];
    let limit = Duration::from_millis(300);
    let start = Instant::now();
    assert_timed_out(a.send_all(&data).timeout(limit).await);
    let took = start.elapsed();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    reader.join().unwrap();
    assert!(took >= limit && took < limit + Duration::from_secs(2), "{took:?}");
    Ok(())
}

async fn connect_in_nonblocking_mode_is_einprogress(_: Executor) -> Result<()> {
    let scene = stalled();
    let c = tcp(AddressFamily::AF_INET);
    assert_errno(c.connect(&scene.addr).nonblocking().await, libc::EINPROGRESS);
    // The socket's non-blocking mode does the same (Python's connect_ex, which returns this
    // errno, is blocking::Socket's: tests/blocking_modes.rs).
    let d = tcp(AddressFamily::AF_INET);
    d.set_blocking(false)?;
    assert_errno(d.connect(&scene.addr).await, libc::EINPROGRESS);
    assert_errno(d.connect(&scene.addr).await, libc::EALREADY);
    // Still in progress: a second connect says so.
    assert_errno(c.connect(&scene.addr).nonblocking().await, libc::EALREADY);
    Ok(())
}

async fn connect_times_out_and_the_socket_stays_connecting(_: Executor) -> Result<()> {
    let scene = stalled();
    let c = tcp(AddressFamily::AF_INET);
    assert_timed_out(c.connect(&scene.addr).timeout(SHORT).await);
    assert_errno(c.peer_addr(), libc::ENOTCONN);
    assert_errno(c.connect(&scene.addr).await, libc::EALREADY);
    // The socket's timeout mode too (connect_ex's EWOULDBLOCK for a timeout, as CPython, is
    // blocking::Socket's: tests/blocking_modes.rs).
    let d = tcp(AddressFamily::AF_INET);
    d.set_timeout(Some(SHORT))?;
    assert_timed_out(d.connect(&scene.addr).await);
    assert_errno(d.peer_addr(), libc::ENOTCONN);
    // Once the listener takes the queued connection, the kernel completes ours.
    let _ = scene.listener.accept();
    Ok(())
}

async fn mode_changes_apply_to_later_futures(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 8];
    let made_blocking = a.recv(&mut buf);
    a.set_blocking(false)?;
    // The future made before the change keeps the mode it started with: it waits.
    let (got, sent) = futures::join!(made_blocking, async {
        pause(20).await;
        b.send(b"kept").await
    });
    sent?;
    assert_eq!(&buf[..got?], b"kept");
    assert_would_block(a.recv(&mut buf).await);
    Ok(())
}

async fn the_fd_is_nonblocking_in_every_mode(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    for timeout in [None, Some(Duration::ZERO), Some(SHORT)] {
        a.set_timeout(timeout)?;
        assert_eq!(a.timeout(), timeout);
        assert!(fd_is_nonblocking(a.fileno()), "{timeout:?}");
    }
    Ok(())
}

async fn settimeout_values_are_checked_as_python_does(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    let message = |v: f64| a.set_timeout_secs(Some(v)).unwrap_err().to_string();
    assert_eq!(message(f64::NAN), "Invalid value NaN (not a number)");
    assert_eq!(message(-0.5), "Timeout value out of range");
    assert_eq!(message(f64::INFINITY), "timestamp out of range for platform time_t");
    assert!(a.set_timeout(Some(Duration::MAX)).is_err());
    assert_eq!(a.timeout(), None, "unchanged by rejected values");
    a.set_timeout_secs(Some(0.0))?;
    assert!(!a.is_blocking());
    a.set_timeout_secs(Some(0.25))?;
    assert_eq!(a.timeout(), Some(Duration::from_millis(250)));
    assert!(a.is_blocking(), "a timeout counts as blocking, as in CPython");
    a.set_timeout_secs(None)?;
    assert_eq!(a.timeout(), None);
    Ok(())
}

async fn mode_setters_on_a_closed_socket_fail_with_ebadf(_: Executor) -> Result<()> {
    let (mut a, _b) = asock::async_socket::socketpair()?;
    a.close()?;
    assert_errno(a.set_timeout(None), libc::EBADF);
    assert_errno(a.set_blocking(false), libc::EBADF);
    assert_errno(a.set_timeout_secs(Some(1.0)), libc::EBADF);
    Ok(())
}

async fn mode_ext_bounds_a_whole_exchange(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    // A request/response exchange where the peer never answers: one deadline for all.
    let exchange = async {
        a.send_all(b"request").await?;
        recv_vec(&a, 64).await
    };
    assert_timed_out(exchange.timeout(SHORT).await);
    assert_eq!(recv_vec(&b, 64).await?, b"request");
    Ok(())
}

// ===== tokio's paused clock: exact virtual times =====

#[cfg(feature = "tokio")]
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap()
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn socket_timeout_ends_at_exactly_its_deadline_on_the_paused_clock() {
    paused_runtime().block_on(async {
        let (a, _b) = asock::async_socket::socketpair().unwrap();
        a.set_timeout(Some(Duration::from_secs(5))).unwrap();
        let start = Instant::now();
        assert_timed_out(a.recv(&mut [0u8; 8]).await);
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    });
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn send_all_deadline_is_one_for_the_whole_call_on_the_paused_clock() {
    paused_runtime().block_on(async {
        let (a, b) = asock::async_socket::socketpair().unwrap();
        fill(&a);
        let data = vec![0u8; 8 << 20];
        let start = Instant::now();
        // The peer drains a little every 100 ms of virtual time: progress at every step.
        let drain = async {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let _ = b.try_recv(&mut [0u8; 65536]);
            }
        };
        tokio::select! {
            out = a.send_all(&data).timeout(Duration::from_secs(3)) => assert_timed_out(out),
            () = drain => unreachable!(),
        }
        assert_eq!(start.elapsed(), Duration::from_secs(3));
    });
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn future_override_replaces_the_socket_timeout_on_the_paused_clock() {
    paused_runtime().block_on(async {
        let (a, _b) = asock::async_socket::socketpair().unwrap();
        a.set_timeout(Some(Duration::from_secs(1))).unwrap();
        let start = Instant::now();
        assert_timed_out(a.recv(&mut [0u8; 8]).timeout(Duration::from_secs(7)).await);
        assert_eq!(start.elapsed(), Duration::from_secs(7));
        let l = listener(AddressFamily::AF_INET);
        l.set_timeout(Some(Duration::from_secs(1))).unwrap();
        let start = Instant::now();
        let at = start + Duration::from_millis(1500);
        assert_timed_out(l.accept().deadline(at).await.map(|(s, _)| s.fileno()));
        assert_eq!(start.elapsed(), Duration::from_millis(1500));
        assert_eq!(a.timeout(), Some(Duration::from_secs(1)), "the socket's mode is untouched");
        let start = Instant::now();
        assert_timed_out(a.readable().with_mode(Mode::Timeout(Duration::from_secs(2))).await);
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    });
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn mode_ext_timeout_on_any_future_uses_the_paused_clock() {
    paused_runtime().block_on(async {
        let (a, _b) = asock::async_socket::socketpair().unwrap();
        let start = Instant::now();
        let exchange = async { a.recv(&mut [0u8; 8]).await };
        assert_timed_out(ModeExt::timeout(exchange, Duration::from_secs(9)).await);
        assert_eq!(start.elapsed(), Duration::from_secs(9));
    });
}
