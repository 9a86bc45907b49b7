//! `send_file` on an `AsyncSocket`: Python's `sendfile`, the operation of `ops/send_file.rs`
//! (the one `blocking::Socket::send_file` runs) waiting for the socket on the reactor.

use std::fs::File;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::op_future::OpFuture;
use super::AsyncSocket;
use crate::ops::send_file::SendFile;
use asock_core::{Error, Result};

impl AsyncSocket {
    /// Sends `file` from `offset` until its end, or `count` bytes: Python's
    /// `sendfile(file, offset, count)` with `sendfile(2)`, waiting for the socket on the
    /// reactor. Returns the number of bytes sent; the file's position is left just after the
    /// last byte sent, as in CPython.
    ///
    /// As [`blocking::Socket::send_file`](crate::blocking::Socket::send_file), with one
    /// difference: the file must be a regular file. CPython falls back to `read` + `send` for
    /// a pipe; here that `read` would block the executor thread, so it is refused (hand such
    /// a file to `blocking::Socket::send_file` on a blocking thread). A regular file that
    /// `sendfile(2)` refuses is still sent by `read` + `send`.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// # asock::block_on(async {
    /// let path = std::env::temp_dir().join(format!("asock-doc-async-sendfile-{}", std::process::id()));
    /// let mut file = std::fs::File::options().read(true).write(true).create(true).open(&path)?;
    /// std::fs::remove_file(&path)?;
    /// file.write_all(b"0123456789")?;
    ///
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// assert_eq!(a.send_file(&file, 2, Some(5)).await?, 5);
    /// let mut buf = [0; 64];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"23456");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` for `Some(0)` as `count`, a socket that is not `SOCK_STREAM`,
    /// non-blocking mode (the socket's or `.nonblocking()`), an `offset` above `i64::MAX`, or
    /// a file that is not a regular file; "timed out" in timeout mode (one deadline for the
    /// whole call); the errors of `sendfile` / `send` (`EPIPE`, ...) and of reading the file.
    ///
    /// # Cancel safety
    ///
    /// **Not cancel safe**, like [`send_all`](Self::send_all): a `send_file` dropped before
    /// completing may have sent part of the file, does not say how much, and leaves the
    /// file's position where it was.
    pub fn send_file<'a>(
        &'a self,
        file: &'a File,
        offset: u64,
        count: Option<usize>,
    ) -> SendFileFuture<'a> {
        let op = SendFile::new(self.kind(), file, offset, count, false);
        SendFileFuture(OpFuture::new(self, op))
    }
}

/// The future of [`AsyncSocket::send_file`]: the bytes sent. An
/// [`Operation`](crate::Operation) whose mode bounds the whole call (and which refuses
/// non-blocking mode, as CPython's `sendfile` does).
///
/// # Cancel safety
///
/// Not cancel safe: dropped before completing, it may have sent part of the file, and does
/// not say how much.
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct SendFileFuture<'a>(OpFuture<'a, SendFile<'a>>);

impl Future for SendFileFuture<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        if this.0.is_nonblocking() {
            return Poll::Ready(Err(Error::invalid_input(
                "non-blocking sockets are not supported",
            )));
        }
        this.0.poll_op(cx)
    }
}

impl crate::mode::Operation for SendFileFuture<'_> {
    fn with_mode(self, mode: crate::mode::Mode) -> Self {
        SendFileFuture(self.0.with_mode(mode))
    }

    fn with_deadline(self, deadline: crate::time::Instant) -> Self {
        SendFileFuture(self.0.with_deadline(deadline))
    }
}

crate::mode::operation_modes!(impl[<'a>] SendFileFuture<'a>);
