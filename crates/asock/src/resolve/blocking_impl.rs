//! The blocking forms: Python's resolver functions, run on the calling thread.
//!
//! These may wait for files, NSS modules or DNS servers; from async code use the forms at the
//! crate root ([`crate::getaddrinfo`], ...), which never block the executor.

use std::ffi::CString;
use std::net::Ipv4Addr;

use super::gai::{hints, Query};
use super::hostent::{self, lossy};
use super::idna::encode_host;
use super::{AddrInfo, HostEntry, Service};
use crate::sys::resolve as sys;
use asock_core::{AddressFamily, Error, Protocol, Result, SockAddr, SocketKind};

/// Python's `socket.getaddrinfo(host, port, family, type, proto, flags)`: the addresses for
/// `host` and `port`, in the C library's order.
///
/// `host` is a name or a numeric address, `None` for the local host (with `AI_PASSIVE`, the
/// wildcard address); `""` is passed as an empty name, as CPython passes it (glibc answers
/// `EAI_NONAME`). It goes through Python's `idna` codec, so `"bücher.example"` is looked up
/// as `xn--bcher-kva.example`. `port` is a number, a service name or `None` (see
/// [`Service`]). `family`, `kind` and `proto` filter the answer (`AF_UNSPEC` and 0 for any);
/// `flags` are the `AI_*` flags.
///
/// ```
/// use asock::{AddressFamily, Protocol, SocketKind};
///
/// let infos = asock::blocking::getaddrinfo(
///     "127.0.0.1", "http", AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0), 0,
/// )?;
/// assert_eq!(infos.len(), 1);
/// assert_eq!(infos[0].addr.to_string(), "127.0.0.1:80");
/// assert_eq!(infos[0].proto, Protocol::IPPROTO_TCP);
///
/// // Passive and no host: the wildcard addresses a server binds to.
/// let infos = asock::blocking::getaddrinfo(
///     None, 8080, AddressFamily::AF_INET, SocketKind::SOCK_STREAM, Protocol::from(0),
///     libc::AI_PASSIVE,
/// )?;
/// assert_eq!(infos[0].addr.to_string(), "0.0.0.0:8080");
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `Gai` with the C library's `EAI_*` code (`EAI_NONAME` for an unknown name, `EAI_SERVICE`
/// for an unknown service, `EAI_FAMILY`, `EAI_BADFLAGS`, `EAI_AGAIN` when the resolver could
/// not be reached, ...). `InvalidInput` for a NUL in the host or service, or a host Python's
/// `idna` codec refuses (`"a..b"`).
pub fn getaddrinfo<'a>(
    host: impl Into<Option<&'a str>>,
    port: impl Into<Service>,
    family: AddressFamily,
    kind: SocketKind,
    proto: Protocol,
    flags: i32,
) -> Result<Vec<AddrInfo>> {
    let (host, port, hints) = (host.into(), port.into(), hints(family, kind, proto, flags));
    if let Some(infos) = Query::literal_answer(host, &port, hints) {
        return Ok(infos);
    }
    Query::new(host, &port, hints)?.run()
}

