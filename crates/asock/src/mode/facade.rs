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
            pub fn shutdown(&self, how: std::net::Shutdown) -> $crate::Result<()> {
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
            pub fn local_addr(&self) -> $crate::Result<$crate::SockAddr> {
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
            pub fn peer_addr(&self) -> $crate::Result<$crate::SockAddr> {
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
                type Error = $crate::Error;

                #[doc = concat!("Moves the fd into a `", stringify!($std), "` (", $moved, ").")]
                ///
                /// `EBADF` if the socket was closed; `InvalidInput` (and the socket closed)
                /// if its kind or family does not fit.
                fn try_from(socket: $ty) -> $crate::Result<$std> {
                    let families = [$($crate::AddressFamily::$family),+];
                    socket.check_fits($crate::SocketKind::$kind, &families, stringify!($std))?;
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
            type Error = $crate::Error;

            #[doc = concat!("Moves the fd into a `socket2::Socket` (", $moved, "); `EBADF` if the")]
            /// socket was closed.
            fn try_from(socket: $ty) -> $crate::Result<socket2::Socket> {
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
                state: &$crate::batch::BatchState,
                batch: &[$crate::batch::Transmit<'_>],
            ) -> $crate::Result<usize> {
                self.$via($crate::ops::batch::SendBatch { state, batch })
            }

            $(#[$recv_doc])*
            pub fn $recv(
                &self,
                state: &$crate::batch::BatchState,
                bufs: &mut [std::io::IoSliceMut<'_>],
                metas: &mut [$crate::batch::RecvMeta],
            ) -> $crate::Result<usize> {
                self.$via($crate::ops::batch::RecvBatch { state, bufs, metas })
            }
        }
    };
}

pub(crate) use {batch_calls, for_std_sockets, naming_methods, std_conversions};
