//! Byte order: Python's `htonl`, `htons`, `ntohl`, `ntohs`.
//!
//! Python takes any int and raises `OverflowError` outside the type's range; in Rust the
//! argument type already is the range, so these cannot fail.

/// Host to network byte order, 32 bits (Python's `socket.htonl`).
///
/// ```
/// assert_eq!(asock_core::htonl(1), 1u32.to_be());
/// ```
#[must_use]
pub const fn htonl(x: u32) -> u32 {
    x.to_be()
}

/// Host to network byte order, 16 bits (Python's `socket.htons`).
///
/// ```
/// assert_eq!(asock_core::htons(0x1234), 0x1234u16.to_be());
/// ```
#[must_use]
pub const fn htons(x: u16) -> u16 {
    x.to_be()
}

/// Network to host byte order, 32 bits (Python's `socket.ntohl`).
///
/// ```
/// assert_eq!(asock_core::ntohl(asock_core::htonl(7)), 7);
/// ```
#[must_use]
pub const fn ntohl(x: u32) -> u32 {
    u32::from_be(x)
}

/// Network to host byte order, 16 bits (Python's `socket.ntohs`).
///
/// ```
/// assert_eq!(asock_core::ntohs(asock_core::htons(7)), 7);
/// ```
#[must_use]
pub const fn ntohs(x: u16) -> u16 {
    u16::from_be(x)
}
