//! Addresses from text: Python's host strings (`SockAddr::inet`, `SockAddr::inet6`) and the
//! one-string forms a user types (`"127.0.0.1:80"`, `"[fe80::1%lo]:80"`, `"/run/x.sock"`,
//! `"@name"`, via `FromStr`).
//!
//! Hosts are read as glibc's `getaddrinfo(AI_NUMERICHOST)` reads them, since that is what
//! Python's tuple addresses go through: IPv4 by `inet_aton` with nothing after the address,
//! IPv6 by `inet_pton` with an optional `%zone`. Names are never resolved here.

use std::ffi::CString;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::str::FromStr;

use super::{SockAddr, UnixAddr};
use crate::{sys, Error, Result};

// ===== Python's host strings =====

impl SockAddr {
    /// Python's `(host, port)` for AF_INET built from its host text: `""` is `INADDR_ANY`,
    /// `"<broadcast>"` is `INADDR_BROADCAST`, anything else a numeric IPv4 address in the
    /// forms `getaddrinfo` takes: `inet_aton`'s (`127.0.0.1`, `127.1`, `0x7f.0.0.1`, with
    /// nothing after it) and IPv4-mapped IPv6 (`::ffff:127.0.0.1`).
    ///
    /// Names are not resolved here (that is `getaddrinfo`'s job).
    ///
    /// ```
    /// use asock_core::SockAddr;
    /// use std::net::Ipv4Addr;
    ///
    /// let any = SockAddr::inet("", 80)?;
    /// assert_eq!(any.as_socket().unwrap().ip(), Ipv4Addr::UNSPECIFIED);
    /// let bcast = SockAddr::inet("<broadcast>", 9)?;
    /// assert_eq!(bcast.as_socket().unwrap().ip(), Ipv4Addr::BROADCAST);
    /// assert_eq!(SockAddr::inet("127.1", 80)?.to_string(), "127.0.0.1:80");
    /// assert!(SockAddr::inet("localhost", 80).is_err());
    /// # Ok::<(), asock_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming `host` when it is none of the above.
    pub fn inet(host: &str, port: u16) -> Result<Self> {
        let ip = match host {
            "" => Ipv4Addr::UNSPECIFIED,
            "<broadcast>" => Ipv4Addr::BROADCAST,
            text => numeric_ipv4(text).ok_or_else(|| {
                Error::invalid_input(format!("not a numeric IPv4 address: {text:?}"))
            })?,
        };
        Ok(SockAddr::Inet(SocketAddrV4::new(ip, port)))
    }

    /// Python's `(host, port, flowinfo, scope_id)` for AF_INET6 built from its host text: `""`
    /// is `::` (`in6addr_any`), anything else a numeric IPv6 address, optionally with a
    /// `%zone` (an interface name or number, read as `getaddrinfo` reads it).
    ///
    /// The zone supplies the scope when `scope_id` is 0. Python itself lets the tuple's
    /// `scope_id` overwrite the zone even when it is 0, so `("fe80::1%lo", 80)` ends up with no
    /// scope there; here it keeps the zone's.
    ///
    /// ```
    /// use asock_core::SockAddr;
    ///
    /// let any = SockAddr::inet6("", 80, 0, 0)?;
    /// assert_eq!(any.to_string(), "[::]:80");
    /// let lo = SockAddr::inet6("fe80::1%1", 80, 0, 0)?;
    /// assert_eq!(lo.to_string(), "[fe80::1%1]:80");
    /// assert!(SockAddr::inet6("<broadcast>", 80, 0, 0).is_err());
    /// # Ok::<(), asock_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming `host` when it is not a numeric IPv6 address, its zone is neither
    /// an interface nor a number, or it is `"<broadcast>"` (Python: "address family
    /// mismatched").
    pub fn inet6(host: &str, port: u16, flowinfo: u32, scope_id: u32) -> Result<Self> {
        let (ip, zone) = match host {
            "" => (Ipv6Addr::UNSPECIFIED, None),
            "<broadcast>" => return Err(Error::invalid_input("address family mismatched")),
            text => numeric_ipv6(text)?,
        };
        let scope_id = if scope_id == 0 { zone.unwrap_or(0) } else { scope_id };
        Ok(SockAddr::Inet6(SocketAddrV6::new(ip, port, flowinfo, scope_id)))
    }
}

/// An IPv4 address as `getaddrinfo(AF_INET, AI_NUMERICHOST)` reads it: glibc's
/// `__inet_aton_exact` (`inet_aton` accepting the text up to its end, not just up to a
/// whitespace character, after which `inet_aton` ignores everything), or else an IPv4-mapped
/// IPv6 address (`::ffff:1.2.3.4`), which glibc hands back as the IPv4 address it maps.
fn numeric_ipv4(text: &str) -> Option<Ipv4Addr> {
    let c_text = CString::new(text).ok()?;
    // C's isspace in the C locale; note \x0b, which Rust's is_ascii_whitespace leaves out.
    let has_space =
        text.bytes().any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'));
    if let Some(packed) = sys::c_inet_aton(&c_text).filter(|_| !has_space) {
        return Some(Ipv4Addr::from(packed));
    }
    numeric_ipv6(text).ok().and_then(|(ip, _zone)| ip.to_ipv4_mapped())
}

