//! `SocketKind`: the second argument of `socket(2)`.

c_int_newtype! {
    /// A socket kind (`SOCK_*`), Python's `socket.SocketKind`.
    ///
    /// Linux lets `SOCK_NONBLOCK` and `SOCK_CLOEXEC` ride in the same argument; they are kept
    /// apart as flags here, and [`SocketKind::base`] strips them, as Python's `socket.type` does.
    ///
    /// ```
    /// use asock_core::SocketKind;
    ///
    /// let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    /// assert!(kind.is_nonblocking());
    /// assert_eq!(kind.base(), SocketKind::SOCK_STREAM);
    /// assert_eq!(SocketKind::SOCK_DGRAM.to_string(), "SOCK_DGRAM");
    /// ```
    pub struct SocketKind;
    SOCK_STREAM = libc::SOCK_STREAM;
    SOCK_DGRAM = libc::SOCK_DGRAM;
    SOCK_RAW = libc::SOCK_RAW;
    SOCK_RDM = libc::SOCK_RDM;
    SOCK_SEQPACKET = libc::SOCK_SEQPACKET;
    /// Flag: create the socket in non-blocking mode.
    SOCK_NONBLOCK = libc::SOCK_NONBLOCK;
    /// Flag: close the socket on `exec` (asock always sets it).
    SOCK_CLOEXEC = libc::SOCK_CLOEXEC;
}

impl SocketKind {
    const FLAGS: libc::c_int = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;

    /// The kind without the `SOCK_NONBLOCK` / `SOCK_CLOEXEC` flags.
    #[must_use]
    pub const fn base(self) -> Self {
        Self(self.0 & !Self::FLAGS)
    }

    /// This kind with `flags` (`SOCK_NONBLOCK`, `SOCK_CLOEXEC`) added.
    #[must_use]
    pub const fn with_flags(self, flags: Self) -> Self {
        Self(self.0 | flags.0)
    }

    /// Whether `SOCK_NONBLOCK` is set.
    #[must_use]
    pub const fn is_nonblocking(self) -> bool {
        self.0 & libc::SOCK_NONBLOCK != 0
    }

    /// Whether `SOCK_CLOEXEC` is set.
    #[must_use]
    pub const fn is_cloexec(self) -> bool {
        self.0 & libc::SOCK_CLOEXEC != 0
    }
}