/// Python's `socket.getnameinfo(sockaddr, flags)`: the host and the service of an address.
///
/// `flags` are the `NI_*` flags: `NI_NUMERICHOST` / `NI_NUMERICSERV` ask for numbers instead
/// of names, `NI_NAMEREQD` makes a missing name an error, `NI_DGRAM` looks the port up as UDP.
/// Python takes an IP address tuple only; an address of another family goes to the C library
/// as it is.
///
/// ```
/// use asock::SockAddr;
///
/// let addr: SockAddr = "127.0.0.1:80".parse()?;
/// let flags = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
/// assert_eq!(asock::blocking::getnameinfo(&addr, flags)?, ("127.0.0.1".into(), "80".into()));
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `Gai` with the `EAI_*` code (`EAI_NONAME` with `NI_NAMEREQD` and no name, `EAI_AGAIN` when
/// the resolver could not be reached). `InvalidInput` for an IPv6 flow label above 0xfffff, as
/// Python refuses it.
pub fn getnameinfo(addr: &SockAddr, flags: i32) -> Result<(String, String)> {
    let raw = nameinfo_addr(addr)?;
    let (host, service) = sys::getnameinfo(&raw, flags)?;
    Ok((lossy(&host), lossy(&service)))
}

/// Checks `addr` as CPython checks its sockaddr tuple and gives the raw form.
pub(crate) fn nameinfo_addr(addr: &SockAddr) -> Result<asock_core::RawSockAddr> {
    if let SockAddr::Inet6(a) = addr {
        if a.flowinfo() > 0xfffff {
            return Err(Error::invalid_input("getnameinfo(): flowinfo must be 0-1048575."));
        }
    }
    addr.to_raw()
}

/// Python's `socket.gethostbyname(host)`: the IPv4 address of `host`.
///
/// Numeric addresses and `"<broadcast>"` are answered without a lookup; `""` is `0.0.0.0`.
///
/// ```
/// use std::net::Ipv4Addr;
///
/// assert_eq!(asock::blocking::gethostbyname("127.0.0.1")?, Ipv4Addr::LOCALHOST);
/// assert_eq!(asock::blocking::gethostbyname("<broadcast>")?, Ipv4Addr::BROADCAST);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `Gai` when the name does not resolve to an IPv4 address (`EAI_NONAME`, `EAI_ADDRFAMILY` for
/// an IPv6 literal); `InvalidInput` for a NUL or a name the `idna` codec refuses.
pub fn gethostbyname(host: &str) -> Result<Ipv4Addr> {
    hostent::gethostbyname(&encode_host(host)?)
}

/// Python's `socket.gethostbyname_ex(host)`: the host's name, aliases and IPv4 addresses.
///
/// ```
/// let entry = asock::blocking::gethostbyname_ex("127.0.0.1")?;
/// assert_eq!(entry.name, "127.0.0.1");
/// assert_eq!(entry.addrs, ["127.0.0.1".parse::<std::net::IpAddr>().unwrap()]);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `Gai` when the name does not resolve (CPython resolves it with `getaddrinfo` first), `Host`
/// with `h_errno` when `gethostbyname_r` then fails, `InvalidInput` as for [`gethostbyname`].
pub fn gethostbyname_ex(host: &str) -> Result<HostEntry> {
    hostent::gethostbyname_ex(&encode_host(host)?)
}

/// Python's `socket.gethostbyaddr(ip)`: the name, aliases and addresses of an address (or of
/// the first address a name resolves to).
///
/// # Errors
///
/// `Host` with `h_errno` when no name is known for the address (`[Errno 1] Unknown host`, or
/// `[Errno 2] Host name lookup failure` when DNS could not be asked); `Gai` when a name given
/// instead of an address does not resolve; `InvalidInput` as for [`gethostbyname`].
pub fn gethostbyaddr(ip: &str) -> Result<HostEntry> {
    hostent::gethostbyaddr(&encode_host(ip)?)
}

/// Python's `socket.getfqdn(name)`: the fully qualified name of `name` (the local host for
/// `""`, `"0.0.0.0"` or `"::"`).
///
/// As Python: the first of the reverse lookup's name and aliases that contains a dot, else its
/// name; `name` itself (stripped) when the lookup fails.
///
/// # Errors
///
/// Only what Python lets through: `InvalidInput` for a NUL or a name the `idna` codec refuses,
/// and `gethostname`'s error. Lookup failures are not errors.
pub fn getfqdn(name: &str) -> Result<String> {
    let name = python_strip(name);
    let name = if name.is_empty() || name == "0.0.0.0" || name == "::" {
        gethostname()?
    } else {
        name.to_owned()
    };
    let encoded = encode_host(&name)?;
    let Ok(entry) = hostent::gethostbyaddr(&encoded) else {
        return Ok(name);
    };
    let dotted = entry.aliases.iter().find(|alias| alias.contains('.'));
    Ok(match dotted {
        Some(alias) if !entry.name.contains('.') => alias.clone(),
        _ => entry.name,
    })
}

/// `str.strip()`: Python's whitespace is Unicode's plus the four ASCII separators 0x1C-0x1F.
fn python_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}

