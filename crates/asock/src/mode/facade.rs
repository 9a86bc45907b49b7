//! The public methods `blocking::Socket` and `AsyncSocket` share, written once.
//!
//! The two front doors run the same operations and differ in how they wait (`poll(2)` or the
//! reactor). Where a method is the same on both — signature and body, the body a call into
//! `ops/` or `mode/` — it is stamped out here for each type, so that it has one definition.
//! What differs stays in each door's own files: how the fd is held (`close`, `detach`,
//! `fileno`), `set_timeout` (the blocking socket's fd follows its mode, an `AsyncSocket`'s is
//! always `O_NONBLOCK`), and every method that waits or takes Python's rather than Rust's
//! arguments (`recv(bufsize)` against `recv(&mut [u8])`, `listen(Option<i32>)` against
//! `listen(u32)`).
//!
//! Each macro takes the type and the doctest lines that differ between the doors: `setup`
//! binds `a`, one end of a connected `AF_UNIX` stream pair made with the type's module's
//! `socketpair()`, so that every generated method keeps a compiled example. A method whose
//! documentation differs between the doors (its example awaits, or its text describes the
//! door's fd) takes its doc comment from the invocation: `/// ... fn name;`.
//!
//! These macros live in `mode/`, below both front doors, because the constructors and the
//! mode methods need [`initial_mode`](super::initial_mode) and [`Mode`](super::Mode). Each
//! type provides the crate-private methods the bodies call: `fd()`, `shape()`, `mode()`,
//! `set_timeout`, `adopt`, the constructor named by `from_parts`, and for the conversions
//! `check_fits` and `into_std_fd`.

