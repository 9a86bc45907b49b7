//! `sendfile(2)`: file to socket without a copy through user space.
//!
//! # Why `SIGPIPE` needs care here
//!
//! Every other write in asock adds `MSG_NOSIGNAL`, so a broken stream gives `EPIPE` and no
//! signal. `sendfile(2)` takes no flags: on a stream whose peer is gone the kernel raises
//! `SIGPIPE` in the calling thread, and a process with the default disposition (a C host, or a
//! Rust program that restored `SIG_DFL`) dies of it. Setting `SIG_IGN` is not ours to do (the
//! disposition is process-wide and belongs to the program), so [`try_sendfile`] blocks
//! `SIGPIPE` in the calling thread around the call and takes back the signal the call raised
//! ([`super::sigpipe`] describes the steps). A signal the program had pending before the call
//! stays pending.
//!
//! When may the call have raised it? When it failed with `EPIPE`; and when it sent less than
//! asked. One `sendfile` is a loop of socket writes inside the kernel, a pipe's worth each
//! (`splice_direct_to_actor`): if the peer goes away between two of them, the later write
//! fails with `EPIPE` and raises the signal, yet the call returns the bytes of the earlier
//! ones. (A peer that goes away *during* a write gives a short count and no signal; the next
//! call gets `EPIPE`.) A short count also ends a transfer at the end of the file, or on a
//! non-blocking socket whose send buffer filled; those pay one `sigtimedwait` that finds
//! nothing. A call that sends everything it was asked to costs two `rt_sigprocmask` calls
//! more than `sendfile` alone.

use std::os::fd::{AsRawFd, BorrowedFd};

use super::{sigpipe, syscall_retry};
use asock_core::Result;

/// One `sendfile(2)` of up to `count` bytes of `file` from `*offset` to `out`, advancing
/// `*offset` by what was sent. `file`'s own position is left alone. Never raises `SIGPIPE`
/// (see the module docs).
///
/// Returns 0 at end of file. The kernel sends at most `0x7ffff000` bytes per call; a negative
/// offset is `EINVAL`, a file that cannot be mapped (a pipe, a socket) `EINVAL` too.
pub(crate) fn try_sendfile(
    out: BorrowedFd<'_>,
    file: BorrowedFd<'_>,
    offset: &mut i64,
    count: usize,
) -> Result<usize> {
    let mut off: libc::off_t = *offset;
    let may_have_raised = move |sent: &Result<usize>| match sent {
        Err(e) => e.raw_os_error() == Some(libc::EPIPE),
        Ok(n) => *n > 0 && *n < count,
    };
    let sent = sigpipe::call(may_have_raised, || {
        // SAFETY: `off` is a live local the kernel reads and updates; the fds are borrowed
        // and open.
        syscall_retry!(sendfile(out.as_raw_fd(), file.as_raw_fd(), &mut off, count))
            .map(|n| n as usize)
    })?;
    *offset = off;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    fn temp_file(bytes: &[u8]) -> std::fs::File {
        let path = std::env::temp_dir().join(format!(
            "asock-sys-sendfile-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let mut f = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn sends_from_the_offset_and_advances_it() {
        let file = temp_file(b"0123456789");
        let (a, mut b) = UnixStream::pair().unwrap();
        let mut offset = 3;
        let sent = try_sendfile(a.as_fd(), file.as_fd(), &mut offset, 4).unwrap();
        assert_eq!((sent, offset), (4, 7));
        let mut got = [0; 4];
        b.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"3456");
        // At end of file: 0, offset unchanged.
        let mut offset = 10;
        assert_eq!(try_sendfile(a.as_fd(), file.as_fd(), &mut offset, 4).unwrap(), 0);
        assert_eq!(offset, 10);
    }

    #[test]
    fn a_negative_offset_is_einval() {
        let file = temp_file(b"x");
        let (a, _b) = UnixStream::pair().unwrap();
        let err = try_sendfile(a.as_fd(), file.as_fd(), &mut -1, 1).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    }
}
