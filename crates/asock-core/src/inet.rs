//! `inet_aton`, `inet_ntoa`, `inet_pton`, `inet_ntop`: Python's address-text conversions.
//!
//! Python hands the text to the C library and reports its verdict; so does this module, so
//! the odd corners come out the same: `inet_aton` takes the historical forms (`127.1`,
//! `0x7f.1`, octal `010.0.0.1`, anything after a space), `inet_pton` only the strict ones, and
//! `inet_ntop` prints IPv4-compatible addresses as glibc does (`::0.255.0.0`), not as Rust's
//! `Ipv6Addr` does (`::ff:0`).
//!
//! Python raises three kinds of error here, and each maps to an [`Error`]:
//!
//! | Python | asock |
//! |---|---|
//! | `OSError` with an errno (`[Errno 97] Address family not supported by protocol`) | [`Error::from_errno`] (kind `Os`) |
//! | `OSError` without one (`illegal IP address string passed to inet_aton`) | kind `InvalidInput`, same text |
//! | `ValueError` (`embedded null character`, `invalid length of packed IP address string`) | kind `InvalidInput`, same text |

use std::ffi::CString;

use crate::{sys, AddressFamily, Error, Result};

/// Python's `ValueError` for a string argument with a NUL in it (the C call would see a
/// shorter string than the caller wrote).
const EMBEDDED_NUL: &str = "embedded null character";

/// Python's `socket.inet_aton`: an IPv4 address in any form glibc's `inet_aton(3)` accepts,
/// as 4 bytes in network order.
///
/// The forms are `a.b.c.d`, `a.b.c` (c fills 16 bits), `a.b` (b fills 24 bits) and `a` (32
/// bits), each part decimal, octal (`0` prefix) or hex (`0x` prefix); whatever follows a
/// whitespace character is ignored.
///
/// ```
/// use asock_core::inet_aton;
///
/// assert_eq!(inet_aton("127.0.0.1")?, [127, 0, 0, 1]);
/// assert_eq!(inet_aton("127.1")?, [127, 0, 0, 1]);
/// assert_eq!(inet_aton("0x7f.1")?, [127, 0, 0, 1]);
/// assert_eq!(inet_aton("010.0.0.1")?, [8, 0, 0, 1]);
/// assert_eq!(inet_aton("1.2.3.4 trailing text")?, [1, 2, 3, 4]);
/// assert!(inet_aton("1.2.3.256").is_err());
/// # Ok::<(), asock_core::Error>(())
/// ```
///
/// # Errors
///
/// - `InvalidInput` "embedded null character" (Python's `ValueError`) if `text` holds a NUL.
/// - `InvalidInput` "illegal IP address string passed to inet_aton" (Python's `OSError`
///   without an errno) if glibc rejects the text.
pub fn inet_aton(text: &str) -> Result<[u8; 4]> {
    let c_text = CString::new(text).map_err(|_| Error::invalid_input(EMBEDDED_NUL))?;
    sys::c_inet_aton(&c_text)
        .ok_or_else(|| Error::invalid_input("illegal IP address string passed to inet_aton"))
}

/// Python's `socket.inet_ntoa`: 4 packed bytes as a dotted quad.
///
/// ```
/// use asock_core::inet_ntoa;
///
/// assert_eq!(inet_ntoa(&[192, 168, 0, 1])?, "192.168.0.1");
/// assert!(inet_ntoa(&[1, 2, 3]).is_err());
/// # Ok::<(), asock_core::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` "packed IP wrong length for inet_ntoa" (Python's `OSError` without an
/// errno) unless `packed` is exactly 4 bytes.
pub fn inet_ntoa(packed: &[u8]) -> Result<String> {
    // C's inet_ntoa writes a static buffer (not thread-safe); its output is plain dotted
    // decimal, which is all this is.
    match packed {
        [a, b, c, d] => Ok(format!("{a}.{b}.{c}.{d}")),
        _ => Err(Error::invalid_input("packed IP wrong length for inet_ntoa")),
    }
}

/// Python's `socket.inet_pton`: the strict text of an `AF_INET` or `AF_INET6` address,
/// packed (4 or 16 bytes in network order), by glibc's `inet_pton(3)`.
///
/// ```
/// use asock_core::{inet_pton, AddressFamily};
///
/// assert_eq!(inet_pton(AddressFamily::AF_INET, "10.0.0.1")?, [10, 0, 0, 1]);
/// let loopback = inet_pton(AddressFamily::AF_INET6, "::1")?;
/// assert_eq!(loopback.len(), 16);
/// assert_eq!(loopback[15], 1);
/// // The historical forms inet_aton takes are not addresses here.
/// assert!(inet_pton(AddressFamily::AF_INET, "127.1").is_err());
/// # Ok::<(), asock_core::Error>(())
/// ```
///
/// # Errors
///
/// - `InvalidInput` "embedded null character" (Python's `ValueError`) if `text` holds a NUL.
/// - `Os` `EAFNOSUPPORT` (`[Errno 97] Address family not supported by protocol`) for a
///   family other than `AF_INET` and `AF_INET6`.
/// - `InvalidInput` "illegal IP address string passed to inet_pton" (Python's `OSError`
///   without an errno) if the text is not an address of the family.
pub fn inet_pton(family: AddressFamily, text: &str) -> Result<Vec<u8>> {
    let c_text = CString::new(text).map_err(|_| Error::invalid_input(EMBEDDED_NUL))?;
    let packed = sys::c_inet_pton(family.raw(), &c_text)
        .map_err(|e| Error::from_errno(e.raw_os_error().unwrap_or(libc::EAFNOSUPPORT)))?
        .ok_or_else(|| Error::invalid_input("illegal IP address string passed to inet_pton"))?;
    let len = if family == AddressFamily::AF_INET { 4 } else { 16 };
    Ok(packed[..len].to_vec())
}

/// Python's `socket.inet_ntop`: a packed `AF_INET` (4 bytes) or `AF_INET6` (16 bytes)
/// address as text, printed by glibc's `inet_ntop(3)`.
///
/// ```
/// use asock_core::{inet_ntop, AddressFamily};
///
/// assert_eq!(inet_ntop(AddressFamily::AF_INET, &[127, 0, 0, 1])?, "127.0.0.1");
/// let mut compat = [0u8; 16];
/// compat[13] = 0xff;
/// // glibc prints an IPv4-compatible address; Rust's Ipv6Addr prints "::ff:0".
/// assert_eq!(inet_ntop(AddressFamily::AF_INET6, &compat)?, "::0.255.0.0");
/// # Ok::<(), asock_core::Error>(())
/// ```
///
/// # Errors
///
/// - `InvalidInput` "invalid length of packed IP address string" (Python's `ValueError`)
///   when `packed` is not 4 bytes for `AF_INET` or 16 for `AF_INET6`.
/// - `InvalidInput` "unknown address family N" (Python's `ValueError`) for any other family.
pub fn inet_ntop(family: AddressFamily, packed: &[u8]) -> Result<String> {
    let needed = match family {
        AddressFamily::AF_INET => 4,
        AddressFamily::AF_INET6 => 16,
        other => {
            return Err(Error::invalid_input(format!("unknown address family {}", other.raw())))
        }
    };
    if packed.len() != needed {
        return Err(Error::invalid_input("invalid length of packed IP address string"));
    }
    // With the family and length checked glibc cannot fail; should it, report its errno as
    // Python would (`PyErr_SetFromErrno`).
    sys::c_inet_ntop(family.raw(), packed).map_err(Error::from)
}