/// An IPv6 address as `getaddrinfo(AI_NUMERICHOST)` reads it: `inet_pton` text, then an
/// optional `%zone` whose scope id it also returns.
fn numeric_ipv6(text: &str) -> Result<(Ipv6Addr, Option<u32>)> {
    let (addr_text, zone) = match text.split_once('%') {
        Some((addr, zone)) => (addr, Some(zone)),
        None => (text, None),
    };
    let not_ipv6 = || Error::invalid_input(format!("not a numeric IPv6 address: {text:?}"));
    let c_addr = CString::new(addr_text).map_err(|_| not_ipv6())?;
    let packed = sys::c_inet_pton(libc::AF_INET6, &c_addr).ok().flatten().ok_or_else(not_ipv6)?;
    let ip = Ipv6Addr::from(packed);
    match zone {
        None => Ok((ip, None)),
        Some(zone) => scope_id(&ip, zone)
            .map(|id| (ip, Some(id)))
            .ok_or_else(|| Error::invalid_input(format!("unknown IPv6 zone {zone:?} in {text:?}"))),
    }
}

/// glibc's `__inet6_scopeid_pton`: an interface name counts only for link-local unicast and
/// node- or link-local multicast addresses (RFC 4007 section 11); otherwise, and as a
/// fallback, the zone must be a decimal number that fits in 32 bits.
fn scope_id(ip: &Ipv6Addr, zone: &str) -> Option<u32> {
    let octets = ip.octets();
    let link_local = octets[0] == 0xfe && octets[1] & 0xc0 == 0x80;
    let mc_local = octets[0] == 0xff && matches!(octets[1] & 0x0f, 0x1 | 0x2);
    if link_local || mc_local {
        if let Some(index) = CString::new(zone).ok().as_deref().and_then(sys::if_nametoindex) {
            return Some(index);
        }
    }
    if zone.is_empty() || !zone.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    zone.parse().ok()
}

// ===== text a user types =====

impl FromStr for SockAddr {
    type Err = Error;

    /// Reads the address forms a user types:
    ///
    /// | text | address |
    /// |---|---|
    /// | `127.0.0.1:80` | AF_INET (strict dotted quad, as `inet_pton`) |
    /// | `[::1]:80`, `[fe80::1%lo]:80`, `[fe80::1%2]:80` | AF_INET6, zone by name or number |
    /// | `/run/x.sock`, `./x.sock`, `../x.sock` | AF_UNIX pathname |
    /// | `@name` | AF_UNIX abstract name (`\0name`) |
    ///
    /// ```
    /// use asock_core::{SockAddr, UnixAddr};
    /// use std::net::SocketAddr;
    ///
    /// let v6: SockAddr = "[::1]:8080".parse()?;
    /// assert_eq!(v6.port(), Some(8080));
    /// // The loopback interface's index becomes the scope id.
    /// let Some(SocketAddr::V6(lo)) = "[fe80::1%lo]:80".parse::<SockAddr>()?.as_socket() else {
    ///     unreachable!()
    /// };
    /// assert_ne!(lo.scope_id(), 0);
    /// let path: SockAddr = "/run/x.sock".parse()?;
    /// assert_eq!(path.as_unix(), Some(&UnixAddr::pathname("/run/x.sock")));
    /// let name: SockAddr = "@asock".parse()?;
    /// assert_eq!(name.as_unix(), Some(&UnixAddr::abstract_name(b"asock")));
    /// assert!("127.0.0.1:65536".parse::<SockAddr>().is_err());
    /// # Ok::<(), asock_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming the text: no port, a port outside 0-65535, a host that is not a
    /// numeric address, an unknown zone, a UNIX path or abstract name that does not fit
    /// `sun_path` with its NUL (more than 107 bytes), a path with a NUL in it.
    fn from_str(text: &str) -> Result<Self> {
        let invalid =
            |why: &str| Error::invalid_input(format!("invalid socket address {text:?}: {why}"));
        let unix = if text.starts_with('/') || text.starts_with("./") || text.starts_with("../") {
            Some(UnixAddr::pathname(text))
        } else {
            text.strip_prefix('@').map(UnixAddr::abstract_name)
        };
        if let Some(unix) = unix {
            // Encoding is where sun_path's limit and the NUL rule live; check them now.
            let addr = SockAddr::Unix(unix);
            addr.to_raw().map_err(|e| invalid(&e.to_string()))?;
            return Ok(addr);
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (host, port) =
                rest.split_once("]:").ok_or_else(|| invalid("expected [host]:port"))?;
            let port = parse_port(port).map_err(&invalid)?;
            let (ip, zone) = numeric_ipv6(host).map_err(|e| invalid(&e.to_string()))?;
            return Ok(SockAddr::Inet6(SocketAddrV6::new(ip, port, 0, zone.unwrap_or(0))));
        }
        let (host, port) = text.rsplit_once(':').ok_or_else(|| invalid("expected host:port"))?;
        if host.contains(':') {
            return Err(invalid("an IPv6 address needs brackets: [host]:port"));
        }
        let port = parse_port(port).map_err(&invalid)?;
        let ip = CString::new(host)
            .ok()
            .and_then(|c| sys::c_inet_pton(libc::AF_INET, &c).ok().flatten())
            .map(|packed| Ipv4Addr::new(packed[0], packed[1], packed[2], packed[3]))
            .ok_or_else(|| invalid("not a numeric IPv4 address"))?;
        Ok(SockAddr::Inet(SocketAddrV4::new(ip, port)))
    }
}

/// A decimal port, 0-65535; no sign, no spaces.
fn parse_port(text: &str) -> std::result::Result<u16, &'static str> {
    if text.is_empty() {
        return Err("missing port");
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("port is not a decimal number");
    }
    // All digits: the only way to fail is to be too large.
    text.parse().map_err(|_| "port must be 0-65535")
}
