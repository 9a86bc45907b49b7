//! `split` (borrowed halves) and `into_split` (owned halves over an `Arc`).
//!
//! An `AsyncSocket`'s operations take `&self`, so a reader and a writer can already share one
//! socket; the halves exist for APIs that want one value implementing `AsyncRead` and another
//! implementing `AsyncWrite` (`tokio::io::copy` in both directions, codecs, ...). Each half
//! gives the whole socket back with `as_ref()`, for the operation futures.
//!
//! The owned halves keep tokio's contract for `TcpStream::into_split`, so code moved from
//! tokio behaves the same: dropping the [`OwnedWriteHalf`] shuts the write side down
//! (`shutdown(SHUT_WR)`: the peer reads end of stream) unless
//! [`forget`](OwnedWriteHalf::forget) was called or the halves were
//! [`reunite`](OwnedReadHalf::reunite)d; the socket itself closes when both halves are gone.
//! Dropping the read half, or either borrowed half of [`split`](AsyncSocket::split), does
//! nothing.

use std::fmt;
use std::sync::Arc;

use super::io_traits::{read_traits, write_traits};
use super::AsyncSocket;

impl AsyncSocket {
    /// Splits the socket into a reading and a writing half that borrow it: the read half
    /// implements `AsyncRead`, the write half `AsyncWrite` (tokio's and futures'). Both can be
    /// used at once, from one task (`join!`) or two; the reader and the writer are both woken.
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let (mut read, mut write) = b.split();
    /// let echo = async {
    ///     let mut buf = [0u8; 5];
    ///     read.read_exact(&mut buf).await?;
    ///     write.write_all(&buf).await
    /// };
    /// let mut reply = [0u8; 5];
    /// let client = async {
    ///     a.send_all(b"hello").await?;
    ///     a.recv(&mut reply).await
    /// };
    /// let (echoed, got) = futures::join!(echo, client);
    /// echoed?;
    /// assert_eq!(&reply[..got?], b"hello");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn split(&self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        (ReadHalf(self), WriteHalf(self))
    }

    /// Splits the socket into owned halves (sharing it through an `Arc`), for two tasks that
    /// must own what they use (`tokio::spawn`). [`OwnedReadHalf::reunite`] puts them back
    /// together. As with tokio's `into_split`, dropping the write half shuts the write side
    /// down (the peer reads end of stream) unless [`OwnedWriteHalf::forget`] was called;
    /// dropping the read half does nothing. The socket closes when both are gone.
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// rt.block_on(async {
    ///     let (a, b) = asock::async_socket::socketpair()?;
    ///     let (mut read, mut write) = b.into_split();
    ///     let writer = tokio::spawn(async move { write.write_all(b"from a task").await });
    ///     a.send_all(b"ping").await?;
    ///     let mut buf = [0u8; 4];
    ///     read.read_exact(&mut buf).await?;
    ///     assert_eq!(&buf, b"ping");
    ///     writer.await??;
    ///     let mut buf = [0u8; 64];
    ///     let n = a.recv(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"from a task");
    ///     Ok::<(), Box<dyn std::error::Error>>(())
    /// }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let shared = Arc::new(self);
        (OwnedReadHalf(shared.clone()), OwnedWriteHalf::new(shared))
    }
}

/// The reading half of [`AsyncSocket::split`]: `AsyncRead` (tokio's and futures').
#[derive(Debug)]
pub struct ReadHalf<'a>(&'a AsyncSocket);

/// The writing half of [`AsyncSocket::split`]: `AsyncWrite` (tokio's and futures');
/// shutting it down is `shutdown(SHUT_WR)`.
#[derive(Debug)]
pub struct WriteHalf<'a>(&'a AsyncSocket);

/// The owned reading half of [`AsyncSocket::into_split`]: `AsyncRead`.
#[derive(Debug)]
pub struct OwnedReadHalf(Arc<AsyncSocket>);

/// The owned writing half of [`AsyncSocket::into_split`]: `AsyncWrite` (tokio's and
/// futures'); shutting it down is `shutdown(SHUT_WR)`.
///
/// **Dropping it shuts the write side down**, as dropping tokio's `OwnedWriteHalf` does: the
/// peer reads end of stream while the read half goes on receiving. Any error of that
/// `shutdown` is ignored (`ENOTCONN` after a reset, `EBADF` once closed). To drop the half and
/// leave the write side open, call [`forget`](Self::forget); [`reunite`](Self::reunite) does
/// not shut down either.
///
/// ```
/// # asock::block_on(async {
/// let (a, b) = asock::async_socket::socketpair()?;
/// let (read, write) = b.into_split();
/// drop(write);
/// let mut buf = [0u8; 16];
/// assert_eq!(a.recv(&mut buf).await?, 0); // end of stream
/// a.send_all(b"still readable").await?;
/// let n = read.as_ref().recv(&mut buf).await?;
/// assert_eq!(&buf[..n], b"still readable");
/// # Ok::<(), asock::Error>(())
/// # })?;
/// # Ok::<(), asock::Error>(())
/// ```
#[derive(Debug)]
pub struct OwnedWriteHalf {
    sock: Arc<AsyncSocket>,
    /// Cleared by `forget` and `reunite`.
    shutdown_on_drop: bool,
}

