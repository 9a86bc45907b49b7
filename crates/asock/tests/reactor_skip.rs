//! Waiting on cached readiness: on the tokio backend, once an fd is registered and its
//! readiness for a direction is known clear, an operation waits for an event without calling
//! its syscall (which could only say `EAGAIN`); the own reactor tries first (its waits are
//! whole reactor turns: `Registration::poll_io_with`). On both, the first try of an
//! unregistered fd, non-blocking tries and the last try at a deadline ask the kernel. Each body runs on tokio, `asock::block_on` and
//! `futures::executor::block_on`; the syscalls are counted by wrapping the closure.

mod reactor_support;

use asock::ModeExt;

use std::cell::Cell;
use std::future::Future;
use std::io::Write;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use asock::reactor::{Backend, Interest, Registered};
use asock::Result;
use reactor_support::{pair, read_once, Executor};

on_every_backend!(
    cleared_readiness_waits_without_a_syscall,
    nonblocking_try_always_asks_the_kernel,
    expired_deadline_asks_the_kernel_once,
    hangup_after_a_clear_makes_the_syscall,
);

/// Lets the reactor turn, so pending events reach the readiness cache.
async fn let_reactor_turn() {
    asock::sleep(Duration::from_millis(30)).await;
}

/// Polls `fut` once.
async fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *fut).poll(cx))).await
}

async fn cleared_readiness_waits_without_a_syscall(executor: Executor) -> Result<()> {
    // Own reactor: every poll tries (2 extra polls below); tokio: none without an event.
    let extra = if executor.backend() == Backend::Tokio { 0 } else { 2 };
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
    assert_eq!(calls.get(), 1 + extra, "no readable event: no syscall on tokio");
    (&b).write_all(b"hello")?;
    let n = read.await?;
    assert_eq!(&buf[..n], b"hello");
    assert_eq!(calls.get(), 2 + extra, "one syscall for the event");
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
    let err = a.try_io(Interest::READABLE, &mut counted).unwrap_err();
    assert!(err.is_would_block(), "{err}");
    assert_eq!(calls.get(), 1);
    // Data arrives with no reactor turn in between: the cache still says not readable, but
    // a non-blocking try is the kernel's answer, not the cache's.
    (&b).write_all(b"hi")?;
    let n = a.try_io(Interest::READABLE, &mut counted)?;
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

async fn hangup_after_a_clear_makes_the_syscall(executor: Executor) -> Result<()> {
    let extra = if executor.backend() == Backend::Tokio { 0 } else { 1 };
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
    assert_eq!(calls.get(), 1 + extra);
    // The peer goes away: the hang-up wakes the reader, whose syscall reports EOF.
    drop(b);
    assert_eq!(read.await?, 0, "EOF is a zero-length read");
    assert_eq!(calls.get(), 2 + extra);
    Ok(())
}
