//! `sendfile(2)`: file to socket without a copy through user space.

use std::os::fd::{AsRawFd, BorrowedFd};

use super::syscall_retry;
use crate::Result;

/// One `sendfile(2)` of up to `count` bytes of `file` from `*offset` to `out`, advancing
/// `*offset` by what was sent. `file`'s own position is left alone.
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
    // SAFETY: `off` is a live local the kernel reads and updates; the fds are borrowed and open.
    let sent = syscall_retry!(sendfile(out.as_raw_fd(), file.as_raw_fd(), &mut off, count))?;
    *offset = off;
    Ok(sent as usize)
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
