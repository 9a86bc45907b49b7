//! The kernel's representation: `sockaddr_storage` plus a length, parsed and built safely.
//!
//! Every family is read and written as bytes at the offsets its C header gives, with bounds
//! checks: a truncated or malformed address is an `InvalidInput` error, never an out-of-bounds
//! read. Multi-byte fields are native-endian except ports, `sin6_flowinfo` and `sll_protocol`,
//! which the kernel keeps in network order.

use std::ffi::OsStr;
use std::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use super::{CanAddr, NetlinkAddr, OtherAddr, PacketAddr, SockAddr, TipcAddr, UnixAddr, VsockAddr};
use crate::{sys, AddressFamily, Error, Result};

/// `offsetof(struct sockaddr_un, sun_path)`, and the size of the path field after it.
const SUN_PATH_OFFSET: usize = 2;
const SUN_PATH_LEN: usize = 108;

/// A `sockaddr_storage` and the length the kernel reads or wrote, ready for a system call.
///
/// ```
/// use asock_core::{RawSockAddr, SockAddr};
///
/// let raw: RawSockAddr = "[::1]:443".parse::<SockAddr>()?.to_raw()?;
/// assert_eq!(raw.len() as usize, std::mem::size_of::<libc::sockaddr_in6>());
/// assert_eq!(SockAddr::from_raw(&raw)?.port(), Some(443));
/// # Ok::<(), asock_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct RawSockAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl std::fmt::Debug for RawSockAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawSockAddr")
            .field("len", &self.len)
            .field("bytes", &self.as_bytes())
            .finish()
    }
}

impl Default for RawSockAddr {
    /// Zeroed storage with the full capacity as its length: what `accept`, `recvfrom` and
    /// `getsockname` want to be handed.
    fn default() -> Self {
        RawSockAddr { storage: sys::zeroed_storage(), len: Self::CAPACITY as libc::socklen_t }
    }
}

impl RawSockAddr {
    /// The size of `sockaddr_storage`: the longest address any family has.
    pub const CAPACITY: usize = size_of::<libc::sockaddr_storage>();

    /// Copies `bytes` (family field first, as the kernel lays them out) into storage.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `bytes` is longer than `sockaddr_storage`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > Self::CAPACITY {
            return Err(Error::invalid_input(format!(
                "socket address of {} bytes is longer than sockaddr_storage ({})",
                bytes.len(),
                Self::CAPACITY
            )));
        }
        let mut raw =
            RawSockAddr { storage: sys::zeroed_storage(), len: bytes.len() as libc::socklen_t };
        sys::storage_bytes_mut(&mut raw.storage)[..bytes.len()].copy_from_slice(bytes);
        Ok(raw)
    }

    /// The address bytes, `len()` of them (capped at the storage size should a system call
    /// have reported a longer, truncated address).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &sys::storage_bytes(&self.storage)[..self.len_usize()]
    }

    /// The length in bytes the kernel reads or wrote.
    #[must_use]
    pub fn len(&self) -> libc::socklen_t {
        self.len
    }

    /// Whether the length is zero (the kernel wrote no address, as `recvfrom` on an unnamed
    /// UNIX datagram peer does).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A pointer for system calls that read an address (`bind`, `connect`, `sendto`).
    #[must_use]
    pub fn as_ptr(&self) -> *const libc::sockaddr {
        (&self.storage as *const libc::sockaddr_storage).cast()
    }

    /// A pointer and a length slot for system calls that write an address (`accept`,
    /// `recvfrom`, `getsockname`). Reset the length to capacity first with `default()`.
    pub fn as_mut_parts(&mut self) -> (*mut libc::sockaddr, &mut libc::socklen_t) {
        ((&mut self.storage as *mut libc::sockaddr_storage).cast(), &mut self.len)
    }

    /// The family field, if the address is long enough to have one.
    #[must_use]
    pub fn family(&self) -> Option<AddressFamily> {
        field_u16(self.as_bytes(), 0).ok().map(|f| AddressFamily::from(libc::c_int::from(f)))
    }

    fn len_usize(&self) -> usize {
        (self.len as usize).min(Self::CAPACITY)
    }

    pub(super) fn from_socket2(addr: &socket2::SockAddr) -> Self {
        // A socket2 address is never longer than sockaddr_storage, so this cannot fail; the
        // fallback keeps that an invariant rather than a panic.
        Self::from_bytes(sys::socket2_bytes(addr)).unwrap_or_default()
    }

    pub(super) fn to_socket2(self) -> Result<socket2::SockAddr> {
        sys::socket2_from_bytes(self.as_bytes()).map_err(Error::from)
    }
}

