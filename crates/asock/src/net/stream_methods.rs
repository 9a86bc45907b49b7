//! What the two connected streams ([`TcpStream`](super::TcpStream),
//! [`UnixStream`](super::UnixStream)) share besides readiness, stamped out by
//! [`stream_methods!`]: tokio's single tries (`try_read`, `try_write`, ...), `peek`, and the
//! halves of `split` / `into_split`, each the `AsyncSocket` method underneath.

/// The stream methods of `$ty` (a struct whose field `sock` is an `AsyncSocket`). The
/// examples start with `$setup`, which binds `sock`, a connected `$ty`, or `$pair`, which
/// binds `sock` and `peer`, two connected to each other.
macro_rules! stream_methods {
    ($ty:ident, setup: $setup:literal, pair: $pair:literal $(,)?) => {
        impl $ty {
            /// Reads what is there into `buf`, never waiting: `recv(2)` once. 0 means end of
            /// stream (or an empty `buf`).
            ///
            /// ```
            #[doc = $pair]
            /// assert!(sock.try_read(&mut [0; 8]).unwrap_err().is_would_block());
            /// drop(peer);
            /// asock::block_on(sock.readable())?;
            /// assert_eq!(sock.try_read(&mut [0; 8])?, 0); // end of stream
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EAGAIN` (`is_would_block`) when nothing is there; `ECONNRESET`, ...
            pub fn try_read(&self, buf: &mut [u8]) -> asock_core::Result<usize> {
                self.sock.try_recv(buf)
            }

            /// [`try_read`](Self::try_read) into a buffer's uninitialised room, without
            /// zeroing it: a `Vec<u8>`'s spare capacity (its length grows) or tokio's `ReadBuf`
            /// (see [`RecvBuf`](crate::RecvBuf)).
            ///
            /// ```
            #[doc = $pair]
            /// peer.try_write(b"abc")?;
            /// asock::block_on(sock.readable())?;
            /// let mut buf = Vec::with_capacity(64);
            /// assert_eq!(sock.try_read_buf(&mut buf)?, 3);
            /// assert_eq!(buf, b"abc");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`try_read`](Self::try_read).
            pub fn try_read_buf<B: crate::sys::buf::RecvBuf + ?Sized>(
                &self,
                buf: &mut B,
            ) -> asock_core::Result<usize> {
                self.sock.try_recv_buf(buf)
            }

            /// Writes what the kernel takes of `buf`, never waiting: `send(2)` once.
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(sock.try_write(b"hello")?, 5);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EAGAIN` when the send buffer is full; `EPIPE`, `ECONNRESET`, ...
            pub fn try_write(&self, buf: &[u8]) -> asock_core::Result<usize> {
                self.sock.try_send(buf)
            }

            /// Writes the gathered `bufs` with one `sendmsg(2)`, never waiting.
            ///
            /// ```
            /// use std::io::IoSlice;
            ///
            #[doc = $pair]
            /// let bufs = [IoSlice::new(b"head "), IoSlice::new(b"body")];
            /// assert_eq!(sock.try_write_vectored(&bufs)?, 9);
            /// asock::block_on(peer.readable())?;
            /// let mut buf = [0; 16];
            /// assert_eq!(peer.try_read(&mut buf)?, 9);
            /// assert_eq!(&buf[..9], b"head body");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`try_write`](Self::try_write).
            pub fn try_write_vectored(
                &self,
                bufs: &[std::io::IoSlice<'_>],
            ) -> asock_core::Result<usize> {
                self.sock.try_send_vectored(bufs)
            }

            /// Receives into `buf` without taking the bytes from the stream (`MSG_PEEK`),
            /// waiting until there are some.
            ///
            /// ```
            #[doc = $pair]
            /// peer.try_write(b"GET /")?;
            /// # asock::block_on(async {
            /// let mut buf = [0; 3];
            /// assert_eq!(sock.peek(&mut buf).await?, 3);
            /// assert_eq!(&buf, b"GET");
            /// let mut again = [0; 5];
            /// assert_eq!(sock.try_read(&mut again)?, 5); // still there
            /// assert_eq!(&again, b"GET /");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// "timed out" or `EAGAIN` by the mode; `ECONNRESET`, ...
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: peeking takes nothing.
            pub fn peek<'a>(&'a self, buf: &'a mut [u8]) -> crate::async_socket::RecvFuture<'a> {
                self.sock.recv_with_flags(buf, asock_core::MsgFlags::MSG_PEEK)
            }

            /// Splits the stream into a reading and a writing half that borrow it (`AsyncRead`
            /// and `AsyncWrite`), as tokio's `split`: asock's
            /// [`ReadHalf`](crate::async_socket::ReadHalf) /
            /// [`WriteHalf`](crate::async_socket::WriteHalf).
            ///
            /// ```
            /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
            ///
            #[doc = $pair]
            /// let (mut sock, mut peer) = (sock, peer);
            /// # asock::block_on(async {
            /// let (mut read, mut write) = sock.split();
            /// let echo = async {
            ///     let mut buf = [0; 5];
            ///     read.read_exact(&mut buf).await?;
            ///     write.write_all(&buf).await
            /// };
            /// let talk = async {
            ///     peer.write_all(b"hello").await?;
            ///     let mut buf = [0; 5];
            ///     peer.read_exact(&mut buf).await.map(|_| buf)
            /// };
            /// let (echoed, heard) = futures::join!(echo, talk);
            /// echoed?;
            /// assert_eq!(&heard?, b"hello");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn split(
                &mut self,
            ) -> (crate::async_socket::ReadHalf<'_>, crate::async_socket::WriteHalf<'_>) {
                self.sock.split()
            }

            /// Splits the stream into owned halves, for two tasks, as tokio's `into_split`:
            /// asock's [`OwnedReadHalf`](crate::async_socket::OwnedReadHalf) /
            /// [`OwnedWriteHalf`](crate::async_socket::OwnedWriteHalf) (dropping the write half
            /// shuts the write side down).
            /// [`OwnedReadHalf::reunite`](crate::async_socket::OwnedReadHalf::reunite) gives
            #[doc = concat!(
                "the `AsyncSocket` back, and `", stringify!($ty), "::try_from` the stream."
            )]
            ///
            /// ```
            #[doc = $setup]
            /// let peer_addr = sock.peer_addr()?;
            /// let (read, write) = sock.into_split();
            #[doc = concat!(
                "let sock = asock::net::", stringify!($ty), "::try_from(read.reunite(write)?)?;"
            )]
            /// assert_eq!(sock.peer_addr()?, peer_addr);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn into_split(
                self,
            ) -> (crate::async_socket::OwnedReadHalf, crate::async_socket::OwnedWriteHalf) {
                self.sock.into_split()
            }
        }
    };
}

pub(crate) use stream_methods;
