//! Receiving: `recv(2)` and `recvfrom(2)` into any [`RecvBuf`], through socket2.

use std::os::fd::BorrowedFd;

use libc::c_int;
use socket2::SockRef;

use super::{retry, Interest, Op, Progress, Step, Target};
use crate::sys::buf::RecvBuf;
use asock_core::{Result, SockAddr};

/// `recv(2)` into `buf` with `flags`: the byte count (0 at the end of a stream, or for an
/// empty datagram).
///
/// An empty buffer makes no system call and returns 0, as CPython's `recv(0)` and
/// `recv_into` of an empty buffer do: a datagram socket would otherwise lose a datagram to a
/// zero-length read.
#[derive(Debug)]
pub(crate) struct Recv<B> {
    pub(crate) buf: B,
    pub(crate) flags: c_int,
}

impl<B: RecvBuf> Op for Recv<B> {
    type Output = usize;

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<usize>, Progress)> {
        if let Some(n) = self.without_syscall() {
            return Ok((Step::Done(n), Progress::More));
        }
        let room = self.buf.room();
        let n = recv(target.fd, &mut self.buf, self.flags)?;
        Ok((Step::Done(n), target.shape.read_progress(n, room)))
    }

    fn without_syscall(&self) -> Option<usize> {
        (self.buf.room() == 0).then_some(0)
    }
}

/// One `recv(2)` into `buf`, `EINTR` retried.
pub(crate) fn recv(fd: BorrowedFd<'_>, buf: &mut impl RecvBuf, flags: c_int) -> Result<usize> {
    let sock = SockRef::from(&fd);
    buf.fill_from(|unfilled| retry(|| sock.recv_with_flags(unfilled, flags)))
}

/// `recvfrom(2)` into `buf`: the byte count and the sender's address. Unlike
/// [`Recv`], an empty buffer still makes the call (and takes the datagram), as CPython's
/// `recvfrom(0)` does.
#[derive(Debug)]
pub(crate) struct RecvFrom<B> {
    pub(crate) buf: B,
    pub(crate) flags: c_int,
}

impl<B: RecvBuf> Op for RecvFrom<B> {
    type Output = (usize, SockAddr);

    fn interest(&self) -> Interest {
        Interest::READABLE
    }

    fn attempt(&mut self, target: Target<'_>) -> Result<(Step<(usize, SockAddr)>, Progress)> {
        let room = self.buf.room();
        let sock = SockRef::from(&target.fd);
        let flags = self.flags;
        let mut from = None;
        let n = self.buf.fill_from(|unfilled| {
            let (n, addr) = retry(|| sock.recv_from_with_flags(unfilled, flags))?;
            from = Some(addr);
            Ok(n)
        })?;
        let from = from.map_or(SockAddr::Unix(asock_core::UnixAddr::Unnamed), |a| sender(&a));
        Ok((Step::Done((n, from)), target.shape.read_progress(n, room)))
    }
}

/// The address the kernel reported for a sender; none at all (a connected stream, an
/// unnamed `AF_UNIX` peer) is `UnixAddr::Unnamed`, as Python shows it.
pub(crate) fn sender(addr: &socket2::SockAddr) -> SockAddr {
    if addr.len() == 0 {
        return SockAddr::Unix(asock_core::UnixAddr::Unnamed);
    }
    SockAddr::from(addr)
}

#[cfg(test)]
mod tests {
    //! `EINTR`: a receive interrupted by signals over and over is retried until data comes.

    use std::os::fd::AsFd;

    use super::recv;
    use crate::sys::poll::tests::interrupted;

    #[test]
    fn blocking_recv_interrupted_by_signals_is_retried_until_data_arrives() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let (got, signals) = interrupted(
            move || {
                let mut buf = [0u8; 4];
                let n = recv(a.as_fd(), &mut &mut buf[..], 0);
                (n.map(|n| buf[..n].to_vec()), a)
            },
            || {
                crate::ops::send::send(b.as_fd(), b"late", 0).unwrap();
            },
        );
        assert!(signals >= 3, "the recv was interrupted {signals} times, expected at least 3");
        assert_eq!(got.0.unwrap(), b"late");
    }
}