impl SockAddr {
    /// Decodes the kernel's representation.
    ///
    /// What decodes also encodes: [`to_raw`](Self::to_raw) accepts every address this returns
    /// and gives back bytes that decode to the same address.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when the length is shorter than the family's fixed part (or than the
    /// family field itself) or longer than `sockaddr_storage`, and for an `AF_UNIX` address
    /// `to_raw` would refuse: a path of more than 107 bytes or an abstract name of more than
    /// 107 bytes after its NUL ("AF_UNIX path too long", CPython's limits). The kernel lets a
    /// C program bind a 108-byte path (unterminated); Python can neither bind nor connect to
    /// one, and neither can asock.
    pub fn from_raw(raw: &RawSockAddr) -> Result<Self> {
        if raw.len as usize > RawSockAddr::CAPACITY {
            return Err(Error::invalid_input("socket address length exceeds sockaddr_storage"));
        }
        Self::from_bytes(raw.as_bytes())
    }

    /// Decodes an address laid out as the kernel lays it out, family field first.
    ///
    /// Whatever it accepts round-trips: `to_raw` encodes it, and decoding that gives the same
    /// address again.
    ///
    /// ```
    /// use asock_core::{ErrorKind, SockAddr};
    ///
    /// let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
    /// bytes.extend_from_slice(b"/run/x.sock\0");
    /// let addr = SockAddr::from_bytes(&bytes)?;
    /// assert_eq!(SockAddr::from_raw(&addr.to_raw()?)?, addr);
    ///
    /// // A path sun_path cannot hold with its NUL: refused here, not later.
    /// bytes.truncate(2);
    /// bytes.extend_from_slice(&[b'x'; 108]);
    /// let err = SockAddr::from_bytes(&bytes).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert_eq!(err.to_string(), "AF_UNIX path too long");
    /// # Ok::<(), asock_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`SockAddr::from_raw`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        // No kernel address is longer; refusing here keeps every decoded address encodable.
        if bytes.len() > RawSockAddr::CAPACITY {
            return Err(Error::invalid_input("socket address length exceeds sockaddr_storage"));
        }
        let family = AddressFamily::from(libc::c_int::from(field_u16(bytes, 0)?));
        let addr = match family {
            AddressFamily::AF_INET => {
                need(bytes, 8, family)?; // sin_zero is padding: don't insist on it
                let port = u16::from_be_bytes(array(bytes, 2)?);
                let ip = Ipv4Addr::from(array::<4>(bytes, 4)?);
                SockAddr::Inet(SocketAddrV4::new(ip, port))
            }
            AddressFamily::AF_INET6 => {
                need(bytes, size_of::<libc::sockaddr_in6>(), family)?;
                let port = u16::from_be_bytes(array(bytes, 2)?);
                let flowinfo = u32::from_be_bytes(array(bytes, 4)?);
                let ip = Ipv6Addr::from(array::<16>(bytes, 8)?);
                let scope_id = field_u32(bytes, 24)?;
                SockAddr::Inet6(SocketAddrV6::new(ip, port, flowinfo, scope_id))
            }
            AddressFamily::AF_UNIX => {
                SockAddr::Unix(unix_from_path_bytes(&bytes[SUN_PATH_OFFSET..])?)
            }
            AddressFamily::AF_NETLINK => {
                need(bytes, 12, family)?;
                SockAddr::Netlink(NetlinkAddr {
                    pid: field_u32(bytes, 4)?,
                    groups: field_u32(bytes, 8)?,
                })
            }
            AddressFamily::AF_PACKET => {
                need(bytes, 12, family)?; // up to sll_halen; the address may be cut short
                let halen = bytes[11];
                let mut addr = [0; 8];
                let have = bytes.len().saturating_sub(12).min(8);
                addr[..have].copy_from_slice(&bytes[12..12 + have]);
                SockAddr::Packet(PacketAddr {
                    protocol: u16::from_be_bytes(array(bytes, 2)?),
                    ifindex: field_u32(bytes, 4)? as i32,
                    hatype: field_u16(bytes, 8)?,
                    pkttype: bytes[10],
                    halen,
                    addr,
                })
            }
            AddressFamily::AF_VSOCK => {
                need(bytes, 12, family)?;
                SockAddr::Vsock(VsockAddr { port: field_u32(bytes, 4)?, cid: field_u32(bytes, 8)? })
            }
            AddressFamily::AF_CAN => {
                need(bytes, 8, family)?;
                let mut data = [0; 16];
                let have = bytes.len().saturating_sub(8).min(16);
                data[..have].copy_from_slice(&bytes[8..8 + have]);
                SockAddr::Can(CanAddr { ifindex: field_u32(bytes, 4)? as i32, data })
            }
            AddressFamily::AF_TIPC => {
                need(bytes, 16, family)?;
                SockAddr::Tipc(TipcAddr {
                    addr_type: bytes[2],
                    scope: bytes[3] as i8,
                    v1: field_u32(bytes, 4)?,
                    v2: field_u32(bytes, 8)?,
                    v3: field_u32(bytes, 12)?,
                })
            }
            _ => SockAddr::Other(OtherAddr { family, data: bytes[2..].to_vec() }),
        };
        Ok(addr)
    }

    /// Encodes the address as the kernel reads it.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a UNIX path or abstract name that does not fit `sun_path` with its
    /// NUL (at most 107 bytes, as in Python), a UNIX path with an embedded NUL, or an `Other`
    /// address longer than `sockaddr_storage`.
    pub fn to_raw(&self) -> Result<RawSockAddr> {
        let mut bytes = Vec::with_capacity(32);
        bytes.extend_from_slice(&(self.family().raw() as u16).to_ne_bytes());
        match self {
            SockAddr::Inet(a) => {
                bytes.extend_from_slice(&a.port().to_be_bytes());
                bytes.extend_from_slice(&a.ip().octets());
                bytes.extend_from_slice(&[0; 8]);
            }
            SockAddr::Inet6(a) => {
                bytes.extend_from_slice(&a.port().to_be_bytes());
                bytes.extend_from_slice(&a.flowinfo().to_be_bytes());
                bytes.extend_from_slice(&a.ip().octets());
                bytes.extend_from_slice(&a.scope_id().to_ne_bytes());
            }
            SockAddr::Unix(a) => unix_path_bytes(a, &mut bytes)?,
            SockAddr::Netlink(a) => {
                bytes.extend_from_slice(&[0; 2]);
                bytes.extend_from_slice(&a.pid.to_ne_bytes());
                bytes.extend_from_slice(&a.groups.to_ne_bytes());
            }
            SockAddr::Packet(a) => {
                bytes.extend_from_slice(&a.protocol.to_be_bytes());
                bytes.extend_from_slice(&a.ifindex.to_ne_bytes());
                bytes.extend_from_slice(&a.hatype.to_ne_bytes());
                bytes.push(a.pkttype);
                bytes.push(a.halen);
                bytes.extend_from_slice(&a.addr);
            }
            SockAddr::Vsock(a) => {
                bytes.extend_from_slice(&[0; 2]);
                bytes.extend_from_slice(&a.port.to_ne_bytes());
                bytes.extend_from_slice(&a.cid.to_ne_bytes());
                bytes.extend_from_slice(&[0; 4]);
            }
            SockAddr::Can(a) => {
                bytes.extend_from_slice(&[0; 2]);
                bytes.extend_from_slice(&a.ifindex.to_ne_bytes());
                bytes.extend_from_slice(&a.data);
            }
            SockAddr::Tipc(a) => {
                bytes.push(a.addr_type);
                bytes.push(a.scope as u8);
                bytes.extend_from_slice(&a.v1.to_ne_bytes());
                bytes.extend_from_slice(&a.v2.to_ne_bytes());
                bytes.extend_from_slice(&a.v3.to_ne_bytes());
            }
            SockAddr::Other(a) => bytes.extend_from_slice(&a.data),
        }
        RawSockAddr::from_bytes(&bytes)
    }
}

