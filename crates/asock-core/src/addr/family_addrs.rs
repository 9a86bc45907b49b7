//! The address shapes of the families that are not IP.

use std::ffi::OsStr;
use std::fmt;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::AddressFamily;

/// An `AF_UNIX` address (unix(7)).
///
/// ```
/// use asock_core::UnixAddr;
///
/// assert_eq!(UnixAddr::pathname("/run/x.sock").to_string(), "/run/x.sock");
/// assert_eq!(UnixAddr::abstract_name(b"asock").to_string(), "@asock");
/// assert_eq!(UnixAddr::Unnamed.to_string(), "(unnamed)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum UnixAddr {
    /// A filesystem path (Python: a `str` or `bytes` path).
    Pathname(PathBuf),
    /// A name in the abstract namespace, without the leading NUL (Python: `b"\0name"`).
    Abstract(Vec<u8>),
    /// An unbound socket, or one from `socketpair` (Python: `''`).
    Unnamed,
}

impl UnixAddr {
    /// A pathname address.
    pub fn pathname(path: impl AsRef<Path>) -> Self {
        UnixAddr::Pathname(path.as_ref().to_path_buf())
    }

    /// An abstract address; `name` excludes the leading NUL.
    pub fn abstract_name(name: impl AsRef<[u8]>) -> Self {
        UnixAddr::Abstract(name.as_ref().to_vec())
    }

    /// The bytes Python shows for this address: the path, `\0` + the abstract name, or empty.
    #[must_use]
    pub fn to_python_bytes(&self) -> Vec<u8> {
        match self {
            UnixAddr::Pathname(p) => p.as_os_str().as_bytes().to_vec(),
            UnixAddr::Abstract(name) => {
                let mut bytes = Vec::with_capacity(name.len() + 1);
                bytes.push(0);
                bytes.extend_from_slice(name);
                bytes
            }
            UnixAddr::Unnamed => Vec::new(),
        }
    }

    /// The address Python means by these bytes: a leading NUL makes it abstract, empty is
    /// unnamed (binding it autobinds), anything else is a path.
    #[must_use]
    pub fn from_python_bytes(bytes: &[u8]) -> Self {
        match bytes.split_first() {
            None => UnixAddr::Unnamed,
            Some((0, name)) => UnixAddr::Abstract(name.to_vec()),
            Some(_) => UnixAddr::Pathname(PathBuf::from(OsStr::from_bytes(bytes))),
        }
    }
}

impl From<&std::os::unix::net::SocketAddr> for UnixAddr {
    /// std's UNIX address: its path, its abstract name, or unnamed.
    fn from(addr: &std::os::unix::net::SocketAddr) -> Self {
        if let Some(path) = addr.as_pathname() {
            UnixAddr::pathname(path)
        } else if let Some(name) = addr.as_abstract_name() {
            UnixAddr::abstract_name(name)
        } else {
            UnixAddr::Unnamed
        }
    }
}

impl fmt::Display for UnixAddr {
    /// Paths print as themselves, abstract names with `@` (as `ss` and `lsof` do), bytes
    /// outside printable ASCII escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnixAddr::Pathname(p) => write!(f, "{}", p.display()),
            UnixAddr::Abstract(name) => write!(f, "@{}", name.escape_ascii()),
            UnixAddr::Unnamed => f.write_str("(unnamed)"),
        }
    }
}

/// An `AF_NETLINK` address (netlink(7)): Python's `(pid, groups)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct NetlinkAddr {
    /// The port id: 0 is the kernel, otherwise usually a process id.
    pub pid: u32,
    /// The multicast group mask.
    pub groups: u32,
}

impl fmt::Display for NetlinkAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "netlink:{}/{:#x}", self.pid, self.groups)
    }
}

/// An `AF_PACKET` address (packet(7), `struct sockaddr_ll`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct PacketAddr {
    /// The interface index (Python shows the interface name).
    pub ifindex: i32,
    /// The Ethernet protocol (`ETH_P_*`), in host byte order.
    pub protocol: u16,
    /// The ARP hardware type (`ARPHRD_*`).
    pub hatype: u16,
    /// The packet type (`PACKET_HOST`, `PACKET_BROADCAST`, ...).
    pub pkttype: u8,
    /// Hardware address length in `addr`.
    pub halen: u8,
    /// The hardware address; the first `halen` bytes count.
    pub addr: [u8; 8],
}

