//! Fault suite: no asock write raises `SIGPIPE`, whatever the process's disposition.
//!
//! The Rust runtime sets `SIGPIPE` to `SIG_IGN` before `main`, so in this process a stray
//! signal would go unnoticed. A C host, or a Rust program that restored the default, dies of
//! it instead. So the parent test runs this binary again, once per write path, as a child that
//! first puts `SIGPIPE` back to `SIG_DFL`, then writes through that path to a stream whose
//! peer is gone: a UNIX stream whose peer closed, and a TCP stream whose peer reset
//! (`SO_LINGER` 0) and whose `ECONNRESET` was already read, so the next write is `EPIPE`. Each
//! write must return `EPIPE` (or `ECONNRESET`); the parent asserts the child exited 0, was not
//! killed by a signal, and really ran the path; and it names every path that failed.
//!
//! A control path writes with a plain `write(2)`, which has no `MSG_NOSIGNAL`: its child must
//! die of `SIGPIPE`, or the harness is not testing what it claims.

use std::fs::File;
use std::future::{poll_fn, Future};
use std::io::{IoSlice, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::pin::Pin;
use std::process::{Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use asock::ancillary::ControlBuf;
use asock::blocking::Socket;
use asock::{AsyncSocket, MsgFlags, SockAddr};

const CHILD_ENV: &str = "ASOCK_FAULT_SIGPIPE_PATH";
const CHILD_TEST: &str = "child_writes_through_one_path_with_sigpipe_at_default";
/// A child that takes longer than this is killed and reported.
const LIMIT: Duration = Duration::from_secs(20);
/// The line a child prints when its path returned errors and the process is intact.
const DONE: &str = "asock-fault-sigpipe done:";

// ===== the paths =====

/// Where a path writes: the broken stream, the peer's old address, a file to send.
struct Target {
    fd: OwnedFd,
    peer: Option<SockAddr>,
    file: File,
}

impl Target {
    fn blocking(&self) -> Socket {
        Socket::from(self.fd.try_clone().expect("dup"))
    }

    fn asynchronous(&self) -> AsyncSocket {
        AsyncSocket::from(self.fd.try_clone().expect("dup"))
    }

    fn peer(&self) -> &SockAddr {
        self.peer.as_ref().expect("a TCP target has the peer's address")
    }
}

type Outcome = std::io::Result<usize>;
type BoxFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// How a path writes once.
#[derive(Clone, Copy)]
enum WriteOnce {
    Blocking(fn(&Target) -> Outcome),
    Async(for<'a> fn(&'a AsyncSocket, &'a Target) -> BoxFuture<'a>),
}

/// Which broken streams a path is tried on.
#[derive(Clone, Copy, PartialEq)]
enum On {
    /// A UNIX stream whose peer closed, and a TCP stream whose peer reset.
    Both,
    /// TCP only (`sendto` with an address on a connected UNIX stream is `EISCONN`).
    Tcp,
    /// Streams whose peer goes away while a large file is on its way (`send_file` only): the
    /// transfer gets a short count, then `EPIPE` on the next `sendfile(2)`. (One `sendfile` is
    /// several socket writes in the kernel; a peer gone between two of them raises `SIGPIPE`
    /// in a call that still returns a count. That window is too narrow to hit on purpose;
    /// `sys/sendfile.rs` covers it.)
    Midway,
}

/// A write path: its name (the child's selector), where it runs, how it writes.
struct Path {
    name: &'static str,
    on: On,
    write: WriteOnce,
}

const CHUNK: &[u8] = &[7; 100_000];

fn ok<E: Into<std::io::Error>>(r: Result<usize, E>) -> Outcome {
    r.map_err(Into::into)
}

fn ok_unit<E: Into<std::io::Error>>(r: Result<(), E>) -> Outcome {
    r.map(|()| 0).map_err(Into::into)
}

macro_rules! blocking {
    ($name:literal, $on:ident, |$t:ident| $body:expr) => {
        Path { name: $name, on: On::$on, write: WriteOnce::Blocking(|$t| $body) }
    };
}

macro_rules! asynchronous {
    ($name:literal, $on:ident, |$s:ident, $t:ident| $body:expr) => {
        Path {
            name: $name,
            on: On::$on,
            write: WriteOnce::Async(|$s, $t| {
                let _ = (&$s, &$t);
                Box::pin(async move { $body })
            }),
        }
    };
}

/// Every way asock writes to a socket.
fn paths() -> Vec<Path> {
    vec![
        // The control: write(2) through a `File` (std's sockets add MSG_NOSIGNAL themselves;
        // a plain write has no flags). Its child must die of SIGPIPE.
        blocking!("control write(2)", Both, |t| {
            let mut raw = File::from(t.fd.try_clone().expect("dup"));
            raw.write(b"x")
        }),
        // blocking::Socket
        blocking!("blocking send", Both, |t| ok(t.blocking().send(b"x"))),
        blocking!("blocking send_with_flags", Both, |t| ok(t
            .blocking()
            .send_with_flags(b"x", libc::MSG_DONTWAIT))),
        blocking!("blocking send_all", Both, |t| ok_unit(t.blocking().send_all(CHUNK))),
        blocking!("blocking send_all_with_flags", Both, |t| ok_unit(
            t.blocking().send_all_with_flags(CHUNK, libc::MSG_MORE)
        )),
        blocking!("blocking send_to", Tcp, |t| ok(t.blocking().send_to(b"x", t.peer()))),
        blocking!("blocking send_to_with_flags", Tcp, |t| ok(t.blocking().send_to_with_flags(
            b"x",
            0,
            t.peer()
        ))),
        blocking!("blocking send_msg", Both, |t| ok(t.blocking().send_msg(
            &[IoSlice::new(b"a"), IoSlice::new(b"b")],
            &ControlBuf::new(),
            0,
            None
        ))),
        blocking!("blocking send_fds", Both, |t| ok(t.blocking().send_fds(
            &[IoSlice::new(b"fd")],
            &[t.file.as_fd()],
            0,
            None
        ))),
        blocking!("blocking send_file", Both, |t| ok(t.blocking().send_file(&t.file, 0, None))),
        blocking!("blocking send_file with count", Both, |t| ok(t.blocking().send_file(
            &t.file,
            1,
            Some(3)
        ))),
        blocking!("blocking send_file, peer gone midway", Midway, |t| ok(t
            .blocking()
            .send_file(&t.file, 0, None))),
        blocking!("blocking Write::write", Both, |t| t.blocking().write(b"x")),
        blocking!("blocking Write::write_all", Both, |t| t.blocking().write_all(CHUNK).map(|()| 0)),
        blocking!("blocking &Socket Write::write_vectored", Both, |t| (&t.blocking())
            .write_vectored(&[IoSlice::new(b"a"), IoSlice::new(b"b")])),
        // AsyncSocket: the futures
        asynchronous!("async send", Both, |s, t| ok(s.send(b"x").await)),
        asynchronous!("async send_with_flags", Both, |s, t| ok(s
            .send_with_flags(b"x", MsgFlags::MSG_DONTWAIT)
            .await)),
        asynchronous!("async send_all", Both, |s, t| ok_unit(s.send_all(CHUNK).await)),
        asynchronous!("async send_all_with_flags", Both, |s, t| ok_unit(
            s.send_all_with_flags(CHUNK, MsgFlags::MSG_MORE).await
        )),
        asynchronous!("async send_to", Tcp, |s, t| ok(s.send_to(b"x", t.peer()).await)),
        asynchronous!("async send_to_with_flags", Tcp, |s, t| ok(s
            .send_to_with_flags(b"x", t.peer(), MsgFlags::empty())
            .await)),
        asynchronous!("async send_vectored", Both, |s, t| ok(s
            .send_vectored(&[IoSlice::new(b"a"), IoSlice::new(b"b")])
            .await)),
        asynchronous!("async send_msg", Both, |s, t| {
            let control = ControlBuf::new();
            ok(s.send_msg(&[IoSlice::new(b"a")], &control, MsgFlags::empty(), None).await)
        }),
        asynchronous!("async send_fds", Both, |s, t| ok(s
            .send_fds(&[IoSlice::new(b"fd")], &[t.file.as_fd()], MsgFlags::empty(), None)
            .await)),
        asynchronous!("async send_file", Both, |s, t| ok(s.send_file(&t.file, 0, None).await)),
        asynchronous!("async send_file with count", Both, |s, t| ok(s
            .send_file(&t.file, 1, Some(3))
            .await)),
        asynchronous!("async send_file, peer gone midway", Midway, |s, t| ok(s
            .send_file(&t.file, 0, None)
            .await)),
        // AsyncSocket: try_* and poll_*
        asynchronous!("async try_send", Both, |s, t| ok(s.try_send(b"x"))),
        asynchronous!("async try_send_with_flags", Both, |s, t| ok(
            s.try_send_with_flags(b"x", MsgFlags::MSG_DONTWAIT)
        )),
        asynchronous!("async try_send_to", Tcp, |s, t| ok(s.try_send_to(b"x", t.peer()))),
        asynchronous!("async try_send_vectored", Both, |s, t| ok(
            s.try_send_vectored(&[IoSlice::new(b"a"), IoSlice::new(b"b")])
        )),
        asynchronous!(
            "async poll_send",
            Both,
            |s, t| ok(poll_fn(|cx| s.poll_send(cx, b"x")).await)
        ),
        asynchronous!("async poll_send_vectored", Both, |s, t| {
            let bufs = [IoSlice::new(b"a"), IoSlice::new(b"b")];
            ok(poll_fn(|cx| s.poll_send_vectored(cx, &bufs)).await)
        }),
        asynchronous!("async poll_send_to", Tcp, |s, t| ok(poll_fn(|cx| s.poll_send_to(
            cx,
            b"x",
            t.peer()
        ))
        .await)),
        // AsyncSocket: tokio's and futures' AsyncWrite, on the socket and its halves
        #[cfg(feature = "tokio")]
        asynchronous!("async tokio AsyncWrite::write", Both, |s, t| {
            tokio::io::AsyncWriteExt::write(&mut &*s, b"x").await
        }),
        #[cfg(feature = "tokio")]
        asynchronous!("async tokio AsyncWrite::write_all", Both, |s, t| {
            tokio::io::AsyncWriteExt::write_all(&mut &*s, CHUNK).await.map(|()| 0)
        }),
        #[cfg(feature = "tokio")]
        asynchronous!("async tokio AsyncWrite::write_vectored", Both, |s, t| {
            let bufs = [IoSlice::new(b"a"), IoSlice::new(b"b")];
            tokio::io::AsyncWriteExt::write_vectored(&mut &*s, &bufs).await
        }),
        #[cfg(feature = "futures-io")]
        asynchronous!("async futures AsyncWrite::write", Both, |s, t| {
            futures::io::AsyncWriteExt::write(&mut &*s, b"x").await
        }),
        #[cfg(feature = "futures-io")]
        asynchronous!("async futures AsyncWrite::write_all", Both, |s, t| {
            futures::io::AsyncWriteExt::write_all(&mut &*s, CHUNK).await.map(|()| 0)
        }),
        #[cfg(feature = "tokio")]
        asynchronous!("async split WriteHalf tokio write", Both, |s, t| {
            let (_read, mut write) = s.split();
            tokio::io::AsyncWriteExt::write(&mut write, b"x").await
        }),
        #[cfg(feature = "futures-io")]
        asynchronous!("async split WriteHalf futures write", Both, |s, t| {
            let (_read, mut write) = s.split();
            futures::io::AsyncWriteExt::write(&mut write, b"x").await
        }),
        #[cfg(feature = "tokio")]
        asynchronous!("async into_split OwnedWriteHalf write", Both, |s, t| {
            let (_read, mut write) = t.asynchronous().into_split();
            tokio::io::AsyncWriteExt::write(&mut write, b"x").await
        }),
    ]
}

// ===== the broken streams =====

/// The kinds of broken stream.
#[derive(Clone, Copy, Debug)]
enum Broken {
    /// A UNIX stream whose peer has closed: the next write is `EPIPE`.
    UnixClosed,
    /// A TCP stream whose peer reset the connection (`SO_LINGER` 0 close), with the
    /// `ECONNRESET` already read, so the next write is `EPIPE`.
    TcpReset,
    /// A UNIX stream whose peer reads 64 KiB and closes, while we send a large file.
    UnixClosedMidway,
    /// A TCP stream whose peer reads 64 KiB and resets, while we send a large file.
    TcpResetMidway,
}

impl Broken {
    fn of(on: On) -> &'static [Broken] {
        match on {
            On::Both => &[Broken::UnixClosed, Broken::TcpReset],
            On::Tcp => &[Broken::TcpReset],
            On::Midway => &[Broken::UnixClosedMidway, Broken::TcpResetMidway],
        }
    }

    /// A fresh broken stream of this kind, and the thread of a peer still at work, if any.
    fn make(self) -> (Target, Option<JoinHandle<()>>) {
        let big = matches!(self, Broken::UnixClosedMidway | Broken::TcpResetMidway);
        let file = temp_file(if big { 8 << 20 } else { 10 });
        let (fd, peer, reader): (OwnedFd, _, _) = match self {
            Broken::UnixClosed => (UnixStream::pair().expect("socketpair").0.into(), None, None),
            Broken::TcpReset => {
                let (ours, theirs) = tcp_pair();
                let peer = ours.peer_addr().unwrap();
                reset(theirs);
                let err = (&ours).read(&mut [0; 8]).expect_err("the peer reset");
                assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET), "{err}");
                (ours.into(), Some(peer.into()), None)
            }
            Broken::UnixClosedMidway => {
                let (ours, theirs) = UnixStream::pair().expect("socketpair");
                (ours.into(), None, Some(read_a_little(theirs, drop)))
            }
            Broken::TcpResetMidway => {
                let (ours, theirs) = tcp_pair();
                let peer = ours.peer_addr().unwrap();
                (ours.into(), Some(peer.into()), Some(read_a_little(theirs, reset)))
            }
        };
        (Target { fd, peer, file }, reader)
    }
}

