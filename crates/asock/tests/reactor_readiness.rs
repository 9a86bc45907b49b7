//! The readiness contract, on every backend: each test body runs under a tokio
//! current_thread runtime (tokio backend), `asock::block_on` (own reactor, driven by the
//! waiting thread), `futures::executor::block_on` and `smol::block_on` (with the `async-io`
//! feature async-io's reactor, driven by its thread or by smol's waiting thread; without, the
//! own reactor's background thread).

mod reactor_support;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use asock::reactor::{Backend, Interest, Progress, Registered};
use asock::{Error, ModeExt, Result};
use futures::stream::{FuturesUnordered, StreamExt};
use reactor_support::{after, fill, pair, read_once, write_once, Executor};

on_every_backend!(
    backend_follows_the_context,
    read_waits_for_data,
    syscall_comes_first_and_errors_skip_registration,
    accept_waits_for_a_connection,
    reader_and_writer_tasks_are_both_woken,
    a_polling_reader_and_a_waiting_future_are_both_woken,
    stale_clear_keeps_a_newer_event,
    clear_forgets_readiness_without_newer_event,
    eof_is_a_zero_length_read,
    hangup_wakes_a_blocked_writer,
    dropping_deregisters_before_close,
    into_inner_deregisters_and_keeps_the_fd,
    many_round_trips_lose_no_wakeup,
    short_stream_read_marked_drained_clears_readiness,
    full_read_keeps_readiness,
);

async fn backend_follows_the_context(executor: Executor) -> Result<()> {
    assert_eq!(Backend::current(), executor.backend());
    let (a, _b) = pair();
    let a = Registered::new(a);
    assert_eq!(a.backend(), None, "registration is lazy");
    assert_eq!(a.register()?, executor.backend());
    assert_eq!(a.backend(), Some(executor.backend()));
    Ok(())
}

async fn read_waits_for_data(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let peer = after(Duration::from_millis(30), move || {
        (&b).write_all(b"hello").unwrap();
    });
    let mut buf = [0u8; 16];
    let n = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await?;
    assert_eq!(&buf[..n], b"hello");
    peer.join().unwrap();
    Ok(())
}

async fn syscall_comes_first_and_errors_skip_registration(_: Executor) -> Result<()> {
    // An unconnected TCP socket: recv fails with ENOTCONN at once. Waiting first would have
    // registered it (and epoll reports a hang-up for it).
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    sock.set_nonblocking(true)?;
    let sock = Registered::new(sock);
    let calls = AtomicUsize::new(0);
    let err = sock
        .async_io(Interest::READABLE, |s| {
            calls.fetch_add(1, Ordering::SeqCst);
            let mut buf = [std::mem::MaybeUninit::new(0u8); 8];
            s.recv(&mut buf).map_err(Error::from)
        })
        .await
        .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTCONN));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(sock.backend(), None, "an operation that never waits never registers");
    Ok(())
}

async fn accept_waits_for_a_connection(_: Executor) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let listener = Registered::new(listener);
    let client = after(Duration::from_millis(30), move || {
        let _ = TcpStream::connect(addr).unwrap();
    });
    let (_conn, peer) =
        listener.async_io(Interest::READABLE, |l| l.accept().map_err(Error::from)).await?;
    assert!(peer.ip().is_loopback());
    client.join().unwrap();
    Ok(())
}