impl PacketAddr {
    /// The hardware address, `halen` bytes of it.
    #[must_use]
    pub fn hardware_address(&self) -> &[u8] {
        &self.addr[..usize::from(self.halen).min(self.addr.len())]
    }
}

impl fmt::Display for PacketAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "packet:if{}/{:#06x}", self.ifindex, self.protocol)?;
        for (i, byte) in self.hardware_address().iter().enumerate() {
            write!(f, "{}{byte:02x}", if i == 0 { "/" } else { ":" })?;
        }
        Ok(())
    }
}

/// An `AF_VSOCK` address (vsock(7)): Python's `(cid, port)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct VsockAddr {
    /// The context id (`VMADDR_CID_ANY`, `VMADDR_CID_HOST`, ...).
    pub cid: u32,
    /// The port (`VMADDR_PORT_ANY` for any).
    pub port: u32,
}

impl fmt::Display for VsockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vsock:{}:{}", self.cid, self.port)
    }
}

/// An `AF_CAN` address (`struct sockaddr_can`).
///
/// The 16 bytes after the interface index are a union: ISO-TP reads them as `(rx_id, tx_id)`,
/// J1939 as `(name, pgn, addr)`. They are kept raw and read through the accessors.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct CanAddr {
    /// The interface index (0 means every CAN interface).
    pub ifindex: i32,
    /// The protocol-specific union, in the kernel's layout and native byte order.
    pub data: [u8; 16],
}

impl CanAddr {
    /// An ISO-TP address: Python's `(interface, rx_addr, tx_addr)`.
    #[must_use]
    pub fn isotp(ifindex: i32, rx_id: u32, tx_id: u32) -> Self {
        let mut data = [0; 16];
        data[..4].copy_from_slice(&rx_id.to_ne_bytes());
        data[4..8].copy_from_slice(&tx_id.to_ne_bytes());
        CanAddr { ifindex, data }
    }

    /// A J1939 address: Python's `(interface, name, pgn, address)`.
    #[must_use]
    pub fn j1939(ifindex: i32, name: u64, pgn: u32, addr: u8) -> Self {
        let mut data = [0; 16];
        data[..8].copy_from_slice(&name.to_ne_bytes());
        data[8..12].copy_from_slice(&pgn.to_ne_bytes());
        data[12] = addr;
        CanAddr { ifindex, data }
    }

    /// The ISO-TP `(rx_id, tx_id)` view of the union.
    #[must_use]
    pub fn isotp_ids(&self) -> (u32, u32) {
        (ne_u32(&self.data[..4]), ne_u32(&self.data[4..8]))
    }
}

fn ne_u32(bytes: &[u8]) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(bytes);
    u32::from_ne_bytes(word)
}

impl fmt::Display for CanAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "can:if{}", self.ifindex)
    }
}

/// An `AF_TIPC` address (`struct sockaddr_tipc`): Python's `(addr_type, v1, v2, v3, scope)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct TipcAddr {
    /// `TIPC_ADDR_NAMESEQ`, `TIPC_ADDR_NAME` or `TIPC_ADDR_ID`.
    pub addr_type: u8,
    /// First word of the address union.
    pub v1: u32,
    /// Second word.
    pub v2: u32,
    /// Third word.
    pub v3: u32,
    /// `TIPC_ZONE_SCOPE`, `TIPC_CLUSTER_SCOPE` or `TIPC_NODE_SCOPE`.
    pub scope: i8,
}

impl fmt::Display for TipcAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tipc:{}:{}:{}:{}/{}", self.addr_type, self.v1, self.v2, self.v3, self.scope)
    }
}

/// An address of a family asock does not decode: the family and the bytes that follow it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct OtherAddr {
    /// The family.
    pub family: AddressFamily,
    /// The bytes after the 2-byte family field, as long as the kernel said the address was.
    pub data: Vec<u8>,
}

impl fmt::Display for OtherAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.family)?;
        for byte in &self.data {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}