/// A connected TCP pair over loopback, `(ours, theirs)`, reads bounded by [`LIMIT`].
fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let ours = TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    let (theirs, _) = listener.accept().expect("accept");
    for s in [&ours, &theirs] {
        s.set_read_timeout(Some(LIMIT)).unwrap();
    }
    (ours, theirs)
}

/// Closes `s` with `SO_LINGER` 0: the peer gets a reset.
fn reset(s: TcpStream) {
    socket2::SockRef::from(&s).set_linger(Some(Duration::ZERO)).expect("SO_LINGER");
    drop(s);
}

/// Reads 64 KiB from `s` (so a transfer is under way), then lets `s` go with `close`.
fn read_a_little<S: Read + Send + 'static>(
    mut s: S,
    close: impl FnOnce(S) + Send + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0; 64 << 10];
        let _ = s.read_exact(&mut buf);
        close(s);
    })
}

/// A file of `len` bytes, removed from the filesystem at once.
fn temp_file(len: usize) -> File {
    let path = std::env::temp_dir().join(format!("asock-fault-sigpipe-{}", std::process::id()));
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .expect("temp file");
    std::fs::remove_file(&path).expect("unlink");
    let pattern: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    file.write_all(&pattern).expect("write");
    file
}

// ===== the child =====

/// Runs `path` twice on each broken stream it applies to, on every executor for an async path
/// (a fresh stream each); the errnos it returned, or a description of what was wrong.
fn write_through(path: &Path) -> Result<Vec<i32>, String> {
    let mut errnos = Vec::new();
    let runs = match path.write {
        WriteOnce::Blocking(_) => 1,
        WriteOnce::Async(_) => 2,
    };
    for &broken in Broken::of(path.on) {
        for run in 0..runs {
            let (target, reader) = broken.make();
            let outcomes: Vec<Outcome> = match path.write {
                WriteOnce::Blocking(write) => (0..2).map(|_| write(&target)).collect(),
                WriteOnce::Async(write) => {
                    let sock = target.asynchronous();
                    let twice =
                        async { vec![write(&sock, &target).await, write(&sock, &target).await] };
                    if run == 0 {
                        asock::block_on(twice)
                    } else {
                        tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .expect("runtime")
                            .block_on(twice)
                    }
                }
            };
            if let Some(reader) = reader {
                reader.join().expect("the peer thread");
            }
            for outcome in outcomes {
                match outcome {
                    Err(e) if matches!(e.raw_os_error(), Some(libc::EPIPE | libc::ECONNRESET)) => {
                        errnos.push(e.raw_os_error().unwrap_or_default());
                    }
                    other => {
                        return Err(format!(
                            "{broken:?}, run {run}: expected EPIPE or ECONNRESET, got {other:?}"
                        ))
                    }
                }
            }
        }
    }
    if !errnos.contains(&libc::EPIPE) {
        return Err(format!("never reached EPIPE (the write that raises SIGPIPE): {errnos:?}"));
    }
    Ok(errnos)
}

