//! What the four connected and datagram sockets ([`TcpStream`](super::TcpStream),
//! [`UnixStream`](super::UnixStream), [`UdpSocket`](super::UdpSocket),
//! [`UnixDatagram`](super::UnixDatagram)) share to drive their own system calls, stamped out by
//! [`readiness_methods!`]: tokio's `ready` / `readable` / `writable`, `try_io` and `async_io`,
//! each the `AsyncSocket` method of that name.

/// The readiness methods of `$ty` (a struct whose field `sock` is an `AsyncSocket`). `$what`
/// names it in the docs ("stream", "socket"); `$try_read` / `$try_write` are its single tries
/// (`try_read` / `try_write` on a stream, `try_recv` / `try_send` on a datagram socket).
/// The examples start with `$setup`, which binds `sock`, a connected `$ty`, or `$pair`, which
/// binds `sock` and `peer`, two connected to each other.
macro_rules! readiness_methods {
    (
        $ty:ident,
        what: $what:literal,
        try_read: $try_read:ident,
        try_write: $try_write:ident,
        setup: $setup:expr,
        pair: $pair:expr $(,)?
    ) => {
        impl $ty {
            #[doc = concat!(
                "Waits until the ", $what, " is reported ready for `interest`, as tokio's"
            )]
            #[doc = concat!("`ready`: for code that drives [`", stringify!($try_read), "`](Self::",
                stringify!($try_read), ") / [`", stringify!($try_write), "`](Self::",
                stringify!($try_write), ")")]
            /// itself. Readiness is a hint: the try that follows may still find nothing
            /// (`EAGAIN`), which clears it.
            ///
            /// ```
            /// use asock::reactor::Interest;
            ///
            #[doc = $setup]
            /// # asock::block_on(async {
            /// let ready = sock.ready(Interest::READABLE | Interest::WRITABLE).await?;
            /// assert!(ready.is_writable());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// Registration failures; "timed out" or `EAGAIN` by the mode.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: it only waits.
            pub fn ready(
                &self,
                interest: crate::reactor::Interest,
            ) -> crate::async_socket::ReadyFuture<'_> {
                self.sock.ready(interest)
            }

            #[doc = concat!(
                "Waits until the ", $what, " is reported readable. See [`ready`](Self::ready)."
            )]
            ///
            /// ```
            #[doc = $pair]
            #[doc = concat!("peer.", stringify!($try_write), "(b\"ping\")?;")]
            /// let mut buf = [0; 16];
            /// # asock::block_on(async {
            /// let n = loop {
            ///     sock.readable().await?;
            #[doc = concat!("    match sock.", stringify!($try_read), "(&mut buf) {")]
            ///         Err(e) if e.is_would_block() => continue, // a stale hint: wait again
            ///         other => break other?,
            ///     }
            /// };
            /// assert_eq!(&buf[..n], b"ping");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`ready`](Self::ready).
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: it only waits.
            pub fn readable(&self) -> crate::async_socket::ReadyFuture<'_> {
                self.sock.readable()
            }

            #[doc = concat!(
                "Waits until the ", $what, " is reported writable. See [`ready`](Self::ready)."
            )]
            ///
            /// ```
            #[doc = $setup]
            /// # asock::block_on(async {
            /// sock.writable().await?;
            #[doc = concat!("assert_eq!(sock.", stringify!($try_write), "(b\"hello\")?, 5);")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// # }).unwrap();
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// As [`ready`](Self::ready).
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: it only waits.
            pub fn writable(&self) -> crate::async_socket::ReadyFuture<'_> {
                self.sock.writable()
            }

            #[doc = concat!(
                "Runs `f`, a system call of the caller's own on the ", $what, "'s fd, once (tokio's"
            )]
            /// `try_io`): a `WouldBlock` from it clears the readiness seen, so the next
            /// [`ready`](Self::ready) waits for a new event.
            ///
            /// ```
            /// use std::os::fd::AsFd;
            /// use asock::reactor::Interest;
            ///
            #[doc = $pair]
            #[doc = concat!("peer.", stringify!($try_write), "(b\"raw\")?;")]
            /// asock::block_on(sock.readable())?;
            /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
            /// let n = sock.try_io(Interest::READABLE, || {
            ///     socket2::SockRef::from(&sock.as_fd()).recv(&mut buf)
            /// })?;
            /// assert_eq!(n, 3);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// Those of `f`.
            pub fn try_io<R>(
                &self,
                interest: crate::reactor::Interest,
                f: impl FnOnce() -> std::io::Result<R>,
            ) -> std::io::Result<R> {
                self.sock.try_io(interest, f)
            }

            /// Runs `f` until it does not say `WouldBlock`, waiting for `interest` in between
            #[doc = concat!("(tokio's `async_io`), in the ", $what, "'s mode.")]
            ///
            /// ```
            /// use std::os::fd::AsFd;
            /// use asock::reactor::Interest;
            ///
            #[doc = $pair]
            #[doc = concat!(
                "std::thread::spawn(move || peer.", stringify!($try_write), "(b\"later\"));"
            )]
            /// let mut buf = [std::mem::MaybeUninit::uninit(); 8];
            /// let fd = sock.as_fd();
            /// let recv = || socket2::SockRef::from(&fd).recv(&mut buf);
            /// let n = asock::block_on(sock.async_io(Interest::READABLE, recv))?;
            /// assert_eq!(n, 5);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// Those of `f`; "timed out" or `EAGAIN` by the mode.
            ///
            /// # Cancel safety
            ///
            /// As cancel safe as `f`.
            pub fn async_io<R, F: FnMut() -> std::io::Result<R> + Unpin>(
                &self,
                interest: crate::reactor::Interest,
                f: F,
            ) -> crate::async_socket::AsyncIoFuture<'_, F> {
                self.sock.async_io(interest, f)
            }
        }
    };
}

pub(crate) use readiness_methods;