/// Python's `socket.gethostname()`: the kernel's host name (`uname -n`).
///
/// Not a lookup: the same function serves blocking and async code.
///
/// # Errors
///
/// The errno of `gethostname(2)`.
pub fn gethostname() -> Result<String> {
    sys::gethostname().map(|name| lossy(&name))
}

/// Python's `socket.getservbyname(name, proto)`: the port of a service from /etc/services.
///
/// ```
/// assert_eq!(asock::blocking::getservbyname("http", "tcp")?, 80);
/// assert_eq!(asock::blocking::getservbyname("domain", None)?, 53);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` "service/proto not found" (Python's `OSError` text) and for a NUL.
pub fn getservbyname<'a>(name: &str, proto: impl Into<Option<&'a str>>) -> Result<u16> {
    let name = c_arg(name)?;
    let proto = proto.into().map(c_arg).transpose()?;
    sys::getservbyname(&name, proto.as_deref())?
        .ok_or_else(|| Error::invalid_input("service/proto not found"))
}

/// Python's `socket.getservbyport(port, proto)`: the name of the service on a port.
///
/// `port` is any integer, checked as Python checks it.
///
/// ```
/// assert_eq!(asock::blocking::getservbyport(443, "tcp")?, "https");
/// assert!(asock::blocking::getservbyport(70000, None).is_err());
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` "getservbyport: port must be 0-65535." (Python's `OverflowError`), "port/proto
/// not found" (Python's `OSError`), or for a NUL in `proto`.
pub fn getservbyport<'a>(
    port: impl Into<i64>,
    proto: impl Into<Option<&'a str>>,
) -> Result<String> {
    let port = u16::try_from(port.into())
        .map_err(|_| Error::invalid_input("getservbyport: port must be 0-65535."))?;
    let proto = proto.into().map(c_arg).transpose()?;
    sys::getservbyport(port, proto.as_deref())?
        .map(|name| lossy(&name))
        .ok_or_else(|| Error::invalid_input("port/proto not found"))
}

/// Python's `socket.getprotobyname(name)`: a protocol's number from /etc/protocols.
///
/// ```
/// use asock::Protocol;
///
/// assert_eq!(asock::blocking::getprotobyname("udp")?, Protocol::IPPROTO_UDP);
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// `InvalidInput` "protocol not found" (Python's `OSError` text) and for a NUL.
pub fn getprotobyname(name: &str) -> Result<Protocol> {
    sys::getprotobyname(&c_arg(name)?)?
        .map(Protocol::from)
        .ok_or_else(|| Error::invalid_input("protocol not found"))
}

/// Python's `socket.if_nameindex()`: every network interface as `(index, name)`.
///
/// Like the other `if_*` functions, a netlink or ioctl call that never waits: the same function
/// serves blocking and async code.
///
/// ```
/// let interfaces = asock::blocking::if_nameindex()?;
/// assert!(interfaces.iter().any(|(_, name)| name == "lo"));
/// # Ok::<(), asock::Error>(())
/// ```
///
/// # Errors
///
/// The errno of `if_nameindex(3)`.
pub fn if_nameindex() -> Result<Vec<(u32, String)>> {
    Ok(sys::if_nameindex()?.into_iter().map(|(index, name)| (index, lossy(&name))).collect())
}

/// Python's `socket.if_nametoindex(name)`: an interface's index.
///
/// # Errors
///
/// `InvalidInput` "no interface with this name" (Python's `OSError` text) and for a NUL.
pub fn if_nametoindex(name: &str) -> Result<u32> {
    match sys::if_nametoindex(&c_arg(name)?) {
        0 => Err(Error::invalid_input("no interface with this name")),
        index => Ok(index),
    }
}

/// Python's `socket.if_indextoname(index)`: an interface's name.
///
/// # Errors
///
/// `Os` `ENXIO` ("No such device or address") for an index no interface has.
pub fn if_indextoname(index: u32) -> Result<String> {
    sys::if_indextoname(index).map(|name| lossy(&name))
}

/// A string argument as a C string; Python refuses a NUL in these with `ValueError`.
fn c_arg(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::invalid_input("embedded null character"))
}
