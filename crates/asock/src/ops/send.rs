//! Sending: `send(2)`, `sendto(2)` and `send_all`, through socket2, always with
//! `MSG_NOSIGNAL` (a closed peer gives `EPIPE`, never `SIGPIPE`).

use std::io::{self, IoSlice};
use std::os::fd::BorrowedFd;

use libc::c_int;
use socket2::SockRef;

use super::{retry, Interest, Op, Progress, Step, Target};
use asock_core::Result;

/// One `send(2)` of `data` with `flags | MSG_NOSIGNAL`, `EINTR` retried.
pub(crate) fn send(fd: BorrowedFd<'_>, data: &[u8], flags: c_int) -> Result<usize> {
    nosignal(fd, flags, |sock, flags| sock.send_with_flags(data, flags))
}

/// One socket2 send `call` on `fd` with `flags | MSG_NOSIGNAL`, `EINTR` retried.
fn nosignal(
    fd: BorrowedFd<'_>,
    flags: c_int,
    call: impl Fn(&SockRef<'_>, c_int) -> io::Result<usize>,
) -> Result<usize> {
    let sock = SockRef::from(&fd);
    let flags = flags | libc::MSG_NOSIGNAL;
    retry(|| call(&sock, flags))
}

/// `send(2)`: the byte count the kernel took.
#[derive(Debug)]
pub(crate) struct Send<'d> {
    pub(crate) data: &'d [u8],
    pub(crate) flags: c_int,
}

impl Op for Send<'_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let n = send(target.fd, self.data, self.flags)?;
        Ok((Step::Done(n), target.shape.write_progress(n, self.data.len())))
    }
}

/// `sendmsg(2)` of several buffers (a vectored write): the byte count the kernel took.
#[derive(Debug)]
pub(crate) struct SendVectored<'d, 'b> {
    pub(crate) bufs: &'d [IoSlice<'b>],
    pub(crate) flags: c_int,
}

impl Op for SendVectored<'_, '_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let n = nosignal(target.fd, self.flags, |sock, flags| {
            sock.send_vectored_with_flags(self.bufs, flags)
        })?;
        let len = self.bufs.iter().map(|b| b.len()).fold(0, usize::saturating_add);
        Ok((Step::Done(n), target.shape.write_progress(n, len)))
    }
}

/// `sendto(2)` to `addr` (already checked and encoded): the byte count sent.
#[derive(Debug)]
pub(crate) struct SendTo<'d> {
    pub(crate) data: &'d [u8],
    pub(crate) addr: socket2::SockAddr,
    pub(crate) flags: c_int,
}

impl Op for SendTo<'_> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        let n = nosignal(target.fd, self.flags, |sock, flags| {
            sock.send_to_with_flags(self.data, &self.addr, flags)
        })?;
        Ok((Step::Done(n), Progress::More))
    }
}

/// Python's `sendall`: `send(2)` until every byte of `data` is sent.
///
/// Each attempt is one `send`; what it sent is kept in `sent`, so a `WouldBlock` (or a wait
/// that times out) leaves the operation where it was. Empty `data` still makes one `send`
/// (an empty datagram on a datagram socket), as CPython does.
#[derive(Debug)]
pub(crate) struct SendAll<'d> {
    pub(crate) data: &'d [u8],
    pub(crate) flags: c_int,
    pub(crate) sent: usize,
}

impl<'d> SendAll<'d> {
    pub(crate) fn new(data: &'d [u8], flags: c_int) -> SendAll<'d> {
        SendAll { data, flags, sent: 0 }
    }
}

impl Op for SendAll<'_> {
    type Output = ();

    fn interest(&self) -> Interest {
        Interest::WRITABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<()>, Progress)> {
        let rest = self.data.get(self.sent..).unwrap_or_default();
        let n = send(target.fd, rest, self.flags)?;
        self.sent += n;
        let progress = target.shape.write_progress(n, rest.len());
        if self.sent >= self.data.len() {
            Ok((Step::Done(()), progress))
        } else {
            Ok((Step::Again, progress))
        }
    }
}
