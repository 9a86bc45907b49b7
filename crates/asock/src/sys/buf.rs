//! Buffers a receive fills without zeroing them first.
//!
//! socket2 receives into `&mut [MaybeUninit<u8>]`; telling a buffer afterwards that its first
//! `n` bytes are now initialised (`Vec::set_len`, `ReadBuf::assume_init`) is `unsafe`, so it
//! happens here, once, for every kind of buffer asock reads into.

use std::mem::MaybeUninit;

use asock_core::Result;
use private::{Fill, Receive};

/// A buffer asock can receive into without zeroing it first: a `[u8]` slice (from its
/// start), a `Vec<u8>` (its spare capacity, which grows its length), or tokio's `ReadBuf`
/// (its unfilled part, which it then marks filled).
///
/// ```
/// # asock::block_on(async {
/// let (a, b) = asock::async_socket::socketpair()?;
/// a.send_all(b"no zeroing").await?;
/// let mut buf = Vec::with_capacity(64);
/// let n = b.recv_buf(&mut buf).await?;
/// assert_eq!((n, &buf[..]), (10, &b"no zeroing"[..]));
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
pub trait RecvBuf: private::Fill {}

impl RecvBuf for [u8] {}
impl RecvBuf for Vec<u8> {}
#[cfg(feature = "tokio")]
impl RecvBuf for tokio::io::ReadBuf<'_> {}
impl<B: RecvBuf + ?Sized> RecvBuf for &mut B {}

/// The methods behind [`RecvBuf`], in a module users cannot name: a buffer told "n bytes
/// were written" without them being written would expose uninitialised memory, so only
/// asock's own receives may call them.
pub(crate) mod private {
    use std::mem::MaybeUninit;

    use asock_core::Result;

    /// One receive system call into a part of a buffer: writes only initialised bytes, as
    /// the kernel does, and returns the length it reports.
    pub trait Receive: FnOnce(&mut [MaybeUninit<u8>]) -> Result<usize> {}

    impl<F: FnOnce(&mut [MaybeUninit<u8>]) -> Result<usize>> Receive for F {}

    /// A buffer a receive may fill from its first unfilled byte.
    pub trait Fill {
        /// Bytes a receive may write.
        fn room(&self) -> usize;

        /// Lends the unfilled part to `read` (one receive system call) and marks as filled the
        /// bytes it reports, at most the part's length. Returns what `read` returned, which may
        /// exceed the room: a datagram read with `MSG_TRUNC` reports its whole length.
        ///
        /// `read` must only write initialised bytes, as the kernel does.
        fn fill_from(&mut self, read: impl Receive) -> Result<usize>;
    }
}

impl Fill for [u8] {
    fn room(&self) -> usize {
        self.len()
    }

    fn fill_from(&mut self, read: impl Receive) -> Result<usize> {
        // SAFETY: `[u8]` and `[MaybeUninit<u8>]` have the same layout; the slice is already
        // initialised and `read` only writes initialised bytes into it (the receive's
        // contract), so it stays initialised when the borrow ends.
        let uninit = unsafe { &mut *(std::ptr::from_mut::<[u8]>(self) as *mut [MaybeUninit<u8>]) };
        read(uninit)
    }
}

impl Fill for Vec<u8> {
    fn room(&self) -> usize {
        self.capacity() - self.len()
    }

    fn fill_from(&mut self, read: impl Receive) -> Result<usize> {
        let spare = self.spare_capacity_mut();
        let room = spare.len();
        let n = read(spare)?;
        // SAFETY: the receive initialised the first min(n, room) bytes of the spare capacity.
        unsafe { self.set_len(self.len() + n.min(room)) };
        Ok(n)
    }
}

#[cfg(feature = "tokio")]
impl Fill for tokio::io::ReadBuf<'_> {
    fn room(&self) -> usize {
        self.remaining()
    }

    fn fill_from(&mut self, read: impl Receive) -> Result<usize> {
        // SAFETY: `read` only writes initialised bytes, so nothing initialised is
        // de-initialised through this borrow (ReadBuf::unfilled_mut's contract).
        let unfilled = unsafe { self.unfilled_mut() };
        let room = unfilled.len();
        let n = read(unfilled)?;
        let filled = n.min(room);
        // SAFETY: the receive initialised the first `filled` bytes of the unfilled part.
        unsafe { self.assume_init(filled) };
        self.advance(filled);
        Ok(n)
    }
}

impl<B: Fill + ?Sized> Fill for &mut B {
    fn room(&self) -> usize {
        (**self).room()
    }

    fn fill_from(&mut self, read: impl Receive) -> Result<usize> {
        (**self).fill_from(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::MaybeUninit;

    fn write(bytes: &[u8]) -> impl FnOnce(&mut [MaybeUninit<u8>]) -> Result<usize> + '_ {
        move |buf| {
            let n = bytes.len().min(buf.len());
            for (slot, b) in buf.iter_mut().zip(&bytes[..n]) {
                slot.write(*b);
            }
            Ok(bytes.len())
        }
    }

    #[test]
    fn a_vec_grows_by_what_was_written_and_never_past_its_capacity() {
        let mut v = Vec::with_capacity(4);
        v.push(b'>');
        assert_eq!(v.fill_from(write(b"abcdef")).unwrap(), 6, "the whole length is reported");
        assert_eq!(v, b">abc");
    }

    #[test]
    #[cfg(feature = "tokio")]
    fn a_read_buf_advances() {
        let mut storage = [MaybeUninit::uninit(); 8];
        let mut buf = tokio::io::ReadBuf::uninit(&mut storage);
        assert_eq!(buf.fill_from(write(b"hi")).unwrap(), 2);
        assert_eq!(buf.filled(), b"hi");
        assert_eq!(buf.room(), 6);
    }

    #[test]
    fn a_slice_is_written_from_its_start() {
        let mut bytes = *b"------";
        assert_eq!(bytes[..].fill_from(write(b"ok")).unwrap(), 2);
        assert_eq!(&bytes, b"ok----");
    }
}
