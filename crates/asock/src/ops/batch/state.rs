//! `BatchState`: what batching knows about one socket, and the GSO fallback it keeps.

use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::capabilities;
use crate::ops::create;
use crate::sys::options;
use asock_core::{AddressFamily, Error, Result, SocketKind};

/// The per-socket state of batched UDP: the socket's family, how many segments a GSO send
/// may carry on it, and whether GRO is on.
///
/// Make one per socket, after creating (or adopting) it, and pass it to every
/// [`try_send_batch`](super::try_send_batch) and [`try_recv_batch`](super::try_recv_batch)
/// on that socket. It is `Sync`: tasks sharing the socket share it.
///
/// **The GSO fallback.** Some routes cannot take a GSO send (an IPsec route; on kernels
/// before 6.11 a device without checksum offload), and the kernel then refuses it with
/// `EIO`, sending nothing. The first such refusal turns GSO off for this socket for good and
/// the same entries are sent again one datagram per message: nothing is lost, nothing sent
/// twice, and later batches go the slow way without being refused first.
///
/// ```
/// use std::net::UdpSocket;
/// use std::os::fd::AsFd;
/// use asock::batch::{capabilities, BatchState};
///
/// let socket = UdpSocket::bind("127.0.0.1:0")?;
/// let state = BatchState::new(socket.as_fd())?;
/// assert_eq!(state.max_gso_segments(), capabilities().max_gso_segments);
/// assert!(!state.gro());
/// if capabilities().gro {
///     state.set_gro(socket.as_fd(), true)?;
///     assert!(state.gro());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BatchState {
    family: AddressFamily,
    max_gso_segments: AtomicUsize,
    gro: AtomicBool,
    /// Test hook: answer every GSO send with `EIO`, as a refusing route does.
    refuse_gso: AtomicBool,
}

impl BatchState {
    /// Reads what batching needs from `fd`: its family, and whether `UDP_GRO` is already on.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if `fd` is not an IPv4 or IPv6 datagram socket; `EBADF` and the like
    /// from `getsockopt`.
    pub fn new(fd: BorrowedFd<'_>) -> Result<Self> {
        let shape = create::shape_of(fd)?;
        let (family, kind) = (shape.family, shape.kind);
        let ip = family == AddressFamily::AF_INET || family == AddressFamily::AF_INET6;
        if !ip || kind != SocketKind::SOCK_DGRAM {
            return Err(Error::invalid_input(format!(
                "batched UDP needs an AF_INET or AF_INET6 SOCK_DGRAM socket, not {family:?} {kind:?}"
            )));
        }
        let gro = options::get_option_int(fd, libc::SOL_UDP, libc::UDP_GRO).is_ok_and(|v| v != 0);
        Ok(BatchState {
            family,
            max_gso_segments: AtomicUsize::new(capabilities().max_gso_segments),
            gro: AtomicBool::new(gro),
            refuse_gso: AtomicBool::new(false),
        })
    }

    /// The socket's family (`AF_INET` or `AF_INET6`).
    #[must_use]
    pub fn family(&self) -> AddressFamily {
        self.family
    }

    /// How many datagrams one GSO send may carry on this socket: the kernel's limit
    /// ([`capabilities`](super::capabilities)), or 1 once GSO is off (no GSO in the kernel,
    /// a refusal, or [`disable_gso`](Self::disable_gso)). A longer train is sent as several
    /// GSO messages.
    #[must_use]
    pub fn max_gso_segments(&self) -> usize {
        self.max_gso_segments.load(Ordering::Relaxed)
    }

    /// Whether sends on this socket use GSO.
    #[must_use]
    pub fn gso_enabled(&self) -> bool {
        self.max_gso_segments() > 1
    }

    /// Turns GSO off for this socket: trains go one datagram per message from now on.
    pub fn disable_gso(&self) {
        self.max_gso_segments.store(1, Ordering::Relaxed);
    }

    /// Whether `UDP_GRO` is on, as far as this state knows: set it through
    /// [`set_gro`](Self::set_gro), so that receives size their buffers for it.
    #[must_use]
    pub fn gro(&self) -> bool {
        self.gro.load(Ordering::Relaxed)
    }

    /// Turns `UDP_GRO` on or off (`setsockopt(SOL_UDP, UDP_GRO)`): with it on, the kernel
    /// may hand several datagrams of one sender over as one message (see
    /// [`RecvMeta::segments`](super::RecvMeta::segments)), and every receive buffer must hold
    /// [`GRO_BUFFER_MIN`](super::GRO_BUFFER_MIN) bytes.
    ///
    /// # Errors
    ///
    /// `ENOPROTOOPT` on a kernel without UDP GRO (before Linux 5.0), `EBADF` and the like.
    pub fn set_gro(&self, fd: BorrowedFd<'_>, on: bool) -> Result<()> {
        options::set_option_int(fd, libc::SOL_UDP, libc::UDP_GRO, c_int_from(on))?;
        self.gro.store(on, Ordering::Relaxed);
        Ok(())
    }

    /// Test hook, not part of the API: from now on this socket's GSO sends fail with `EIO`
    /// before reaching the kernel, exactly as a route that refuses GSO makes them fail, so
    /// that the fallback can be tested on kernels where no route refuses.
    #[doc(hidden)]
    pub fn refuse_gso_for_testing(&self) {
        self.refuse_gso.store(true, Ordering::Relaxed);
    }

    pub(crate) fn refuses_gso(&self) -> bool {
        self.refuse_gso.load(Ordering::Relaxed)
    }

    /// The fallback: `EIO` came back for a GSO send.
    pub(crate) fn gso_refused(&self) {
        if self.gso_enabled() {
            tracing::debug!("UDP GSO refused with EIO: sending one datagram per message");
        }
        self.disable_gso();
    }
}

fn c_int_from(on: bool) -> libc::c_int {
    libc::c_int::from(on)
}
