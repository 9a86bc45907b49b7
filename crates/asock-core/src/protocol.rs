//! `Protocol`: the third argument of `socket(2)`.

c_int_newtype! {
    /// A protocol number (`IPPROTO_*`), the third argument of `socket(2)`.
    ///
    /// Python passes protocols as plain integers; here they are a newtype so that the C name
    /// prints. Families other than IP reuse the number space with their own meaning
    /// (`NETLINK_ROUTE` is 0, as is `IPPROTO_IP`): those constants live in
    /// [`consts`](crate::consts), and `Protocol::from(consts::NETLINK_ROUTE)` builds one.
    ///
    /// Python's `proto=0`, "the family's default protocol for this kind", is
    /// [`Protocol::DEFAULT`] (also `Protocol::default()`); it prints as `IPPROTO_IP`, the name
    /// of 0.
    ///
    /// ```
    /// use asock_core::Protocol;
    ///
    /// assert_eq!(Protocol::IPPROTO_TCP.raw(), 6);
    /// assert_eq!(Protocol::from_name("IPPROTO_UDP"), Some(Protocol::IPPROTO_UDP));
    /// assert_eq!(Protocol::DEFAULT.raw(), 0);
    /// assert_eq!(format!("{:?}", Protocol::DEFAULT), "IPPROTO_IP");
    /// ```
    pub struct Protocol;
    IPPROTO_IP = libc::IPPROTO_IP;
    IPPROTO_HOPOPTS = libc::IPPROTO_HOPOPTS;
    IPPROTO_ICMP = libc::IPPROTO_ICMP;
    IPPROTO_IGMP = libc::IPPROTO_IGMP;
    IPPROTO_IPIP = libc::IPPROTO_IPIP;
    IPPROTO_TCP = libc::IPPROTO_TCP;
    IPPROTO_EGP = libc::IPPROTO_EGP;
    IPPROTO_PUP = libc::IPPROTO_PUP;
    IPPROTO_UDP = libc::IPPROTO_UDP;
    IPPROTO_IDP = libc::IPPROTO_IDP;
    IPPROTO_TP = libc::IPPROTO_TP;
    IPPROTO_IPV6 = libc::IPPROTO_IPV6;
    IPPROTO_ROUTING = libc::IPPROTO_ROUTING;
    IPPROTO_FRAGMENT = libc::IPPROTO_FRAGMENT;
    IPPROTO_RSVP = libc::IPPROTO_RSVP;
    IPPROTO_GRE = libc::IPPROTO_GRE;
    IPPROTO_ESP = libc::IPPROTO_ESP;
    IPPROTO_AH = libc::IPPROTO_AH;
    IPPROTO_ICMPV6 = libc::IPPROTO_ICMPV6;
    IPPROTO_NONE = libc::IPPROTO_NONE;
    IPPROTO_DSTOPTS = libc::IPPROTO_DSTOPTS;
    IPPROTO_PIM = libc::IPPROTO_PIM;
    IPPROTO_SCTP = libc::IPPROTO_SCTP;
    IPPROTO_UDPLITE = libc::IPPROTO_UDPLITE;
    IPPROTO_RAW = libc::IPPROTO_RAW;
    IPPROTO_MPTCP = libc::IPPROTO_MPTCP;
}

impl Protocol {
    /// Protocol 0: `socket(2)` picks the family's default for the kind (TCP for an
    /// `AF_INET` stream, UDP for an `AF_INET` datagram socket, ...). Python's `proto=0`.
    ///
    /// An operation that takes `proto: impl Into<Option<Protocol>>` reads the same with
    /// `None` or with this: `Option<Protocol>` comes from `None`, `Some(p)` and a bare
    /// `Protocol` alike (std's `From<T> for Option<T>`), so no call site needs
    /// `Protocol::from(0)`.
    ///
    /// ```
    /// use asock_core::Protocol;
    ///
    /// // The shape the async front door takes its protocol in.
    /// fn socket_proto(proto: impl Into<Option<Protocol>>) -> i32 {
    ///     proto.into().unwrap_or(Protocol::DEFAULT).raw()
    /// }
    ///
    /// assert_eq!(socket_proto(None), 0);
    /// assert_eq!(socket_proto(Protocol::DEFAULT), 0);
    /// assert_eq!(socket_proto(Protocol::IPPROTO_TCP), 6);
    /// assert_eq!(socket_proto(Some(Protocol::IPPROTO_UDP)), 17);
    /// assert_eq!(Protocol::default(), Protocol::DEFAULT);
    /// ```
    pub const DEFAULT: Self = Self(0);
}

impl Default for Protocol {
    /// [`Protocol::DEFAULT`]: 0, the family's default.
    fn default() -> Self {
        Self::DEFAULT
    }
}
