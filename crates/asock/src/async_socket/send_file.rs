//! `send_file` on an `AsyncSocket`: Python's `sendfile`, with `sendfile(2)` waiting for the
//! socket on the reactor, and the blocking socket's semantics (see
//! [`blocking::Socket::send_file`](crate::blocking::Socket::send_file)).

use std::fmt;
use std::fs::File;
use std::future::Future;
use std::io::{Seek, SeekFrom};
use std::os::fd::AsFd;
use std::os::unix::fs::FileExt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::operation::socket_operation;
use super::AsyncSocket;
use crate::mode::OpWait;
use crate::reactor::{Interest, Progress};
use crate::sys::sendfile::try_sendfile;
use crate::{Error, ErrorKind, Result, SocketKind};

/// The most `send_file` asks of one `sendfile(2)` call (CPython: 1 GiB, bpo-38319).
const SENDFILE_BLOCK: usize = 1 << 30;
/// The chunk size of `send_file`'s read-and-send fallback (CPython's).
const FALLBACK_BLOCK: usize = 8192;

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
    /// assert_eq!(b.recv(64).await?, b"23456");
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
    ) -> SendFile<'a> {
        SendFile {
            sock: self,
            file,
            offset,
            count,
            state: FileState::Start,
            total: 0,
            wait: self.op_wait(),
        }
    }
}

#[derive(Debug)]
enum FileState {
    /// Arguments not checked yet.
    Start,
    /// `sendfile(2)` from `position`.
    Sendfile {
        position: i64,
    },
    /// `read` + `send`: `buf[sent..]` still to send.
    Fallback {
        buf: Vec<u8>,
        sent: usize,
    },
    Done,
}

/// The future of [`AsyncSocket::send_file`]: the bytes sent. An
/// [`Operation`](crate::Operation) whose mode bounds the whole call.
///
/// # Cancel safety
///
/// Not cancel safe: dropped before completing, it may have sent part of the file.
#[must_use = "futures do nothing unless polled"]
pub struct SendFile<'a> {
    sock: &'a AsyncSocket,
    file: &'a File,
    offset: u64,
    count: Option<usize>,
    state: FileState,
    total: usize,
    wait: OpWait,
}

impl Future for SendFile<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.get_mut();
        let result = ready!(this.poll_send(cx));
        this.state = FileState::Done;
        // As CPython: the file's position ends just after the last byte sent.
        if this.total > 0 {
            let end = this.offset.saturating_add(this.total as u64);
            (&*this.file).seek(SeekFrom::Start(end))?;
        }
        Poll::Ready(result)
    }
}

/// The bytes still wanted of a chunk of at most `block` after `total`, or `None` when
/// `count` is met.
fn want(count: Option<usize>, total: usize, block: usize) -> Option<usize> {
    match count {
        Some(count) if count <= total => None,
        Some(count) => Some((count - total).min(block)),
        None => Some(block),
    }
}

impl SendFile<'_> {
    fn poll_send(&mut self, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let sock = self.sock;
        loop {
            match &mut self.state {
                FileState::Start => {
                    self.state = self.check()?;
                    if matches!(self.state, FileState::Done) {
                        return Poll::Ready(Ok(0));
                    }
                }
                FileState::Sendfile { position } => {
                    let Some(want) = want(self.count, self.total, SENDFILE_BLOCK) else {
                        return Poll::Ready(Ok(self.total));
                    };
                    let file = self.file.as_fd();
                    let polled = sock.poll_op(cx, &mut self.wait, Interest::WRITABLE, |fd| {
                        Ok((try_sendfile(fd, file, position, want)?, Progress::More))
                    });
                    match ready!(polled) {
                        Ok(0) => return Poll::Ready(Ok(self.total)),
                        Ok(n) => self.total += n,
                        // Nothing sent yet and the kernel refused: CPython falls back on send.
                        Err(e)
                            if self.total == 0
                                && e.kind() == ErrorKind::Os
                                && !e.is_would_block() =>
                        {
                            self.state = FileState::Fallback { buf: Vec::new(), sent: 0 };
                        }
                        Err(e) => return Poll::Ready(Err(e)),
                    }
                }
                FileState::Fallback { buf, sent } => {
                    if *sent == buf.len() {
                        let Some(want) = want(self.count, self.total, FALLBACK_BLOCK) else {
                            return Poll::Ready(Ok(self.total));
                        };
                        buf.resize(want, 0);
                        // A regular file: the page cache answers, as sendfile's own reads.
                        let at = self.offset.saturating_add(self.total as u64);
                        let n = self.file.read_at(buf, at)?;
                        if n == 0 {
                            return Poll::Ready(Ok(self.total));
                        }
                        buf.truncate(n);
                        *sent = 0;
                    }
                    let chunk = &buf[*sent..];
                    let n = ready!(sock.poll_op(cx, &mut self.wait, Interest::WRITABLE, |fd| {
                        let n = crate::sys::io::try_send(fd, chunk, 0)?;
                        Ok((n, sock.write_progress(n, chunk.len())))
                    }))?;
                    *sent += n;
                    self.total += n;
                }
                FileState::Done => return Poll::Ready(Ok(self.total)),
            }
        }
    }

    /// The blocking method's checks, in its order; `Done` for an empty file.
    fn check(&self) -> Result<FileState> {
        if self.count == Some(0) {
            return Err(Error::invalid_input("count must be a positive integer (got 0)"));
        }
        if self.sock.kind() != SocketKind::SOCK_STREAM {
            return Err(Error::invalid_input("only SOCK_STREAM type sockets are supported"));
        }
        let position =
            i64::try_from(self.offset).map_err(|_| Error::invalid_input("offset out of range"))?;
        if self.wait.is_nonblocking() {
            return Err(Error::invalid_input("non-blocking sockets are not supported"));
        }
        self.sock.io()?;
        let meta = self.file.metadata()?;
        if !meta.is_file() {
            return Err(Error::invalid_input(
                "AsyncSocket::send_file needs a regular file (reading another would block)",
            ));
        }
        if meta.len() == 0 {
            return Ok(FileState::Done);
        }
        Ok(FileState::Sendfile { position })
    }
}

socket_operation!(SendFile<'a>);

impl fmt::Debug for SendFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFile")
            .field("fd", &self.sock.fileno())
            .field("offset", &self.offset)
            .field("total", &self.total)
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}
