//! [`AsyncSocket`]: Python's socket object for async Rust, on tokio's reactor, async-io's, or
//! asock's own.
//!
//! An `AsyncSocket` runs the operations of [`blocking::Socket`](crate::blocking::Socket), with
//! the same semantics, under Rust's signatures instead of Python's: it receives into the
//! caller's buffer (`recv(&mut [u8])`, `recv_buf` for a `Vec`'s spare capacity), takes typed
//! [`MsgFlags`](crate::MsgFlags), and reports a failed `connect` as its error (Python's
//! `connect_ex` is `blocking::Socket`'s). What also differs is how an operation waits. Its fd
//! is always `O_NONBLOCK` and registered with a reactor (see [`crate::reactor`]): tokio's
//! inside a tokio runtime, asock's own mio reactor under `asock::block_on`, and anywhere else
//! (`futures::executor::block_on`, smol, ...) async-io's with the `async-io` feature, asock's
//! own without.
//!
//! # Three forms of each operation
//!
//! | form | example | waits? | mode |
//! |---|---|---|---|
//! | `async` method → named future | [`recv`](AsyncSocket::recv), [`accept`](AsyncSocket::accept), [`send_all`](AsyncSocket::send_all) | after `EAGAIN`, until ready | the socket's, or the future's own: `.timeout(d)`, `.deadline(t)`, `.nonblocking()`, `.blocking()` |
//! | `try_*` | [`try_recv`](AsyncSocket::try_recv), [`try_accept`](AsyncSocket::try_accept) | never | one try; `EAGAIN` if not ready |
//! | `poll_*` | [`poll_recv`](AsyncSocket::poll_recv), [`poll_accept`](AsyncSocket::poll_accept) | returns `Pending` with the waker stored | none: the caller is polled again, there is no call to time |
//!
//! The futures implement [`Operation`](crate::Operation): the socket's mode
//! ([`set_timeout`](AsyncSocket::set_timeout), [`set_blocking`](AsyncSocket::set_blocking),
//! the process-wide [`set_default_timeout`](crate::set_default_timeout)) is what they start
//! with, and a combinator changes it for that one call. A timeout covers the whole call
//! (`send_all` of 8 MiB under `.timeout(1s)` fails after one second in total) and ends it with
//! [`Error::timeout`](crate::Error::timeout) ("timed out"); a non-blocking call makes its
//! syscall once and fails with `EAGAIN` ([`Error::is_would_block`](crate::Error::is_would_block)).
//!
//! # Cancel safety
//!
//! | operation | dropped before it completes |
//! |---|---|
//! | `recv`, `recv_with_flags`, `recv_buf`, `recv_from`, `recv_msg`, `recv_fds` | no data and no fd lost: they are taken from the kernel only by the try that completes the future |
//! | `accept` | no connection lost: a connection is dequeued only by the try that completes the future |
//! | `send`, `send_to`, `send_vectored`, `send_msg`, `send_fds` | nothing sent: a try either sends and completes the future, or sends nothing |
//! | `send_all`, `send_file` | **some bytes may have been sent**, and how many is not reported (as tokio's `write_all`) |
//! | `connect` | the socket stays connecting (the kernel goes on); no fd is created or leaked — drop the socket to abandon it |
//! | `readable`, `writable`, `ready` | nothing happens |
//!
//! # Readiness
//!
//! An operation calls its syscall first and waits only after `EAGAIN`. Readiness is cleared on
//! that `EAGAIN`, or on a short read of a TCP socket / a short write of any stream socket
//! (the kernel buffer is then empty, or full), which saves the extra `EAGAIN` syscall; on
//! datagram sockets a short read says nothing. A socket is registered at its first wait, so
//! sockets that never wait (and listening / connecting ones until then) cost the reactor
//! nothing. End of stream is a zero-length read. Dropping a socket deregisters its fd before
//! closing it.
//!
//! ```
//! use asock::{AddressFamily, AsyncSocket, SockAddr, SocketKind};
//!
//! asock::block_on(async {
//!     let server = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
//!     server.bind("127.0.0.1:0".parse::<SockAddr>()?)?;
//!     server.listen(128)?;
//!     let client = AsyncSocket::new(AddressFamily::AF_INET, SocketKind::SOCK_STREAM, None)?;
//!     client.connect(server.local_addr()?).await?;
//!     let (conn, _peer) = server.accept().await?;
//!     client.send_all(b"ping").await?;
//!     let mut buf = [0; 16];
//!     let n = conn.recv(&mut buf).await?;
//!     assert_eq!(&buf[..n], b"ping");
//!     Ok::<(), asock::Error>(())
//! })?;
//! # Ok::<(), asock::Error>(())
//! ```
//!
//! Inside a tokio runtime the same socket uses tokio's reactor, and tokio's (or futures')
//! `AsyncRead` / `AsyncWrite` make Python's `makefile()`:
//!
//! ```
//! use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
//!
//! let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! rt.block_on(async {
//!     let (mut a, b) = asock::async_socket::socketpair()?;
//!     a.write_all(b"first line\nsecond line\n").await?;
//!     let mut lines = BufReader::new(&b).lines();
//!     assert_eq!(lines.next_line().await?.as_deref(), Some("first line"));
//!     assert_eq!(b.backend(), None); // the data was there: nothing had to wait
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! }).unwrap();
//! # Ok::<(), std::io::Error>(())
//! ```

mod batch;
mod convert;
mod endpoint;
mod io;
mod io_traits;
mod mode;
mod msg;
pub(crate) mod op_future;

mod ready;
mod send_file;
mod socket;
mod split;

pub use batch::{RecvBatchFuture, SendBatchFuture};
pub use endpoint::{AcceptFuture, ConnectFuture};
pub use io::{
    RecvFromFuture, RecvFuture, SendAllFuture, SendFuture, SendToFuture, SendVectoredFuture,
};
pub use msg::{RecvFdsFuture, RecvMsgFuture, SendMsgFuture};
pub use ready::{AsyncIoFuture, ReadyFuture};
pub use send_file::SendFileFuture;
pub use socket::{socketpair, AsyncSocket};
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
