//! Python's `sendfile(file, offset, count)`: `sendfile(2)` from the file to the socket, and
//! CPython's fallback, read and send, when the kernel cannot (a file that cannot be mapped).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsFd;
use std::os::unix::fs::FileExt;

use super::send::send;
use super::{Interest, Op, Progress, Step, Target};
use crate::sys::sendfile::try_sendfile;
use asock_core::{Error, ErrorKind, Result, SocketKind};

/// The most one `sendfile(2)` call is asked for (CPython: 1 GiB, bpo-38319).
const SENDFILE_BLOCK: usize = 1 << 30;
/// The chunk size of the read-and-send fallback (CPython's).
const FALLBACK_BLOCK: usize = 8192;

/// `send_file`: the bytes sent. Each attempt is one `sendfile(2)` (or one read and one
/// `send`), so the operation waits between chunks like `send_all`, under one deadline. The
/// file's position follows the bytes sent, as CPython leaves it.
#[derive(Debug)]
pub(crate) struct SendFile<'f> {
    file: &'f File,
    offset: u64,
    count: Option<usize>,
    total: usize,
    state: State,
    /// The fallback's chunk: `buf[sent..]` is still to send.
    buf: Vec<u8>,
    sent: usize,
    /// Whether the fallback may read a file that is not a regular file (a pipe): only where
    /// a read may block the caller (the blocking front door).
    read_any_file: bool,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Start,
    Sendfile {
        position: i64,
    },
    /// Read and send; a seekable file is read at its offset, anything else from where it is.
    Fallback {
        seekable: bool,
    },
}

impl<'f> SendFile<'f> {
    /// Checks the arguments as CPython does (`count` of 0, a socket that is not a stream, an
    /// offset past `i64`).
    ///
    /// # Errors
    ///
    /// `InvalidInput` with CPython's messages.
    pub(crate) fn new(
        kind: SocketKind,
        file: &'f File,
        offset: u64,
        count: Option<usize>,
        read_any_file: bool,
    ) -> Result<SendFile<'f>> {
        if count == Some(0) {
            return Err(Error::invalid_input("count must be a positive integer (got 0)"));
        }
        if kind != SocketKind::SOCK_STREAM {
            return Err(Error::invalid_input("only SOCK_STREAM type sockets are supported"));
        }
        i64::try_from(offset).map_err(|_| Error::invalid_input("offset out of range"))?;
        let state = State::Start;
        Ok(SendFile {
            file,
            offset,
            count,
            total: 0,
            state,
            buf: Vec::new(),
            sent: 0,
            read_any_file,
        })
    }

    /// The next chunk's size, or `None` when `count` bytes are sent.
    fn want(&self, block: usize) -> Option<usize> {
        match self.count {
            Some(count) if count <= self.total => None,
            Some(count) => Some((count - self.total).min(block)),
            None => Some(block),
        }
    }

    fn start(&mut self) -> Result<Option<State>> {
        let position = self.offset as i64;
        match self.file.metadata() {
            Ok(meta) if meta.is_file() => {
                Ok((meta.len() > 0).then_some(State::Sendfile { position }))
            }
            _ if self.read_any_file => Ok(Some(self.fallback(false)?)),
            _ => Err(Error::invalid_input(
                "AsyncSocket::send_file needs a regular file (reading another would block)",
            )),
        }
    }

    /// The read-and-send state; a seekable file is read from `offset` (a pipe from where it
    /// is, as CPython does for offset 0).
    fn fallback(&mut self, seekable: bool) -> Result<State> {
        if seekable || self.offset != 0 {
            let mut file = self.file;
            file.seek(SeekFrom::Start(self.offset))?;
        }
        Ok(State::Fallback { seekable })
    }

    /// Leaves the file's position just after the last byte sent (a seekable file).
    fn follow(&self) -> Result<()> {
        let mut file = self.file;
        file.seek(SeekFrom::Start(self.offset.saturating_add(self.total as u64)))?;
        Ok(())
    }
}

impl SendFile<'_> {
    /// Reads the fallback's next chunk; `false` at the end of the file or of `count`.
    fn refill(&mut self, seekable: bool) -> Result<bool> {
        let Some(want) = self.want(FALLBACK_BLOCK) else { return Ok(false) };
        self.buf.resize(want, 0);
        let n = if seekable {
            // A regular file: the page cache answers, as sendfile's own reads would.
            self.file.read_at(&mut self.buf, self.offset.saturating_add(self.total as u64))?
        } else {
            crate::ops::retry(|| (&*self.file).read(&mut self.buf))?
        };
        self.buf.truncate(n);
        self.sent = 0;
        Ok(n > 0)
    }
}

impl Op for SendFile<'_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        loop {
            match self.state {
                State::Start => match self.start()? {
                    Some(state) => self.state = state,
                    None => return Ok((Step::Done(0), Progress::More)),
                },
                State::Sendfile { mut position } => {
                    let Some(want) = self.want(SENDFILE_BLOCK) else {
                        return Ok((Step::Done(self.total), Progress::More));
                    };
                    let sent = try_sendfile(target.fd, self.file.as_fd(), &mut position, want);
                    self.state = State::Sendfile { position };
                    match sent {
                        Ok(0) => return Ok((Step::Done(self.total), Progress::More)),
                        // A short count says nothing about the socket: `want` is not bounded
                        // by the file's size, so the file may simply have ended. Readiness
                        // stays; the next attempt finds 0 (done) or `EAGAIN` (full).
                        Ok(n) => {
                            self.total += n;
                            self.follow()?;
                            return Ok((Step::Again, Progress::More));
                        }
                        // Nothing sent yet and the kernel refused the file: CPython falls
                        // back on read and send.
                        Err(e)
                            if self.total == 0
                                && e.kind() == ErrorKind::Os
                                && !e.is_would_block() =>
                        {
                            self.state = self.fallback(true)?;
                        }
                        Err(e) => return Err(e),
                    }
                }
                State::Fallback { seekable } => {
                    if self.sent == self.buf.len() && !self.refill(seekable)? {
                        return Ok((Step::Done(self.total), Progress::More));
                    }
                    let chunk = &self.buf[self.sent..];
                    let n = send(target.fd, chunk, 0)?;
                    let progress = target.shape.write_progress(n, chunk.len());
                    self.sent += n;
                    self.total += n;
                    if seekable {
                        self.follow()?;
                    }
                    return Ok((Step::Again, progress));
                }
            }
        }
    }
}
