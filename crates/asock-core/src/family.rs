//! `AddressFamily`: the first argument of `socket(2)`.

c_int_newtype! {
    /// An address family (`AF_*`), Python's `socket.AddressFamily`.
    ///
    /// Every family Python's `socket` module names on Linux is an associated constant under the
    /// same name. Values with no name still round-trip and print as a number.
    ///
    /// ```
    /// use asock_core::AddressFamily;
    ///
    /// assert_eq!(AddressFamily::AF_INET.to_string(), "AF_INET");
    /// assert_eq!(AddressFamily::from_name("AF_INET6"), Some(AddressFamily::AF_INET6));
    /// assert_eq!(AddressFamily::from(4242).to_string(), "4242");
    /// ```
    pub struct AddressFamily;
    AF_UNSPEC = libc::AF_UNSPEC;
    AF_UNIX = libc::AF_UNIX;
    AF_INET = libc::AF_INET;
    AF_AX25 = libc::AF_AX25;
    AF_IPX = libc::AF_IPX;
    AF_APPLETALK = libc::AF_APPLETALK;
    AF_NETROM = libc::AF_NETROM;
    AF_BRIDGE = libc::AF_BRIDGE;
    AF_ATMPVC = libc::AF_ATMPVC;
    AF_X25 = libc::AF_X25;
    AF_INET6 = libc::AF_INET6;
    AF_ROSE = libc::AF_ROSE;
    AF_NETBEUI = libc::AF_NETBEUI;
    AF_SECURITY = libc::AF_SECURITY;
    AF_KEY = libc::AF_KEY;
    AF_NETLINK = libc::AF_NETLINK;
    AF_ROUTE = libc::AF_ROUTE;
    AF_PACKET = libc::AF_PACKET;
    AF_ASH = libc::AF_ASH;
    AF_ECONET = libc::AF_ECONET;
    AF_ATMSVC = libc::AF_ATMSVC;
    AF_RDS = libc::AF_RDS;
    AF_SNA = libc::AF_SNA;
    AF_IRDA = libc::AF_IRDA;
    AF_PPPOX = libc::AF_PPPOX;
    AF_WANPIPE = libc::AF_WANPIPE;
    AF_LLC = libc::AF_LLC;
    AF_CAN = libc::AF_CAN;
    AF_TIPC = libc::AF_TIPC;
    AF_BLUETOOTH = libc::AF_BLUETOOTH;
    AF_ALG = libc::AF_ALG;
    AF_VSOCK = libc::AF_VSOCK;
    AF_QIPCRTR = 42;
    #[allow(non_upper_case_globals)]
    AF_DECnet = libc::AF_DECnet;
}
