//! What the two datagram sockets ([`UdpSocket`](super::UdpSocket),
//! [`UnixDatagram`](super::UnixDatagram)) share, stamped out by [`datagram_methods!`]:
//! tokio's `send` / `recv` / `recv_buf` / `recv_from` and their single tries, each the
//! `AsyncSocket` method underneath. Sending to an address is each type's own (UDP resolves
//! names, UNIX takes paths).

/// The datagram methods of `$ty` (a struct whose field `sock` is an `AsyncSocket`), whose
/// senders are `$addr`s, made of a received `SockAddr` by `$with_sender`. The errors that
/// differ by family are given as doc text: `$send_errors` of `send`, `$recv_errors` of
/// `recv`; `$full` is what is full when a send would wait; `$sender_note` qualifies
/// `recv_from`'s sender. The examples start with `$setup`, which binds `sock`, a connected
/// `$ty`, or `$pair`, which binds `sock` and `peer`, two connected to each other.
macro_rules! datagram_methods {
    (
        $ty:ident,
        addr: $addr:ty,
        with_sender: $with_sender:path,
        send_errors: $send_errors:literal,
        recv_errors: $recv_errors:literal,
        full: $full:literal,
        sender_note: $sender_note:literal,
        setup: $setup:expr,
        pair: $pair:expr $(,)?
    ) => {
        impl $ty {
            /// Sends `buf` as one datagram to the peer set by [`connect`](Self::connect):
            /// `send(2)`. Returns the byte count.
            ///
            /// ```
            #[doc = $setup]
            /// # asock::block_on(async {
            /// assert_eq!(sock.send(b"datagram").await?, 8);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            #[doc = $send_errors]
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: nothing is sent unless the future completes.
            pub fn send<'a>(&'a self, buf: &'a [u8]) -> crate::async_socket::SendFuture<'a> {
                self.sock.send(buf)
            }

            /// Receives one datagram into `buf`: `recv(2)`. A datagram longer than `buf` is
            /// cut to fit, the rest discarded. An empty `buf` returns 0 at once and takes no
            /// datagram.
            ///
            /// ```
            /// use std::time::Duration;
            ///
            #[doc = $setup]
            /// # asock::block_on(async {
            /// // Nothing comes: this one call gives up after 20 ms.
            /// let mut buf = [0; 8];
            /// let err = sock.recv(&mut buf).timeout(Duration::from_millis(20)).await.unwrap_err();
            /// assert_eq!(err.to_string(), "timed out");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            #[doc = $recv_errors]
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: no datagram is taken unless the future completes.
            pub fn recv<'a>(&'a self, buf: &'a mut [u8]) -> crate::async_socket::RecvFuture<'a> {
                self.sock.recv(buf)
            }

            /// [`recv`](Self::recv) into a buffer's uninitialised room, without zeroing it (a
            /// `Vec<u8>`'s spare capacity, tokio's `ReadBuf`; see [`RecvBuf`](crate::RecvBuf)).
            ///
            /// ```
            #[doc = $pair]
            /// # asock::block_on(async {
            /// peer.send(b"into a Vec").await?;
            /// let mut buf = Vec::with_capacity(1500);
            /// sock.recv_buf(&mut buf).await?;
            /// assert_eq!(buf, b"into a Vec");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`recv`](Self::recv).
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: nothing is written to `buf` unless the future completes.
            pub fn recv_buf<'a, B: crate::sys::buf::RecvBuf + ?Sized>(
                &'a self,
                buf: &'a mut B,
            ) -> crate::async_socket::RecvFuture<'a, B> {
                self.sock.recv_buf(buf)
            }

            #[doc = concat!(
                "Receives one datagram into `buf`, with its sender's address", $sender_note, ":"
            )]
            /// `recvfrom(2)`. A datagram longer than `buf` is cut to fit, the rest discarded.
            ///
            /// ```
            #[doc = $pair]
            /// # asock::block_on(async {
            /// peer.send(b"from whom?").await?;
            /// let mut buf = [0; 16];
            /// let (n, from) = sock.recv_from(&mut buf).await?;
            /// assert_eq!((&buf[..n], from), (&b"from whom?"[..], peer.local_addr()?));
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// "timed out" or `EAGAIN` by the mode.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: no datagram is taken unless the future completes.
            pub fn recv_from<'a>(
                &'a self,
                buf: &'a mut [u8],
            ) -> crate::net::NetFuture<crate::async_socket::RecvFromFuture<'a>, (usize, $addr)> {
                crate::net::NetFuture::new(self.sock.recv_from(buf), $with_sender)
            }

            /// [`send`](Self::send) once, never waiting.
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(sock.try_send(b"now")?, 3);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            #[doc = concat!(
                "`EAGAIN` when ", $full, " is full; otherwise as [`send`](Self::send)."
            )]
            pub fn try_send(&self, buf: &[u8]) -> asock_core::Result<usize> {
                self.sock.try_send(buf)
            }

            /// [`recv`](Self::recv) once, never waiting.
            ///
            /// ```
            #[doc = $setup]
            /// assert!(sock.try_recv(&mut [0; 8]).unwrap_err().is_would_block());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EAGAIN` when no datagram is there; otherwise as [`recv`](Self::recv).
            pub fn try_recv(&self, buf: &mut [u8]) -> asock_core::Result<usize> {
                self.sock.try_recv(buf)
            }

            /// [`recv_buf`](Self::recv_buf) once, never waiting.
            ///
            /// ```
            #[doc = $pair]
            /// peer.try_send(b"abc")?;
            /// asock::block_on(sock.readable())?;
            /// let mut buf = Vec::with_capacity(64);
            /// assert_eq!(sock.try_recv_buf(&mut buf)?, 3);
            /// assert_eq!(buf, b"abc");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`try_recv`](Self::try_recv).
            pub fn try_recv_buf<B: crate::sys::buf::RecvBuf + ?Sized>(
                &self,
                buf: &mut B,
            ) -> asock_core::Result<usize> {
                self.sock.try_recv_buf(buf)
            }

            /// [`recv_from`](Self::recv_from) once, never waiting.
            ///
            /// ```
            #[doc = $setup]
            /// assert!(sock.try_recv_from(&mut [0; 8]).unwrap_err().is_would_block());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EAGAIN` when no datagram is there.
            pub fn try_recv_from(&self, buf: &mut [u8]) -> asock_core::Result<(usize, $addr)> {
                $with_sender(self.sock.try_recv_from(buf))
            }
        }
    };
}

pub(crate) use datagram_methods;
