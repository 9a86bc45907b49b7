//! `SockAddr` from the address types Rust programs already hold, and the port of an address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as StdUnixAddr, UnixStream};
use std::path::Path;

use asock_core::{SockAddr, UnixAddr, VsockAddr};

/// Takes what the async front door will take for an address.
fn into_addr(addr: impl Into<SockAddr>) -> SockAddr {
    addr.into()
}

#[test]
fn ip_and_port_tuples_are_addresses() {
    let v4 = SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80));
    let v6 = SockAddr::Inet6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 0, 0));
    assert_eq!(into_addr((Ipv4Addr::LOCALHOST, 80)), v4);
    assert_eq!(into_addr((Ipv6Addr::LOCALHOST, 443)), v6);
    assert_eq!(into_addr((IpAddr::V4(Ipv4Addr::LOCALHOST), 80)), v4);
    assert_eq!(into_addr((IpAddr::V6(Ipv6Addr::LOCALHOST), 443)), v6);
    // The same as std builds from the tuple.
    assert_eq!(
        into_addr((Ipv6Addr::LOCALHOST, 443)),
        SockAddr::from(SocketAddr::from((Ipv6Addr::LOCALHOST, 443)))
    );
}

#[test]
fn a_borrowed_address_converts_to_an_owned_one() {
    let addr: SockAddr = "/run/x.sock".parse().unwrap();
    assert_eq!(into_addr(&addr), addr);
}

#[test]
fn std_unix_addresses_convert_path_abstract_and_unnamed() {
    let path = StdUnixAddr::from_pathname("/run/asock-test.sock").unwrap();
    assert_eq!(
        SockAddr::from(&path),
        SockAddr::Unix(UnixAddr::Pathname(Path::new("/run/asock-test.sock").to_path_buf()))
    );
    let abstract_name = StdUnixAddr::from_abstract_name(b"asock\0x").unwrap();
    assert_eq!(into_addr(abstract_name), SockAddr::Unix(UnixAddr::abstract_name(b"asock\0x")));
    // A socketpair's ends are unnamed.
    let (a, _b) = UnixStream::pair().unwrap();
    assert_eq!(into_addr(a.local_addr().unwrap()), SockAddr::Unix(UnixAddr::Unnamed));
}

#[test]
fn port_is_a_u16_for_ip_addresses_only() {
    let v4: SockAddr = "127.0.0.1:65535".parse().unwrap();
    let v6: SockAddr = "[::1]:8080".parse().unwrap();
    assert_eq!(v4.port(), Some(u16::MAX));
    assert_eq!(v6.port(), Some(8080));
    assert_eq!(SockAddr::Unix(UnixAddr::Unnamed).port(), None);
}

#[test]
fn a_vsock_port_is_a_u32_read_through_the_vsock_address() {
    let addr = SockAddr::Vsock(VsockAddr { cid: 3, port: 0x1_0000 });
    assert_eq!(addr.port(), None, "not an IP port, and wider than one");
    assert_eq!(addr.as_vsock(), Some(VsockAddr { cid: 3, port: 0x1_0000 }));
    assert_eq!(addr.as_vsock().map(|v| v.port), Some(65_536));
    assert_eq!(SockAddr::from((Ipv4Addr::LOCALHOST, 1)).as_vsock(), None);
}
