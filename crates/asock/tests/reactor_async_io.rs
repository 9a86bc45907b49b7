//! The async-io backend (feature `async-io`): what it adds to the suites that run every body
//! on every executor (`reactor_readiness.rs`, `reactor_skip.rs`, the `async_*` suites, and
//! `fault_shared.rs`'s 64 tasks on one socket, all of which run under smol too).
//!
//! - which backend each context gets, and that a socket keeps its first backend elsewhere;
//! - under `smol::block_on` the wake-ups are delivered by the waiting thread itself (no hop
//!   to another thread: the point of the backend);
//! - the lost-wake-up cases of async-io's oneshot model: data arriving between an operation's
//!   `EAGAIN` and its clear, many waiters on one direction, a hang-up with a reader and a
//!   writer waiting;
//! - timers: a sleep or timeout under smol is async-io's timer.
#![cfg(feature = "async-io")]

mod reactor_support;

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use asock::reactor::{own_timer_count, Backend, Interest, Registered};
use asock::ModeExt;
use reactor_support::{after, bounded, fill, pair, read_once, write_once};

/// A bound on anything that should happen at the next reactor turn.
const SOON: Duration = Duration::from_secs(10);

// ===== which reactor =====

#[test]
fn each_context_gets_its_backend() {
    bounded(|| {
        assert_eq!(smol::block_on(async { Backend::current() }), Backend::AsyncIo);
        assert_eq!(futures::executor::block_on(async { Backend::current() }), Backend::AsyncIo);
        assert_eq!(asock::block_on(async { Backend::current() }), Backend::Own);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        assert_eq!(rt.block_on(async { Backend::current() }), Backend::Tokio);
        // The same for sockets that wait and for sleeps.
        let (a, b) = pair();
        let a = Registered::new(a);
        let peer = after(Duration::from_millis(20), move || (&b).write_all(b"x").unwrap());
        let mut buf = [0u8; 1];
        smol::block_on(a.async_io(Interest::READABLE, |s| read_once(s, &mut buf))).unwrap();
        peer.join().unwrap();
        assert_eq!(a.backend(), Some(Backend::AsyncIo));
        assert_eq!(smol::block_on(async { asock::sleep(SOON).backend() }), Backend::AsyncIo);
    });
}

#[test]
fn a_socket_keeps_its_first_backend_in_another_context() {
    bounded(|| {
        // Registered under smol, then awaited under asock::block_on: async-io's own thread
        // drives async-io's reactor meanwhile.
        let (a, b) = pair();
        let a = Registered::new(a);
        assert_eq!(smol::block_on(async { a.register() }).unwrap(), Backend::AsyncIo);
        let peer = after(Duration::from_millis(20), move || (&b).write_all(b"one").unwrap());
        let mut buf = [0u8; 8];
        let read = a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).timeout(SOON);
        let n = asock::block_on(read).unwrap();
        assert_eq!(&buf[..n], b"one");
        assert_eq!(a.backend(), Some(Backend::AsyncIo));
        peer.join().unwrap();

        // And the other way round: the own reactor's background thread serves smol.
        let (c, d) = pair();
        let c = Registered::new(c);
        assert_eq!(asock::block_on(async { c.register() }).unwrap(), Backend::Own);
        let peer = after(Duration::from_millis(20), move || (&d).write_all(b"two").unwrap());
        let read = c.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).timeout(SOON);
        let n = smol::block_on(read).unwrap();
        assert_eq!(&buf[..n], b"two");
        assert_eq!(c.backend(), Some(Backend::Own));
        peer.join().unwrap();
    });
}

// ===== no thread hop =====

/// Runs `future`, recording on which thread each of its wake-ups is delivered.
struct RecordWakes<F> {
    future: Pin<Box<F>>,
    threads: Arc<Mutex<Vec<ThreadId>>>,
}

struct Recorder {
    inner: Waker,
    threads: Arc<Mutex<Vec<ThreadId>>>,
}

impl Wake for Recorder {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.threads.lock().unwrap().push(thread::current().id());
        self.inner.wake_by_ref();
    }
}

impl<F: Future> Future for RecordWakes<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let recorder = Recorder { inner: cx.waker().clone(), threads: self.threads.clone() };
        let waker = Waker::from(Arc::new(recorder));
        self.future.as_mut().poll(&mut Context::from_waker(&waker))
    }
}

#[test]
fn under_smol_the_waiting_thread_delivers_the_wakeups() {
    bounded(|| {
        const ROUNDS: usize = 500;
        let (a, b) = pair();
        let echo = thread::spawn(move || {
            let mut buf = [0u8; 8];
            for _ in 0..ROUNDS {
                let n = std::io::Read::read(&mut &b, &mut buf).unwrap();
                (&b).write_all(&buf[..n]).unwrap();
            }
        });
        let threads = Arc::new(Mutex::new(Vec::new()));
        let a = Registered::new(a);
        let body = async {
            let mut buf = [0u8; 8];
            for round in 0..ROUNDS as u64 {
                let msg = round.to_le_bytes();
                a.async_io(Interest::WRITABLE, |s| write_once(s, &msg)).await?;
                let mut got = 0;
                while got < 8 {
                    got +=
                        a.async_io(Interest::READABLE, |s| read_once(s, &mut buf[got..])).await?;
                }
            }
            Ok::<_, asock::Error>(())
        };
        smol::block_on(RecordWakes { future: Box::pin(body), threads: threads.clone() }).unwrap();
        echo.join().unwrap();
        let me = thread::current().id();
        let threads = threads.lock().unwrap();
        let here = threads.iter().filter(|&&t| t == me).count();
        println!("{here} of {} wake-ups delivered by the smol thread", threads.len());
        // The echo thread sometimes answers before the read: not every round waits.
        assert!(threads.len() >= ROUNDS / 20, "too few waits to judge: {}", threads.len());
        // async-io's helper thread may hold the reactor when smol's thread comes to wait (it
        // then delivers that event); on the own reactor's background thread, every wake-up
        // would come from another thread.
        assert!(here * 2 > threads.len(), "{here} of {} on the waiting thread", threads.len());
    });
}

