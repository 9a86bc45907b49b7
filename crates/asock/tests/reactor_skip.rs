//! Waiting on cached readiness: once an fd is registered and its readiness for a direction is
//! known clear, an operation waits for an event without calling its syscall (which could only
//! say `EAGAIN`); the first try of an unregistered fd, non-blocking tries and the last try
//! at a deadline still ask the kernel. Each body runs on tokio, `asock::block_on` and
//! `futures::executor::block_on`; the syscalls are counted by wrapping the closure.

mod reactor_support;

use std::cell::Cell;
use std::future::Future;
use std::io::Write;
use std::os::fd::AsFd;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use asock::reactor::{Interest, Registered};
use asock::Result;
use reactor_support::{pair, read_once, Executor};

on_every_backend!(
    cleared_readiness_waits_without_a_syscall,
    nonblocking_try_always_asks_the_kernel,
    expired_deadline_asks_the_kernel_once,
    hangup_after_a_clear_makes_the_syscall,
    unix_stream_short_read_clears_readiness,
    unix_stream_short_read_under_passcred_keeps_readiness,
    unix_stream_read_stopping_at_fds_keeps_readiness,
);

/// Lets the reactor turn, so pending events reach the readiness cache.
async fn let_reactor_turn() {
    asock::time::sleep(Duration::from_millis(30)).await;
}

/// Polls `fut` once.
async fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *fut).poll(cx))).await
}

async fn cleared_readiness_waits_without_a_syscall(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let calls = Cell::new(0);
    let mut buf = [0u8; 16];
    let mut read = pin!(a.async_io(Interest::READABLE, |s| {
        calls.set(calls.get() + 1);
        read_once(s, &mut buf)
    }));
    // First try: the kernel says EAGAIN, the fd is registered, the future waits.
    assert!(poll_once(&mut read).await.is_pending());
    assert_eq!(calls.get(), 1, "the first try asks the kernel");
    // The reactor turns (the socket's initial writable edge arrives, nothing readable).
    let_reactor_turn().await;
    assert!(poll_once(&mut read).await.is_pending());
    assert!(poll_once(&mut read).await.is_pending());
    assert_eq!(calls.get(), 1, "no readable event: no syscall");
    (&b).write_all(b"hello")?;
    let n = read.await?;
    assert_eq!(&buf[..n], b"hello");
    assert_eq!(calls.get(), 2, "one syscall for the event");
    Ok(())
}

async fn nonblocking_try_always_asks_the_kernel(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let calls = Cell::new(0);
    let mut buf = [0u8; 16];
    let mut counted = |s: &_| {
        calls.set(calls.get() + 1);
        read_once(s, &mut buf)
    };
    // Registered, readiness cleared by an EAGAIN.
    a.register()?;
    let_reactor_turn().await;
    let err = a.async_io(Interest::READABLE, &mut counted).nonblocking().await.unwrap_err();
    assert!(err.is_would_block(), "{err}");
    assert_eq!(calls.get(), 1);
    // Data arrives with no reactor turn in between: the cache still says not readable, but
    // a non-blocking try is the kernel's answer, not the cache's.
    (&b).write_all(b"hi")?;
    let n = a.async_io(Interest::READABLE, &mut counted).nonblocking().await?;
    assert_eq!(n, 2);
    assert_eq!(calls.get(), 2);
    Ok(())
}

async fn expired_deadline_asks_the_kernel_once(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let calls = Cell::new(0);
    let mut buf = [0u8; 16];
    let mut counted = |s: &_| {
        calls.set(calls.get() + 1);
        read_once(s, &mut buf)
    };
    a.register()?;
    let_reactor_turn().await;
    // Readiness is clear; data is queued but no reactor turn has seen it. A zero timeout
    // must not report "timed out" from the cache alone.
    (&b).write_all(b"abc")?;
    let n = a.async_io(Interest::READABLE, &mut counted).timeout(Duration::ZERO).await?;
    assert_eq!(n, 3);
    // Nothing queued now: the deadline passes and the timeout is reported.
    let err =
        a.async_io(Interest::READABLE, &mut counted).timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(err.to_string(), "timed out");
    Ok(())
}

