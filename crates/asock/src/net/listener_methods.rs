//! What the two listeners ([`TcpListener`](super::TcpListener),
//! [`UnixListener`](super::UnixListener)) share, stamped out by [`listener_methods!`]:
//! `accept` and `poll_accept`, the `AsyncSocket`'s, with the accepted socket and its peer
//! typed.

/// The accept methods of `$ty` (a struct whose field `sock` is a listening `AsyncSocket`):
/// they give a `$stream` (made by its `from_socket`) and the peer as an `$addr` (made of the
/// `SockAddr` by `$peer_addr`); `$peer_note` says what that address usually is. The
/// examples start with `$setup`, which binds `sock`, a `$ty`, then `$connect`, which binds
/// `client`, connected to it.
macro_rules! listener_methods {
    (
        $ty:ident,
        stream: $stream:ident,
        addr: $addr:ty,
        peer_addr: $peer_addr:path,
        peer_note: $peer_note:literal,
        setup: $setup:literal,
        connect: $connect:literal $(,)?
    ) => {
        impl $ty {
            #[doc = concat!(
                        "Accepts a connection: the stream and the peer's address", $peer_note, "."
                    )]
            /// The stream starts in the default mode ([`default_timeout`](crate::default_timeout)).
            ///
            /// Failures of the pending connection itself (`ECONNABORTED`, ...) are skipped;
            /// running out of fds is reported, so a server can back off (see
            /// [`Error::is_resource_exhausted`](crate::Error::is_resource_exhausted)).
            ///
            /// ```
            /// use std::time::Duration;
            ///
            #[doc = $setup]
            #[doc = $connect]
            /// # asock::block_on(async {
            /// let (stream, peer) = sock.accept().timeout(Duration::from_secs(5)).await?;
            /// assert_eq!(peer, client.local_addr()?);
            /// assert_eq!(stream.peer_addr()?, peer);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EMFILE` / `ENFILE` / `ENOBUFS` / `ENOMEM`; "timed out" or `EAGAIN` by the mode.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a connection is taken from the queue only by the attempt that
            /// completes the future, so a dropped `accept` loses none.
            pub fn accept(
                &self,
            ) -> crate::net::NetFuture<crate::async_socket::AcceptFuture<'_>, ($stream, $addr)>
            {
                crate::net::NetFuture::new(self.sock.accept(), Self::stream_and_peer)
            }

            /// Accepts a connection, or stores `cx`'s waker and returns `Pending` (for `poll`
            /// functions). Waits with no deadline, whatever the mode.
            ///
            /// ```
            /// use std::future::poll_fn;
            ///
            #[doc = $setup]
            #[doc = $connect]
            /// # asock::block_on(async {
            /// let (stream, peer) = poll_fn(|cx| sock.poll_accept(cx)).await?;
            /// assert_eq!(peer, client.local_addr()?);
            /// assert_eq!(stream.peer_addr()?, peer);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`accept`](Self::accept) (never `EAGAIN` or a timeout).
            pub fn poll_accept(
                &self,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<asock_core::Result<($stream, $addr)>> {
                self.sock.poll_accept(cx).map(Self::stream_and_peer)
            }

            /// An accepted `AsyncSocket` and its peer, typed.
            fn stream_and_peer(
                accepted: asock_core::Result<(crate::async_socket::AsyncSocket, asock_core::SockAddr)>,
            ) -> asock_core::Result<($stream, $addr)> {
                let (sock, peer) = accepted?;
                Ok(($stream::from_socket(sock), $peer_addr(peer)?))
            }
        }
    };
}

pub(crate) use listener_methods;