/// `new`, `pair`, `from_fd` and `dup`: creating a socket. `from_parts` names the type's
/// `(OwnedFd, Shape, Mode) -> Self` constructor; `fd_nonblocking` maps the mode a new socket
/// starts in to whether its fd is `O_NONBLOCK`.
macro_rules! constructors {
    (
        $ty:ident,
        from_parts: $from_parts:ident,
        fd_nonblocking: $fd_nonblocking:expr,
        $(#[$new_doc:meta])* fn new;
        $(#[$pair_doc:meta])* fn pair;
        $(#[$from_fd_doc:meta])* fn from_fd;
        $(#[$dup_doc:meta])* fn dup;
    ) => {
        impl $ty {
            $(#[$new_doc])*
            pub fn new(
                family: ::asock_core::AddressFamily,
                kind: ::asock_core::SocketKind,
                proto: impl Into<Option<::asock_core::Protocol>>,
            ) -> ::asock_core::Result<$ty> {
                let mode = $crate::mode::initial_mode(kind);
                let shape = $crate::ops::Shape::new(family, kind, proto);
                let fd = $crate::ops::create::socket(shape, ($fd_nonblocking)(mode))?;
                Ok($ty::$from_parts(fd, shape, mode))
            }

            $(#[$pair_doc])*
            pub fn pair(
                family: ::asock_core::AddressFamily,
                kind: ::asock_core::SocketKind,
                proto: impl Into<Option<::asock_core::Protocol>>,
            ) -> ::asock_core::Result<($ty, $ty)> {
                let mode = $crate::mode::initial_mode(kind);
                let shape = $crate::ops::Shape::new(family, kind, proto);
                let (a, b) = $crate::ops::create::pair(shape, ($fd_nonblocking)(mode))?;
                Ok(($ty::$from_parts(a, shape, mode), $ty::$from_parts(b, shape, mode)))
            }

            $(#[$from_fd_doc])*
            pub fn from_fd(fd: std::os::fd::BorrowedFd<'_>) -> ::asock_core::Result<$ty> {
                $ty::adopt($crate::ops::create::dup(fd)?)
            }

            $(#[$dup_doc])*
            pub fn dup(&self) -> ::asock_core::Result<$ty> {
                let fd = $crate::ops::create::dup(self.fd()?)?;
                Ok($ty::$from_parts(fd, self.shape(), self.mode()))
            }
        }
    };
}

/// `family`, `kind`, `proto`, `options`, `inheritable` and `set_inheritable`: what the socket
/// is, read from its shape and its fd.
macro_rules! shape_methods {
    ($ty:ident, setup: $setup:literal $(,)?) => {
        impl $ty {
            /// The address family the socket was created with: Python's `family` attribute.
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(a.family(), asock::AddressFamily::AF_UNIX);
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn family(&self) -> ::asock_core::AddressFamily {
                self.shape().family
            }

            /// The socket kind, without `SOCK_NONBLOCK` / `SOCK_CLOEXEC`: Python's `type`
            /// attribute.
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(a.kind(), asock::SocketKind::SOCK_STREAM);
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn kind(&self) -> ::asock_core::SocketKind {
                self.shape().kind
            }

            /// The protocol the socket was created with: Python's `proto` attribute (as
            /// given to [`new`](Self::new), or read back with `SO_PROTOCOL` for adopted fds).
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(a.proto().raw(), 0);
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn proto(&self) -> ::asock_core::Protocol {
                self.shape().proto
            }

            /// The socket's options: Python's `getsockopt` / `setsockopt`, raw and typed (see
            /// [`SocketOptions`](crate::SocketOptions)): the same view every asock socket
            /// hands out.
            ///
            /// ```
            #[doc = $setup]
            /// a.options().set_send_buffer_size(1 << 16)?;
            /// assert!(a.options().send_buffer_size()? >= 1 << 16);
            /// a.options().set_recv_buffer_size(1 << 16)?;
            /// assert!(a.options().recv_buffer_size()? >= 1 << 16);
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn options(&self) -> $crate::ops::options::SocketOptions<'_> {
                $crate::ops::options::SocketOptions::new(self.fd().ok())
            }

            /// Whether the fd is inherited by programs this process `exec`s: Python's
            /// `get_inheritable()` (`FD_CLOEXEC` unset). asock's fds start non-inheritable.
            ///
            /// ```
            #[doc = $setup]
            /// assert!(!a.inheritable()?);
            /// a.set_inheritable(true)?;
            /// assert!(a.inheritable()?);
            /// # Ok::<(), asock::Error>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EBADF` when closed.
            pub fn inheritable(&self) -> ::asock_core::Result<bool> {
                Ok(!$crate::sys::fd::is_cloexec(self.fd()?)?)
            }

            /// Makes the fd inheritable across `exec` or not: Python's `set_inheritable()`.
            ///
            /// ```
            #[doc = $setup]
            /// a.set_inheritable(true)?; // a child process started now would get this fd
            /// a.set_inheritable(false)?;
            /// assert!(!a.inheritable()?);
            /// # Ok::<(), asock::Error>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EBADF` when closed.
            pub fn set_inheritable(&self, inheritable: bool) -> ::asock_core::Result<()> {
                Ok(socket2::SockRef::from(&self.fd()?).set_cloexec(!inheritable)?)
            }
        }
    };
}

/// `set_timeout_secs`, `timeout`, `set_blocking` and `is_blocking`: Python's `settimeout`
/// family around the type's own `set_timeout` and `mode()`. `fd` is a sentence on the fd's
/// `O_NONBLOCK` for `is_blocking`'s doc.
macro_rules! mode_methods {
    (
        $ty:ident,
        setup: $setup:literal,
        fd: $fd:literal,
        $(#[$set_blocking_doc:meta])* fn set_blocking;
    ) => {
        impl $ty {
            /// [`set_timeout`](Self::set_timeout) in seconds, checked as Python's
            /// `settimeout(float)`.
            ///
            /// ```
            #[doc = $setup]
            /// a.set_timeout_secs(Some(1.5))?;
            /// assert_eq!(a.timeout(), Some(std::time::Duration::from_millis(1500)));
            /// assert_eq!(a.set_timeout_secs(Some(-1.0)).unwrap_err().to_string(), "Timeout value out of range");
            /// assert_eq!(a.set_timeout_secs(Some(f64::NAN)).unwrap_err().to_string(), "Invalid value NaN (not a number)");
            /// # Ok::<(), asock::Error>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `InvalidInput` for NaN, a negative value, or one too large (infinity
            /// included), with Python's messages; `EBADF` when closed.
            pub fn set_timeout_secs(&self, secs: Option<f64>) -> ::asock_core::Result<()> {
                let mode = $crate::mode::Mode::from_secs_f64(secs)?;
                self.set_timeout(mode.timeout())
            }

            /// The timeout: Python's `gettimeout()`. `None` in blocking mode, `Some(ZERO)` in
            /// non-blocking mode.
            ///
            /// ```
            /// # asock::set_default_timeout(None)?;
            #[doc = $setup]
            /// assert_eq!(a.timeout(), None);
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn timeout(&self) -> Option<std::time::Duration> {
                self.mode().timeout()
            }

            $(#[$set_blocking_doc])*
            pub fn set_blocking(&self, blocking: bool) -> ::asock_core::Result<()> {
                self.set_timeout(if blocking { None } else { Some(std::time::Duration::ZERO) })
            }

            /// Python's `getblocking()`: `false` only in non-blocking mode (a timeout counts
            /// as blocking, as in CPython).
            #[doc = $fd]
            ///
            /// ```
            #[doc = $setup]
            /// a.set_timeout_secs(Some(2.0))?;
            /// assert!(a.is_blocking());
            /// # Ok::<(), asock::Error>(())
            /// ```
            #[must_use]
            pub fn is_blocking(&self) -> bool {
                self.mode() != $crate::mode::Mode::NonBlocking
            }
        }
    };
}

/// `shutdown`, `local_addr` and `peer_addr`: the naming calls that never wait. `path` is the
/// type's public path, for the examples.
macro_rules! naming_methods {
    (
        $ty:ident,
        setup: $setup:literal,
        path: $path:literal,
        $(#[$shutdown_doc:meta])* fn shutdown;
    ) => {
        impl $ty {
            $(#[$shutdown_doc])*
            pub fn shutdown(&self, how: std::net::Shutdown) -> ::asock_core::Result<()> {
                $crate::ops::naming::shutdown(self.fd()?, how)
            }

            /// The socket's own address: Python's `getsockname()` (`getsockname(2)`). An
            /// unbound or unnamed `AF_UNIX` socket gives `UnixAddr::Unnamed`.
            ///
            /// ```
            /// let sock = std::net::UdpSocket::bind("127.0.0.1:0")?;
            /// let expected = sock.local_addr()?;
            #[doc = concat!("let sock = ", $path, "::from(sock);")]
            /// assert_eq!(sock.local_addr()?, expected.into());
            /// assert!(sock.local_addr()?.port().is_some_and(|port| port > 0));
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `EBADF` when closed.
            pub fn local_addr(&self) -> ::asock_core::Result<::asock_core::SockAddr> {
                $crate::ops::naming::local_addr(self.fd()?)
            }

            /// The connected peer's address: Python's `getpeername()` (`getpeername(2)`).
            ///
            /// ```
            #[doc = $setup]
            /// assert_eq!(a.peer_addr()?, asock::SockAddr::Unix(asock::UnixAddr::Unnamed));
            /// # Ok::<(), asock::Error>(())
            /// ```
            ///
            /// # Errors
            ///
            /// `ENOTCONN` when not connected, `EBADF` when closed.
            pub fn peer_addr(&self) -> ::asock_core::Result<::asock_core::SockAddr> {
                $crate::ops::naming::peer_addr(self.fd()?)
            }
        }
    };
}

/// Calls `$m! { $args ... list }` with the list of `std` socket types, each with the kind
/// and families it must have: `TcpStream: SOCK_STREAM, [AF_INET, AF_INET6]; ...`. The names
/// are bare; the caller imports them (`std::net`, `std::os::unix::net`).
macro_rules! for_std_sockets {
    ($($m:ident)::+ $(, $($args:tt)*)?) => {
        $($m)::+! {
            $($($args)*)?
            TcpStream: SOCK_STREAM, [AF_INET, AF_INET6];
            TcpListener: SOCK_STREAM, [AF_INET, AF_INET6];
            UdpSocket: SOCK_DGRAM, [AF_INET, AF_INET6];
            UnixStream: SOCK_STREAM, [AF_UNIX];
            UnixListener: SOCK_STREAM, [AF_UNIX];
            UnixDatagram: SOCK_DGRAM, [AF_UNIX];
        }
    };
}

/// `From<$std> for $ty` and `TryFrom<$ty> for $std` for every type of [`for_std_sockets!`],
/// then the same for `socket2::Socket`. Into `$ty`, through `From<OwnedFd>`; out of it,
/// through the type's `check_fits` (the kind and family, so that a datagram socket never
/// becomes a `TcpStream`) and `into_std_fd` (the fd, as the `std` types want it). `adopt` and
/// `moved` end the two impls' docs.
macro_rules! std_conversions {
    (
        $ty:ident, adopt: $adopt:literal, moved: $moved:literal;
        $($std:ident: $kind:ident, [$($family:ident),+];)*
    ) => {
        $(
            impl From<$std> for $ty {
                #[doc = concat!("Adopts the `", stringify!($std), "`'s fd: ", $adopt)]
                fn from(socket: $std) -> $ty {
                    $ty::from(std::os::fd::OwnedFd::from(socket))
                }
            }

            impl TryFrom<$ty> for $std {
                type Error = ::asock_core::Error;

                #[doc = concat!("Moves the fd into a `", stringify!($std), "` (", $moved, ").")]
                ///
                /// `EBADF` if the socket was closed; `InvalidInput` (and the socket closed)
                /// if its kind or family does not fit.
                fn try_from(socket: $ty) -> ::asock_core::Result<$std> {
                    let families = [$(::asock_core::AddressFamily::$family),+];
                    socket.check_fits(::asock_core::SocketKind::$kind, &families, stringify!($std))?;
                    socket.into_std_fd().map(<$std>::from)
                }
            }
        )*

        impl From<socket2::Socket> for $ty {
            #[doc = concat!("Adopts the socket2 socket's fd, as [`From<OwnedFd>`](#impl-From<OwnedFd>-for-", stringify!($ty), ").")]
            fn from(socket: socket2::Socket) -> $ty {
                $ty::from(std::os::fd::OwnedFd::from(socket))
            }
        }

        impl TryFrom<$ty> for socket2::Socket {
            type Error = ::asock_core::Error;

            #[doc = concat!("Moves the fd into a `socket2::Socket` (", $moved, "); `EBADF` if the")]
            /// socket was closed.
            fn try_from(socket: $ty) -> ::asock_core::Result<socket2::Socket> {
                socket.into_std_fd().map(socket2::Socket::from)
            }
        }
    };
}

/// Two batch calls with the same arguments on both doors: `$send(state, batch)` and
/// `$recv(state, bufs, metas)`, each one `self.$via(op)` returning `Result<usize>`
/// (`blocking::Socket`'s `send_batch` / `recv_batch` run in its mode, `AsyncSocket`'s
/// `try_send_batch` / `try_recv_batch` try once).
macro_rules! batch_calls {
    (
        $ty:ident via $via:ident,
        $(#[$send_doc:meta])* fn $send:ident;
        $(#[$recv_doc:meta])* fn $recv:ident;
    ) => {
        impl $ty {
            $(#[$send_doc])*
            pub fn $send(
                &self,
                state: &$crate::ops::batch::BatchState,
                batch: &[$crate::ops::batch::Transmit<'_>],
            ) -> ::asock_core::Result<usize> {
                self.$via($crate::ops::batch::SendBatch { state, batch })
            }

            $(#[$recv_doc])*
            pub fn $recv(
                &self,
                state: &$crate::ops::batch::BatchState,
                bufs: &mut [std::io::IoSliceMut<'_>],
                metas: &mut [$crate::ops::batch::RecvMeta],
            ) -> ::asock_core::Result<usize> {
                self.$via($crate::ops::batch::RecvBatch { state, bufs, metas })
            }
        }
    };
}

pub(crate) use {
    batch_calls, constructors, for_std_sockets, mode_methods, naming_methods, shape_methods,
    std_conversions,
};
