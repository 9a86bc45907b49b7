//! `Timeout`, `NonBlocking` and `blocking` on any future, and the mode of operation futures.
//! Time logic runs on tokio's paused clock (exact virtual times); the own reactor is checked in
//! real time with generous bounds.
// Without the `tokio` feature the tests on tokio's paused clock are left out, and what only
// they use is unused.
#![cfg_attr(not(feature = "tokio"), allow(unused))]

mod reactor_support;

use std::future::pending;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asock::reactor::Interest;
use asock::sleep;
use asock::time::Instant;
use asock::{Error, ErrorKind, Mode, ModeExt, Operation, Result};
use reactor_support::{after, Executor};

// ===== any future, virtual time =====

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn timeout_fails_exactly_at_the_deadline() {
    let start = Instant::now();
    let err = pending::<Result<()>>().timeout(Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.to_string(), "timed out");
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn timeout_covers_the_whole_exchange_not_each_step() {
    let start = Instant::now();
    let steps = AtomicUsize::new(0);
    let exchange = async {
        for _ in 0..10 {
            sleep(Duration::from_secs(3)).await;
            steps.fetch_add(1, Ordering::SeqCst);
        }
        Ok::<_, Error>(())
    };
    let err = exchange.timeout(Duration::from_secs(10)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert_eq!(steps.load(Ordering::SeqCst), 3);
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn the_inner_future_is_polled_first() {
    // Ready at the very instant of the deadline: the result wins.
    let start = Instant::now();
    let work = async {
        sleep(Duration::from_secs(2)).await;
        Ok::<_, Error>("done")
    };
    assert_eq!(work.timeout(Duration::from_secs(2)).await.unwrap(), "done");
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    // A deadline already past does not stop a future that is ready at once.
    let past = Instant::now();
    sleep(Duration::from_secs(1)).await;
    assert_eq!(async { Ok::<_, Error>(1) }.deadline(past).await.unwrap(), 1);
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn deadline_and_timeout_agree() {
    let start = Instant::now();
    let at = start + Duration::from_millis(1500);
    let combinator = pending::<Result<()>>().deadline(at);
    assert_eq!(combinator.expires_at(), at);
    assert!(combinator.await.is_err());
    assert_eq!(Instant::now(), at);
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn huge_timeouts_do_not_panic() {
    let work = async {
        sleep(Duration::from_secs(1)).await;
        Ok::<_, Error>(())
    };
    work.timeout(Duration::MAX).await.unwrap();
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn nonblocking_is_one_try() {
    let err = pending::<Result<()>>().nonblocking().await.unwrap_err();
    assert!(err.is_would_block(), "{err}");
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    assert_eq!(async { Ok::<_, Error>(5) }.nonblocking().await.unwrap(), 5);
    let start = Instant::now();
    let err = sleep(Duration::from_secs(1)).map_ok().nonblocking().await.unwrap_err();
    assert!(err.is_would_block());
    assert_eq!(start.elapsed(), Duration::ZERO, "one try never waits");
}

#[cfg(feature = "tokio")] // asock follows tokio's paused clock with the `tokio` feature
#[tokio::test(start_paused = true)]
async fn blocking_waits_as_long_as_it_takes() {
    let start = Instant::now();
    sleep(Duration::from_secs(100)).map_ok().blocking().await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(100));
}

/// `Sleep` as a future of a `Result`, for the combinators.
trait MapOk: std::future::Future<Output = ()> + Sized {
    fn map_ok(self) -> impl std::future::Future<Output = Result<()>> {
        async move {
            self.await;
            Ok(())
        }
    }
}
impl<F: std::future::Future<Output = ()>> MapOk for F {}

// ===== any future, own reactor, real time =====

#[test]
fn timeout_on_the_own_reactor_fires_in_real_time() {
    for executor in [Executor::Asock, Executor::Futures] {
        reactor_support::run(executor, |_| async {
            let start = Instant::now();
            let err = pending::<Result<()>>().timeout(Duration::from_millis(50)).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Timeout);
            let took = start.elapsed();
            assert!(took >= Duration::from_millis(50), "{took:?}");
            assert!(took < Duration::from_secs(5), "{took:?}");
            Ok(())
        });
    }
}

// ===== operation futures carry their mode =====

on_every_backend!(
    nonblocking_operation_makes_one_syscall_and_never_registers,
    nonblocking_operation_returns_ready_data,
    timed_operation_fails_after_its_timeout_and_loses_nothing,
    blocking_overrides_an_earlier_timeout,
    deadline_in_the_past_still_tries_once,
);

async fn nonblocking_operation_makes_one_syscall_and_never_registers(_: Executor) -> Result<()> {
    let (a, _b) = asock::async_socket::socketpair()?;
    let err = a.recv(&mut [0u8; 8]).nonblocking().await.unwrap_err();
    assert!(err.is_would_block(), "{err}");
    assert_eq!(a.backend(), None, "a one-try operation does not wait, so does not register");
    // One syscall: counted through `async_io`, whose closure stands for it.
    let calls = AtomicUsize::new(0);
    let err = a
        .async_io(Interest::READABLE, || {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(std::io::ErrorKind::WouldBlock.into())
        })
        .nonblocking()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(a.backend(), None);
    Ok(())
}

async fn nonblocking_operation_returns_ready_data(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    b.try_send(b"here")?;
    let mut buf = [0u8; 8];
    let n = a.recv(&mut buf).nonblocking().await?;
    assert_eq!(&buf[..n], b"here");
    Ok(())
}

async fn timed_operation_fails_after_its_timeout_and_loses_nothing(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let start = Instant::now();
    let mut buf = [0u8; 8];
    let err =
        a.recv(&mut buf).with_mode(Mode::Timeout(Duration::from_millis(40))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(start.elapsed() >= Duration::from_millis(40));
    // The timed-out read consumed nothing: the next one gets the data.
    b.try_send(b"late")?;
    let n = a.recv(&mut buf).timeout(Duration::from_secs(5)).await?;
    assert_eq!(&buf[..n], b"late");
    Ok(())
}

async fn blocking_overrides_an_earlier_timeout(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    let b = std::os::unix::net::UnixStream::from(std::os::fd::OwnedFd::try_from(b)?);
    let peer = after(Duration::from_millis(60), move || (&b).write_all(b"slow").unwrap());
    let mut buf = [0u8; 8];
    let n = a.recv(&mut buf).with_mode(Mode::Timeout(Duration::from_millis(5))).blocking().await?;
    assert_eq!(&buf[..n], b"slow");
    peer.join().unwrap();
    Ok(())
}

async fn deadline_in_the_past_still_tries_once(_: Executor) -> Result<()> {
    let (a, b) = asock::async_socket::socketpair()?;
    b.try_send(b"now")?;
    let mut buf = [0u8; 8];
    let n = a.recv(&mut buf).deadline(Instant::now()).await?;
    assert_eq!(&buf[..n], b"now");
    let err = a.recv(&mut buf).deadline(Instant::now()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    Ok(())
}