async fn reader_and_writer_tasks_are_both_woken(_: Executor) -> Result<()> {
    // One fd, a reader and a writer waiting at once. `FuturesUnordered` gives each future its
    // own waker and re-polls only the woken one, so if one direction's waker were lost (one
    // slot for both), that future would never finish and the test would time out.
    let (a, b) = pair();
    fill(&a);
    let a = Registered::new(a);
    let peer = after(Duration::from_millis(30), move || {
        (&b).write_all(b"x").unwrap();
        // Free the whole buffer so the writer can go on.
        b.set_nonblocking(true).unwrap();
        let mut sink = [0u8; 65536];
        while read_once(&b, &mut sink).is_ok() {}
        std::thread::sleep(Duration::from_millis(200));
    });
    let a = &a;
    let mut tasks: FuturesUnordered<
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<&str>>>>,
    > = FuturesUnordered::new();
    tasks.push(Box::pin(async move {
        let mut buf = [0u8; 4];
        let n = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await?;
        assert_eq!(&buf[..n], b"x");
        Ok("reader")
    }));
    tasks.push(Box::pin(async move {
        a.async_io(Interest::WRITABLE, |s| write_once(s, b"y")).await?;
        Ok("writer")
    }));
    let mut finished = Vec::new();
    while let Some(done) = tasks.next().await {
        finished.push(done?);
    }
    finished.sort_unstable();
    assert_eq!(finished, ["reader", "writer"]);
    peer.join().unwrap();
    Ok(())
}

async fn a_polling_reader_and_a_waiting_future_are_both_woken(_: Executor) -> Result<()> {
    // A `poll_*` caller (as `AsyncRead` is) and a future waiting for the same direction of one
    // fd, in both orders. On tokio a lone `poll_*` caller hands tokio its own waker, and a
    // future arriving later must take over without stranding it: if either waker were lost,
    // its task would never finish and the test would time out.
    for poller_first in [true, false] {
        let (a, b) = pair();
        let a = Registered::new(a);
        let peer = after(Duration::from_millis(30), move || {
            (&b).write_all(b"x").unwrap();
        });
        let a = &a;
        let poller = async move {
            let readiness = std::future::poll_fn(|cx| a.poll_ready(cx, Interest::READABLE)).await?;
            assert!(readiness.readiness().is_readable());
            Ok("poller")
        };
        let future = async move {
            let event = a.readable().await?;
            assert!(event.readiness().is_readable());
            Ok("future")
        };
        let mut tasks: FuturesUnordered<
            std::pin::Pin<Box<dyn std::future::Future<Output = Result<&str>>>>,
        > = FuturesUnordered::new();
        if poller_first {
            tasks.push(Box::pin(poller));
            tasks.push(Box::pin(future));
        } else {
            tasks.push(Box::pin(future));
            tasks.push(Box::pin(poller));
        }
        let mut finished = Vec::new();
        while let Some(done) = tasks.next().await {
            finished.push(done?);
        }
        finished.sort_unstable();
        assert_eq!(finished, ["future", "poller"], "poller first: {poller_first}");
        peer.join().unwrap();
    }
    Ok(())
}

/// Lets the reactor turn (the own reactor's driver or tokio's), so pending events reach the
/// readiness cache.
async fn let_reactor_turn() {
    asock::sleep(Duration::from_millis(30)).await;
}

async fn stale_clear_keeps_a_newer_event(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    (&b).write_all(b"first")?;
    let event = a.readable().await?;
    assert!(event.readiness().is_readable());
    // Consume the data behind the reactor's back, then a new edge arrives and is seen.
    let mut buf = [0u8; 16];
    assert_eq!(read_once(a.get_ref(), &mut buf)?, 5);
    (&b).write_all(b"second")?;
    let_reactor_turn().await;
    // Clearing the old observation must not erase the newer event. (The own reactor and
    // tokio saw its edge during the turn above and skip the clear. async-io's reactor reports
    // nothing while the cache says readable, so the clear happens and re-arms the fd, whose
    // level-triggered report comes at the next turn. Edge-triggered, a wrongly erased edge
    // never comes back, so the turn below does not hide such a bug.)
    a.clear_readiness(event);
    let_reactor_turn().await;
    assert!(a.readable().nonblocking().await?.readiness().is_readable());
    assert_eq!(read_once(a.get_ref(), &mut buf)?, 6);
    Ok(())
}