impl AsRef<AsyncSocket> for ReadHalf<'_> {
    fn as_ref(&self) -> &AsyncSocket {
        self.0
    }
}

impl AsRef<AsyncSocket> for WriteHalf<'_> {
    fn as_ref(&self) -> &AsyncSocket {
        self.0
    }
}

impl AsRef<AsyncSocket> for OwnedReadHalf {
    fn as_ref(&self) -> &AsyncSocket {
        &self.0
    }
}

impl AsRef<AsyncSocket> for OwnedWriteHalf {
    fn as_ref(&self) -> &AsyncSocket {
        &self.sock
    }
}

impl OwnedReadHalf {
    /// Puts the two halves of one [`into_split`](AsyncSocket::into_split) back together. The
    /// write side stays open: the write half is forgotten, not dropped.
    ///
    /// ```
    /// let (a, _b) = asock::async_socket::socketpair()?;
    /// let fd = a.fileno();
    /// let (read, write) = a.into_split();
    /// let a = read.reunite(write).expect("halves of one socket");
    /// assert_eq!(a.fileno(), fd);
    /// # Ok::<(), asock::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ReuniteError`], holding both halves, when they come from different sockets.
    pub fn reunite(self, other: OwnedWriteHalf) -> Result<AsyncSocket, ReuniteError> {
        if !Arc::ptr_eq(&self.0, &other.sock) {
            return Err(ReuniteError(self, other));
        }
        other.forget();
        // The two halves hold the only references (the Arc is private), and one is gone, so
        // this succeeds; were it ever to fail, the halves go back to the caller.
        Arc::try_unwrap(self.0).map_err(|shared| {
            ReuniteError(OwnedReadHalf(shared.clone()), OwnedWriteHalf::new(shared))
        })
    }
}

impl OwnedWriteHalf {
    fn new(sock: Arc<AsyncSocket>) -> OwnedWriteHalf {
        OwnedWriteHalf { sock, shutdown_on_drop: true }
    }

    /// [`OwnedReadHalf::reunite`] from the other side.
    ///
    /// # Errors
    ///
    /// [`ReuniteError`] when the halves come from different sockets.
    pub fn reunite(self, other: OwnedReadHalf) -> Result<AsyncSocket, ReuniteError> {
        other.reunite(self)
    }

    /// Drops the write half without shutting the write side down, as tokio's
    /// `OwnedWriteHalf::forget`: the peer sees end of stream only when the read half is
    /// dropped too (the socket closes), or on an explicit shutdown.
    ///
    /// ```
    /// # asock::block_on(async {
    /// let (a, b) = asock::async_socket::socketpair()?;
    /// let (read, write) = b.into_split();
    /// write.forget();
    /// read.as_ref().send_all(b"open").await?;
    /// let mut buf = [0u8; 16];
    /// let n = a.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"open");
    /// drop(read); // the socket closes: now end of stream
    /// assert_eq!(a.recv(&mut buf).await?, 0);
    /// # Ok::<(), asock::Error>(())
    /// # })?;
    /// # Ok::<(), asock::Error>(())
    /// ```
    pub fn forget(mut self) {
        self.shutdown_on_drop = false;
    }
}

impl Drop for OwnedWriteHalf {
    /// `shutdown(SHUT_WR)` unless forgotten or reunited, ignoring its error: tokio's
    /// `OwnedWriteHalf` does the same, and code moved from tokio waits for that end of stream.
    fn drop(&mut self) {
        if self.shutdown_on_drop {
            let _ = super::io_traits::shutdown_write(&self.sock);
        }
    }
}

/// The error of [`OwnedReadHalf::reunite`]: the halves came from different sockets. It
/// gives them back.
pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

impl fmt::Debug for ReuniteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReuniteError").finish_non_exhaustive()
    }
}

impl fmt::Display for ReuniteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tried to reunite halves of different sockets")
    }
}

impl std::error::Error for ReuniteError {}

read_traits! {
    ['a] ReadHalf<'a> => |half| half.0;
    [] OwnedReadHalf => |half| &half.0;
}

write_traits! {
    ['a] WriteHalf<'a> => |half| half.0;
    [] OwnedWriteHalf => |half| &half.sock;
}