async fn hangup_after_a_clear_makes_the_syscall(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let calls = Cell::new(0);
    let mut buf = [0u8; 16];
    let mut read = pin!(a.async_io(Interest::READABLE, |s| {
        calls.set(calls.get() + 1);
        read_once(s, &mut buf)
    }));
    assert!(poll_once(&mut read).await.is_pending());
    let_reactor_turn().await;
    assert!(poll_once(&mut read).await.is_pending());
    assert_eq!(calls.get(), 1);
    // The peer goes away: the hang-up wakes the reader, whose syscall reports EOF.
    drop(b);
    assert_eq!(read.await?, 0, "EOF is a zero-length read");
    assert_eq!(calls.get(), 2);
    Ok(())
}

/// `b`'s cached readable readiness, asked without waiting: `Ok(true)` if set.
async fn cached_readable(b: &asock::AsyncSocket) -> Result<bool> {
    match b.readable().nonblocking().await {
        Ok(_) => Ok(true),
        Err(e) if e.is_would_block() => Ok(false),
        Err(e) => Err(e),
    }
}

async fn unix_stream_short_read_clears_readiness(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let mut buf = [0u8; 16];
    // Registers b (the first try says EAGAIN), then reads what arrives.
    let (n, sent) = futures::join!(b.recv_into(&mut buf, 0), async {
        let_reactor_turn().await;
        a.send_all(b"abc").await
    });
    sent?;
    assert_eq!(n?, 3);
    a.send_all(b"def").await?;
    let_reactor_turn().await;
    assert!(cached_readable(&b).await?, "an event marks it readable");
    // 3 bytes into 16 with no MSG_CTRUNC: the queue is empty, no EAGAIN needed to know.
    assert_eq!(b.recv_into(&mut buf, 0).await?, 3);
    assert!(!cached_readable(&b).await?, "a short UNIX stream read clears readiness");
    Ok(())
}

async fn unix_stream_short_read_under_passcred_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    // Under SO_PASSCRED a read stops at a change of sender; the kernel flags the undelivered
    // credentials with MSG_CTRUNC, so the short read proves nothing.
    b.set_option(libc::SOL_SOCKET, libc::SO_PASSCRED, 1)?;
    let mut buf = [0u8; 16];
    let (n, sent) = futures::join!(b.recv_into(&mut buf, 0), async {
        let_reactor_turn().await;
        a.send_all(b"abc").await
    });
    sent?;
    assert_eq!(n?, 3);
    a.send_all(b"def").await?;
    let_reactor_turn().await;
    assert_eq!(b.recv_into(&mut buf, 0).await?, 3);
    assert!(cached_readable(&b).await?, "readiness kept: only EAGAIN proves the queue empty");
    let err = b.try_recv_into(&mut buf, 0).unwrap_err();
    assert!(err.is_would_block(), "{err}");
    Ok(())
}

async fn unix_stream_read_stopping_at_fds_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let file = std::fs::File::open("/dev/null").unwrap();
    let mut buf = [0u8; 64];
    let (got, sent) = futures::join!(b.recv_into(&mut buf, 0), async {
        let_reactor_turn().await;
        a.send_fds(&[std::io::IoSlice::new(b"one")], &[file.as_fd()], 0, None).await?;
        a.send_all(b"two").await
    });
    sent?;
    // recv_into stops after the segment that carried the fd (MSG_CTRUNC: the fd is dropped);
    // "two" is still queued, so the short read must not clear the readiness.
    assert_eq!(got?, 3);
    assert!(cached_readable(&b).await?);
    assert_eq!(b.recv_into(&mut buf, 0).nonblocking().await?, 3);
    assert_eq!(&buf[..3], b"two");
    Ok(())
}