async fn clear_forgets_readiness_without_newer_event(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    (&b).write_all(b"only")?;
    let event = a.readable().await?;
    let mut buf = [0u8; 16];
    assert_eq!(read_once(a.get_ref(), &mut buf)?, 4);
    a.clear_readiness(event);
    // async-io (the smol executor's backend) keys its sources by slab slot without a
    // generation, so an event in flight for an fd another test just closed can reach this
    // one: a spurious readiness, which the kernel then answers with EAGAIN. Such an event
    // is "newer" as far as the cache can tell; clearing it must forget it too. A clear that
    // forgot nothing would fail every round.
    for _ in 0..3 {
        match a.readable().nonblocking().await {
            Err(err) => {
                assert!(err.is_would_block(), "{err}");
                return Ok(());
            }
            Ok(spurious) => {
                let err = read_once(a.get_ref(), &mut buf).unwrap_err();
                assert!(err.is_would_block(), "readable with nothing to read: {err}");
                a.clear_readiness(spurious);
            }
        }
    }
    panic!("readiness stayed set after three clears with nothing to read");
}

async fn eof_is_a_zero_length_read(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    let peer = after(Duration::from_millis(20), move || {
        (&b).write_all(b"last").unwrap();
        drop(b);
    });
    let mut buf = [0u8; 16];
    let mut got = Vec::new();
    loop {
        let n = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"last", "data before the hang-up is read in full, then EOF");
    peer.join().unwrap();
    Ok(())
}

async fn hangup_wakes_a_blocked_writer(_: Executor) -> Result<()> {
    let (a, b) = pair();
    fill(&a);
    let a = Registered::new(a);
    let peer = after(Duration::from_millis(30), move || drop(b));
    let err = a.async_io(Interest::WRITABLE, |s| write_once(s, b"more")).await.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE), "{err}");
    peer.join().unwrap();
    Ok(())
}

/// An fd owner that checks, as it closes the fd, that the fd is no longer registered: a new
/// registration of the same fd with the same backend succeeds only then (else `EEXIST`).
struct CheckedFd {
    stream: std::os::unix::net::UnixStream,
    backend: Backend,
    deregistered_first: Arc<AtomicUsize>,
}

impl AsFd for CheckedFd {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.stream.as_fd()
    }
}

impl Drop for CheckedFd {
    fn drop(&mut self) {
        let probe = Registered::new(self.stream.as_fd());
        if probe.register_with(self.backend).is_ok() {
            self.deregistered_first.fetch_add(1, Ordering::SeqCst);
        }
    }
}

async fn dropping_deregisters_before_close(executor: Executor) -> Result<()> {
    let (a, _b) = pair();
    let flag = Arc::new(AtomicUsize::new(0));
    let a = Registered::new(CheckedFd {
        stream: a,
        backend: executor.backend(),
        deregistered_first: flag.clone(),
    });
    a.register()?;
    // While registered, a second registration of the same fd is refused.
    let second = Registered::new(a.get_ref().as_fd());
    let err = second.register_with(executor.backend()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EEXIST), "{err}");
    drop(second);
    drop(a);
    assert_eq!(flag.load(Ordering::SeqCst), 1, "fd was closed while still registered");
    Ok(())
}

async fn into_inner_deregisters_and_keeps_the_fd(executor: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    a.register()?;
    let a = a.into_inner();
    // Open and unregistered: it can be registered again and used.
    let a = Registered::new(a);
    assert_eq!(a.register()?, executor.backend());
    (&b).write_all(b"ok")?;
    let mut buf = [0u8; 2];
    let n = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await?;
    assert_eq!(&buf[..n], b"ok");
    Ok(())
}

async fn many_round_trips_lose_no_wakeup(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    const ROUNDS: usize = 2000;
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        for _ in 0..ROUNDS {
            let n = std::io::Read::read(&mut &b, &mut buf).unwrap();
            (&b).write_all(&buf[..n]).unwrap();
        }
    });
    let mut buf = [0u8; 64];
    for round in 0..ROUNDS {
        let msg = (round as u64).to_le_bytes();
        a.async_io(Interest::WRITABLE, |s| write_once(s, &msg)).await?;
        let mut got = 0;
        while got < msg.len() {
            got += a.async_io(Interest::READABLE, |s| read_once(s, &mut buf[got..8])).await?;
        }
        assert_eq!(buf[..8], msg);
    }
    echo.join().unwrap();
    Ok(())
}

