//! `Protocol`: the third argument of `socket(2)`.

c_int_newtype! {
    /// A protocol number (`IPPROTO_*`), the third argument of `socket(2)`.
    ///
    /// Python passes protocols as plain integers; here they are a newtype so that the C name
    /// prints. Families other than IP reuse the number space with their own meaning
    /// (`NETLINK_ROUTE` is 0, as is `IPPROTO_IP`): those constants live in
    /// [`consts`](crate::consts), and `Protocol::from(consts::NETLINK_ROUTE)` builds one.
    ///
    /// ```
    /// use asock_core::Protocol;
    ///
    /// assert_eq!(Protocol::IPPROTO_TCP.raw(), 6);
    /// assert_eq!(Protocol::from_name("IPPROTO_UDP"), Some(Protocol::IPPROTO_UDP));
    /// assert_eq!(format!("{:?}", Protocol::from(0)), "IPPROTO_IP");
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
