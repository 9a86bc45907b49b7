//! `inet_aton`, `inet_ntoa`, `inet_pton`, `inet_ntop`.

use crate::{AddressFamily, Result};

/// Python's `socket.inet_aton`: an IPv4 address in any form the C library accepts, packed.
///
/// # Errors
///
/// `InvalidInput` ("illegal IP address string passed to inet_aton") as Python's `OSError`.
pub fn inet_aton(text: &str) -> Result<[u8; 4]> {
    let _ = text;
    Err(crate::Error::invalid_input("illegal IP address string passed to inet_aton"))
}

/// Python's `socket.inet_ntoa`.
///
/// # Errors
///
/// `InvalidInput` when `packed` is not 4 bytes.
pub fn inet_ntoa(packed: &[u8]) -> Result<String> {
    let _ = packed;
    Err(crate::Error::invalid_input("packed IP wrong length for inet_ntoa"))
}

/// Python's `socket.inet_pton`.
///
/// # Errors
///
/// As Python.
pub fn inet_pton(family: AddressFamily, text: &str) -> Result<Vec<u8>> {
    let _ = (family, text);
    Err(crate::Error::invalid_input("illegal IP address string passed to inet_pton"))
}

/// Python's `socket.inet_ntop`.
///
/// # Errors
///
/// As Python.
pub fn inet_ntop(family: AddressFamily, packed: &[u8]) -> Result<String> {
    let _ = (family, packed);
    Err(crate::Error::invalid_input("invalid length of packed IP address string"))
}