async fn short_stream_read_marked_drained_clears_readiness(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    a.register()?;
    (&b).write_all(b"abc")?;
    let_reactor_turn().await;
    assert!(a.readable().nonblocking().await?.readiness().is_readable());
    // 3 bytes into a 16-byte buffer: the queue is empty, no need for an EAGAIN to learn it.
    let mut buf = [0u8; 16];
    let n = a.try_io_with(Interest::READABLE, |s| {
        let n = read_once(s, &mut buf)?;
        Ok((n, if n < 16 { Progress::Drained } else { Progress::More }))
    })?;
    assert_eq!(n, 3);
    let err = a.readable().nonblocking().await.unwrap_err();
    assert!(err.is_would_block(), "readiness should be cleared: {err}");
    Ok(())
}

async fn full_read_keeps_readiness(_: Executor) -> Result<()> {
    let (a, b) = pair();
    let a = Registered::new(a);
    a.register()?;
    (&b).write_all(b"abcdef")?;
    let_reactor_turn().await;
    let mut buf = [0u8; 3];
    let n = a.try_io(Interest::READABLE, |s| read_once(s, &mut buf))?;
    assert_eq!(n, 3);
    // Data may remain: the readiness stays, and the next read gets the rest.
    assert!(a.readable().nonblocking().await?.readiness().is_readable());
    assert_eq!(a.try_io(Interest::READABLE, |s| read_once(s, &mut buf))?, 3);
    Ok(())
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn tokio_multi_thread_runtime_serves_reader_and_writer_tasks() {
    reactor_support::bounded(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (a, b) = pair();
            b.set_nonblocking(true).unwrap();
            let a = Arc::new(Registered::new(a));
            let b = Arc::new(Registered::new(b));
            let reader = tokio::spawn({
                let b = b.clone();
                async move {
                    // Start late, so the writer fills the socket buffer and has to wait (else
                    // a reader on the other worker can keep up and nobody ever registers).
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let mut total = 0;
                    let mut buf = [0u8; 4096];
                    while total < 1 << 20 {
                        total += b.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).await?;
                    }
                    Ok::<_, Error>(total)
                }
            });
            let chunk = [7u8; 4096];
            let mut sent = 0;
            while sent < 1 << 20 {
                sent += a.async_io(Interest::WRITABLE, |s| write_once(s, &chunk)).await?;
            }
            assert!(reader.await.unwrap()? >= 1 << 20);
            // 1 MiB cannot fit the socket's buffers and the reader starts late, so the writer
            // had to wait (the reader may too). Whoever waited did so on tokio's reactor.
            let backends = [a.backend(), b.backend()];
            assert!(backends.contains(&Some(Backend::Tokio)), "{backends:?}");
            assert!(!backends.contains(&Some(Backend::Own)), "{backends:?}");
            Ok::<_, Error>(())
        })
        .unwrap();
    });
}

#[cfg(feature = "tokio")] // tokio's runtime, backend or paused clock
#[test]
fn waiting_after_the_tokio_runtime_is_gone_is_an_error() {
    reactor_support::bounded(|| {
        let (a, _b) = pair();
        let a = Registered::new(a);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async { a.register() }).unwrap();
        drop(rt);
        let mut buf = [0u8; 1];
        let err =
            futures::executor::block_on(a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)))
                .unwrap_err();
        assert!(!err.is_would_block(), "{err}");
    });
}

#[test]
#[cfg(not(feature = "async-io"))]
fn without_the_async_io_feature_smol_uses_the_own_reactor() {
    let (a, _b) = pair();
    let a = Registered::new(a);
    let err = a.register_with(Backend::AsyncIo).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOTSUP), "{err}");
    assert_eq!(a.backend(), None, "a failed registration leaves the fd unregistered");
    assert_eq!(smol::block_on(async { Backend::current() }), Backend::Own);
}
