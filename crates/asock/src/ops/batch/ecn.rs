//! `Ecn`: the two ECN bits of a datagram's IP header.

/// The Explicit Congestion Notification codepoint of a datagram (RFC 3168): the low two bits
/// of the IPv4 TOS byte or the IPv6 traffic class.
///
/// "Not ECN-capable" (`0b00`) is the absence of a codepoint: `Option<Ecn>::None`.
///
/// ```
/// use asock::batch::Ecn;
///
/// assert_eq!(Ecn::from_bits(0b10), Some(Ecn::Ect0));
/// assert_eq!(Ecn::from_bits(0xb8 | 0b11), Some(Ecn::Ce)); // DSCP bits are ignored
/// assert_eq!(Ecn::from_bits(0), None);
/// assert_eq!(Ecn::Ect1.bits(), 0b01);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Ecn {
    /// `ECT(1)`: ECN-capable transport, codepoint 1 (L4S uses it).
    Ect1 = 0b01,
    /// `ECT(0)`: ECN-capable transport, codepoint 0 (the classic choice).
    Ect0 = 0b10,
    /// `CE`: congestion experienced, set by a router on the way.
    Ce = 0b11,
}

impl Ecn {
    /// The codepoint in the low two bits of a TOS byte or traffic class; `None` for
    /// "not ECN-capable".
    #[must_use]
    pub fn from_bits(tos: u8) -> Option<Ecn> {
        match tos & 0b11 {
            0b01 => Some(Ecn::Ect1),
            0b10 => Some(Ecn::Ect0),
            0b11 => Some(Ecn::Ce),
            _ => None,
        }
    }

    /// The two bits, as they go in the TOS byte or traffic class.
    #[must_use]
    pub fn bits(self) -> u8 {
        self as u8
    }
}