impl OtherAddr {
    /// Keeps whatever bytes `raw` has, even too few for a family field.
    pub(super) fn from_raw(raw: &RawSockAddr) -> Self {
        let bytes = raw.as_bytes();
        OtherAddr {
            family: raw.family().unwrap_or(AddressFamily::AF_UNSPEC),
            data: bytes.get(2..).unwrap_or_default().to_vec(),
        }
    }
}

/// unix(7): no path bytes is unnamed; a leading NUL is abstract (every byte after it counts,
/// NULs included); otherwise a path, which ends at the first NUL if the kernel included one.
/// Checked by the encoder's rule, so that whatever decodes also encodes.
fn unix_from_path_bytes(path: &[u8]) -> Result<UnixAddr> {
    let addr = match path.split_first() {
        None => UnixAddr::Unnamed,
        Some((0, name)) => UnixAddr::Abstract(name.to_vec()),
        Some(_) => {
            let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
            UnixAddr::Pathname(PathBuf::from(OsStr::from_bytes(&path[..end])))
        }
    };
    unix_sun_path(&addr)?;
    Ok(addr)
}

/// The `sun_path` bytes and the length CPython passes (`getsockaddrarg` in
/// Modules/socketmodule.c): a pathname with its terminating NUL counted, so at most 107 bytes
/// (socket2 and std draw the same line, and read the length the same way); an abstract name
/// after its leading NUL, so at most 107 bytes too; an empty path, like unnamed, as no bytes
/// at all (binding it autobinds, as Python's `bind('')` does).
fn unix_path_bytes(addr: &UnixAddr, bytes: &mut Vec<u8>) -> Result<()> {
    let (path, terminated) = unix_sun_path(addr)?;
    bytes.extend_from_slice(&path);
    if terminated {
        bytes.push(0);
    }
    Ok(())
}

