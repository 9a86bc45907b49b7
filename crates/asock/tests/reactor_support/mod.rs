//! Shared helpers of the reactor and mode tests: run one async test body on every backend.
#![allow(dead_code)]

use std::future::Future;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use asock::reactor::Backend;

/// Every test is bounded: a body that hangs (a lost wake-up) fails after this long.
pub const LIMIT: Duration = Duration::from_secs(20);

/// The four ways a test body runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executor {
    /// A tokio current_thread runtime: the tokio backend.
    Tokio,
    /// `asock::block_on`: the own reactor driven by the waiting thread.
    Asock,
    /// `futures::executor::block_on`: with the `async-io` feature, async-io's reactor driven
    /// by its `async-io` thread; without, the own reactor driven by the `asock-reactor` thread.
    Futures,
    /// `smol::block_on`: with the `async-io` feature, async-io's reactor driven by the
    /// waiting thread; without, the own reactor driven by the `asock-reactor` thread.
    Smol,
}

impl Executor {
    pub fn backend(self) -> Backend {
        match self {
            Executor::Tokio => Backend::Tokio,
            Executor::Asock => Backend::Own,
            Executor::Futures | Executor::Smol => elsewhere(),
        }
    }
}

/// The backend outside tokio and outside `asock::block_on`.
pub fn elsewhere() -> Backend {
    if cfg!(feature = "async-io") {
        Backend::AsyncIo
    } else {
        Backend::Own
    }
}

/// Runs `body(executor)` on `executor` in a fresh thread, failing the test if it takes longer
/// than [`LIMIT`].
pub fn run<F, Fut>(executor: Executor, body: F)
where
    F: FnOnce(Executor) -> Fut + Send + 'static,
    Fut: Future<Output = asock::Result<()>>,
{
    let (done, wait) = mpsc::channel();
    let worker = thread::spawn(move || {
        let out = match executor {
            Executor::Tokio => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(body(executor)),
            Executor::Asock => asock::block_on(body(executor)),
            Executor::Futures => futures::executor::block_on(body(executor)),
            Executor::Smol => smol::block_on(body(executor)),
        };
        let _ = done.send(());
        out
    });
    match wait.recv_timeout(LIMIT) {
        Ok(()) => {
            if let Err(e) = worker.join().expect("test body panicked") {
                panic!("test body failed on {executor:?}: {e}");
            }
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The body panicked: surface its panic.
            let _ = worker.join().map_err(std::panic::resume_unwind);
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("test on {executor:?} exceeded {LIMIT:?}"),
    }
}

/// Runs `f` on a fresh thread, failing the test if it takes longer than [`LIMIT`].
pub fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, wait) = mpsc::channel();
    let worker = thread::spawn(move || {
        let out = f();
        let _ = done.send(());
        out
    });
    match wait.recv_timeout(LIMIT) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("test exceeded {LIMIT:?}"),
    }
}

/// Generates, for each named `async fn name(executor: Executor) -> asock::Result<()>`, one
/// test per executor: `name::tokio` (with the `tokio` feature), `name::asock`, `name::futures`,
/// `name::smol`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::reactor_support::{run, Executor};
                // The tokio backend exists only with the `tokio` feature.
                #[cfg(feature = "tokio")]
                #[test]
                fn tokio() {
                    run(Executor::Tokio, super::$name);
                }
                #[test]
                fn asock() {
                    run(Executor::Asock, super::$name);
                }
                #[test]
                fn futures() {
                    run(Executor::Futures, super::$name);
                }
                #[test]
                fn smol() {
                    run(Executor::Smol, super::$name);
                }
            }
        )*
    };
}

/// A connected pair of non-blocking-capable unix stream sockets.
pub fn pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().expect("socketpair");
    a.set_nonblocking(true).expect("O_NONBLOCK");
    (a, b)
}

/// Reads into `buf` once, as an asock result (`WouldBlock` is `EAGAIN`).
pub fn read_once(s: &UnixStream, buf: &mut [u8]) -> asock::Result<usize> {
    let mut s = s;
    s.read(buf).map_err(asock::Error::from)
}

/// Writes `buf` once, as an asock result.
pub fn write_once(s: &UnixStream, buf: &[u8]) -> asock::Result<usize> {
    let mut s = s;
    s.write(buf).map_err(asock::Error::from)
}

/// Fills `s`'s send buffer (and the peer's receive buffer) until a write would block.
pub fn fill(s: &UnixStream) -> usize {
    let chunk = [0u8; 65536];
    let mut total = 0;
    loop {
        match write_once(s, &chunk) {
            Ok(n) => total += n,
            Err(e) if e.is_would_block() => return total,
            Err(e) => panic!("fill: {e}"),
        }
    }
}

/// Runs `f` on a thread after `delay` (a peer acting while the test body waits).
pub fn after(delay: Duration, f: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        thread::sleep(delay);
        f();
    })
}

/// Reads and discards everything `s` (blocking) receives until EOF.
pub fn drain_blocking(mut s: UnixStream) -> io::Result<usize> {
    let mut total = 0;
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf)? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}