// ===== lost wake-ups =====

#[test]
fn data_arriving_between_eagain_and_the_clear_wakes_the_reader() {
    bounded(|| {
        let (a, b) = pair();
        let a = Registered::new(a);
        smol::block_on(async {
            (&b).write_all(b"first").unwrap();
            a.readable().timeout(SOON).await?;
            let mut buf = [0u8; 16];
            assert_eq!(a.try_io(Interest::READABLE, |s| read_once(s, &mut buf))?, 5);
            // The read says EAGAIN, then the peer writes before the readiness is cleared:
            // async-io reports nothing meanwhile (the cache said readable), so the clear must
            // arm the fd or this wait would never end.
            let err = a
                .try_io(Interest::READABLE, |s| {
                    let eagain = read_once(s, &mut buf);
                    (&b).write_all(b"second").unwrap();
                    eagain
                })
                .unwrap_err();
            assert!(err.is_would_block(), "{err}");
            let n =
                a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).timeout(SOON).await?;
            assert_eq!(&buf[..n], b"second");
            Ok::<_, asock::Error>(())
        })
        .unwrap();
    });
}

#[test]
fn sixty_four_tasks_waiting_on_one_direction_are_all_woken() {
    bounded(|| {
        const TASKS: usize = 64;
        let (a, b) = pair();
        let a = Arc::new(Registered::new(a));
        let woken = Arc::new(AtomicUsize::new(0));
        let ex = smol::Executor::new();
        smol::block_on(ex.run(async {
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let (a, woken) = (a.clone(), woken.clone());
                    ex.spawn(async move {
                        a.readable().timeout(SOON).await?;
                        woken.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, asock::Error>(())
                    })
                })
                .collect();
            // Let every task wait, then one write: one event for all of them.
            asock::sleep(Duration::from_millis(50)).await;
            assert_eq!(woken.load(Ordering::SeqCst), 0);
            (&b).write_all(b"x").unwrap();
            for task in tasks {
                task.await?;
            }
            Ok::<_, asock::Error>(())
        }))
        .unwrap();
        assert_eq!(woken.load(Ordering::SeqCst), TASKS);
        assert_eq!(a.backend(), Some(Backend::AsyncIo));
    });
}

#[test]
fn hangup_wakes_a_waiting_reader_and_writer() {
    bounded(|| {
        let (a, b) = pair();
        fill(&a);
        let a = Arc::new(Registered::new(a));
        let ex = smol::Executor::new();
        smol::block_on(ex.run(async {
            let reader = ex.spawn({
                let a = a.clone();
                async move {
                    let mut buf = [0u8; 8];
                    a.async_io(Interest::READABLE, |s| read_once(s, &mut buf)).timeout(SOON).await
                }
            });
            let writer = ex.spawn({
                let a = a.clone();
                async move {
                    a.async_io(Interest::WRITABLE, |s| write_once(s, b"more")).timeout(SOON).await
                }
            });
            asock::sleep(Duration::from_millis(50)).await;
            drop(b);
            // The peer left unread data behind: Linux reports the hang-up to the reader as
            // ECONNRESET; without unread data it would be EOF (0).
            match reader.await {
                Ok(n) => assert_eq!(n, 0, "EOF is a zero-length read"),
                Err(e) => assert_eq!(e.raw_os_error(), Some(libc::ECONNRESET), "{e}"),
            }
            let err = writer.await.unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EPIPE), "{err}");
            Ok::<_, asock::Error>(())
        }))
        .unwrap();
    });
}

// ===== timers =====

#[test]
fn sleeps_and_timeouts_under_smol_are_async_io_timers() {
    bounded(|| {
        smol::block_on(async {
            let before = own_timer_count();
            let mut long = asock::sleep(Duration::from_secs(3600));
            assert_eq!(long.backend(), Backend::AsyncIo);
            // Armed (polled once), it is not the own reactor's.
            assert!(futures::poll!(&mut long).is_pending());
            assert_eq!(own_timer_count(), before);

            let start = Instant::now();
            asock::sleep(Duration::from_millis(30)).await;
            assert!(start.elapsed() >= Duration::from_millis(30));

            let (a, _b) = pair();
            let a = Registered::new(a);
            let mut buf = [0u8; 1];
            let start = Instant::now();
            let err = a
                .async_io(Interest::READABLE, |s| read_once(s, &mut buf))
                .timeout(Duration::from_millis(30))
                .await
                .unwrap_err();
            assert_eq!(err.to_string(), "timed out");
            assert!(start.elapsed() >= Duration::from_millis(30));
            assert_eq!(a.backend(), Some(Backend::AsyncIo));
        });
    });
}

#[test]
fn a_sleep_made_under_smol_ends_under_another_executor() {
    bounded(|| {
        // Made (not awaited) inside smol's `block_on`: the backend is chosen at creation.
        let sleep =
            smol::block_on(async { Ok::<_, ()>(asock::sleep(Duration::from_millis(30))) }).unwrap();
        assert_eq!(sleep.backend(), Backend::AsyncIo);
        let deadline = sleep.deadline().unwrap();
        // async-io's own thread fires it.
        asock::block_on(sleep);
        assert!(asock::time::Instant::now() >= deadline, "a sleep never ends early");
    });
}