/// The one rule for what fits `sun_path`, shared by the decoder and the encoder: the bytes
/// and whether a NUL must follow them, or Python's error.
fn unix_sun_path(addr: &UnixAddr) -> Result<(Vec<u8>, bool)> {
    let path = addr.to_python_bytes();
    let terminated = matches!(addr, UnixAddr::Pathname(_)) && !path.is_empty();
    if terminated && path.contains(&0) {
        return Err(Error::invalid_input("embedded null byte"));
    }
    if path.len() + usize::from(terminated) > SUN_PATH_LEN {
        return Err(Error::invalid_input("AF_UNIX path too long"));
    }
    Ok((path, terminated))
}

fn need(bytes: &[u8], len: usize, family: AddressFamily) -> Result<()> {
    if bytes.len() < len {
        return Err(Error::invalid_input(format!(
            "truncated {family} address: {} bytes, need at least {len}",
            bytes.len()
        )));
    }
    Ok(())
}

fn array<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N]> {
    bytes
        .get(at..at + N)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| Error::invalid_input("truncated socket address"))
}

fn field_u16(bytes: &[u8], at: usize) -> Result<u16> {
    array(bytes, at).map(u16::from_ne_bytes)
}

fn field_u32(bytes: &[u8], at: usize) -> Result<u32> {
    array(bytes, at).map(u32::from_ne_bytes)
}