/// The child: run by [`no_write_path_raises_sigpipe`] with the path's name in
/// [`CHILD_ENV`]; on its own it has nothing to do.
#[test]
#[ignore = "the child of no_write_path_raises_sigpipe, which runs it once per write path"]
fn child_writes_through_one_path_with_sigpipe_at_default() {
    let name = std::env::var(CHILD_ENV).expect("run by no_write_path_raises_sigpipe");
    signals::restore_default_sigpipe();
    assert!(signals::sigpipe_is_default(), "SIG_DFL did not take");
    let path = paths().into_iter().find(|p| p.name == name).expect("a known path");
    let errnos = write_through(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    // asock must leave the disposition and this thread's mask as they were, and no signal
    // behind to be delivered later.
    assert!(signals::sigpipe_is_default(), "{name}: the SIGPIPE disposition changed");
    assert!(!signals::sigpipe_is_blocked(), "{name}: SIGPIPE left blocked in this thread");
    assert!(!signals::sigpipe_is_pending(), "{name}: a SIGPIPE left pending");
    println!("{DONE} {name} {errnos:?}");
}

// ===== the parent =====

/// Runs the child for `name`: its output, and whether it overstayed [`LIMIT`] (and was killed).
fn run_child(name: &str) -> (Output, bool) {
    let mut child = Command::new(std::env::current_exe().expect("current_exe"))
        .args(["--exact", CHILD_TEST, "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the child");
    let start = Instant::now();
    let mut overstayed = false;
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > LIMIT {
            child.kill().expect("kill");
            overstayed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (child.wait_with_output().expect("wait"), overstayed)
}

/// What went wrong with a child, or `None` if it wrote through its path unharmed.
fn failure(name: &str, (out, overstayed): &(Output, bool)) -> Option<String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if *overstayed {
        return Some(format!("{name}: still running after {LIMIT:?} (a write that hangs?)"));
    }
    if let Some(signal) = out.status.signal() {
        let what = if signal == libc::SIGPIPE { "SIGPIPE" } else { "a signal" };
        return Some(format!("{name}: killed by {what} ({signal})"));
    }
    if !out.status.success() {
        let why = stdout.lines().chain(stderr.lines()).find(|l| l.contains("panicked"));
        return Some(format!("{name}: exited with {:?}: {why:?}\n{stderr}", out.status.code()));
    }
    if !stdout.contains(&format!("{DONE} {name} ")) {
        return Some(format!("{name}: the child did not run the path\n{stdout}"));
    }
    None
}

#[test]
fn no_write_path_raises_sigpipe() {
    let all = paths();
    let (control, _) = run_child(all[0].name);
    assert_eq!(
        control.status.signal(),
        Some(libc::SIGPIPE),
        "the control (a plain write(2)) must die of SIGPIPE in the child, or the child does not \
         have SIGPIPE at SIG_DFL: {control:?}"
    );
    let failures: Vec<String> =
        all[1..].iter().filter_map(|p| failure(p.name, &run_child(p.name))).collect();
    assert!(
        failures.is_empty(),
        "{} of {} write paths failed:\n{}",
        failures.len(),
        all.len() - 1,
        failures.join("\n")
    );
}

// ===== signal state, through libc =====

mod signals {
    use std::mem::MaybeUninit;
    use std::ptr;

    /// Puts `SIGPIPE` back to `SIG_DFL`, undoing what the Rust runtime did before `main`.
    pub fn restore_default_sigpipe() {
        // SAFETY: signal() with SIG_DFL installs no handler; nothing else in this child
        // process is touching SIGPIPE's disposition at this point.
        let previous = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        assert_ne!(previous, libc::SIG_ERR, "signal(SIGPIPE, SIG_DFL)");
    }

    pub fn sigpipe_is_default() -> bool {
        let mut action = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: a null new action only queries; `action` is a live out-parameter.
        let rc = unsafe { libc::sigaction(libc::SIGPIPE, ptr::null(), action.as_mut_ptr()) };
        assert_eq!(rc, 0, "sigaction");
        // SAFETY: sigaction succeeded and filled `action`.
        unsafe { action.assume_init() }.sa_sigaction == libc::SIG_DFL
    }

    pub fn sigpipe_is_blocked() -> bool {
        let mut mask = MaybeUninit::<libc::sigset_t>::zeroed();
        // SAFETY: a null new set only queries this thread's mask into the live `mask`.
        let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, ptr::null(), mask.as_mut_ptr()) };
        assert_eq!(rc, 0, "pthread_sigmask");
        // SAFETY: `mask` was filled by pthread_sigmask.
        unsafe { libc::sigismember(mask.as_ptr(), libc::SIGPIPE) == 1 }
    }

    pub fn sigpipe_is_pending() -> bool {
        let mut set = MaybeUninit::<libc::sigset_t>::zeroed();
        // SAFETY: sigpending writes the pending set into the live `set`.
        let rc = unsafe { libc::sigpending(set.as_mut_ptr()) };
        assert_eq!(rc, 0, "sigpending");
        // SAFETY: `set` was filled by sigpending.
        unsafe { libc::sigismember(set.as_ptr(), libc::SIGPIPE) == 1 }
    }
}
