//! `SockAddr` against the kernel's layouts (libc's structs), socket2 and std, Python's special
//! hosts and limits, and the text forms a user types.

use std::mem::{offset_of, size_of};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

mod oracle;

use asock_core::{
    AddressFamily, CanAddr, ErrorKind, NetlinkAddr, OtherAddr, PacketAddr, RawSockAddr, SockAddr,
    TipcAddr, UnixAddr, VsockAddr,
};
use proptest::prelude::*;

// ===== helpers =====

/// The size of a struct field, without needing a value of the struct.
fn field_size<T, F>(_field: fn(&T) -> &F) -> usize {
    size_of::<F>()
}

fn encode(addr: &SockAddr) -> Vec<u8> {
    addr.to_raw().unwrap_or_else(|e| panic!("{addr:?} does not encode: {e}")).as_bytes().to_vec()
}

fn assert_invalid<T: std::fmt::Debug>(result: asock_core::Result<T>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{what}: {e}"),
        Ok(v) => panic!("{what}: accepted as {v:?}"),
    }
}

/// Runs a python3 script and returns its stdout lines.
fn python(script: &str) -> Vec<String> {
    oracle::python(script, "", 60).lines().map(str::to_owned).collect()
}

/// One address of each variant, with every field set to something distinguishable.
fn examples() -> Vec<SockAddr> {
    vec![
        SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 8080)),
        SockAddr::Inet6(SocketAddrV6::new("2001:db8::1".parse().unwrap(), 443, 0x000d_ead1, 7)),
        SockAddr::Unix(UnixAddr::pathname("/run/asock.sock")),
        SockAddr::Unix(UnixAddr::abstract_name(b"a\0b\0")),
        SockAddr::Unix(UnixAddr::abstract_name(b"")),
        SockAddr::Unix(UnixAddr::Unnamed),
        SockAddr::Netlink(NetlinkAddr { pid: 1234, groups: 0x8000_0005 }),
        SockAddr::Packet(PacketAddr {
            ifindex: 3,
            protocol: 0x0806,
            hatype: 1,
            pkttype: 2,
            halen: 6,
            addr: [0x02, 0x42, 0xac, 0x11, 0, 2, 0, 0],
        }),
        SockAddr::Vsock(VsockAddr { cid: 2, port: 1024 }),
        SockAddr::Can(CanAddr::isotp(4, 0x123, 0x456)),
        SockAddr::Can(CanAddr::j1939(5, 0x1122_3344_5566_7788, 0x1fe00, 0x80)),
        SockAddr::Tipc(TipcAddr { addr_type: 2, v1: 1000, v2: 7, v3: 9, scope: 2 }),
        SockAddr::Other(OtherAddr { family: AddressFamily::AF_ALG, data: (0..86).collect() }),
    ]
}

/// The bytes before which a family's address is incomplete, from libc's layouts. sin_zero
/// (AF_INET), the tail of sll_addr (AF_PACKET) and the CAN union are not insisted on.
fn fixed_part(family: AddressFamily) -> usize {
    match family {
        AddressFamily::AF_INET => offset_of!(libc::sockaddr_in, sin_addr) + 4,
        AddressFamily::AF_INET6 => size_of::<libc::sockaddr_in6>(),
        AddressFamily::AF_UNIX => offset_of!(libc::sockaddr_un, sun_path),
        AddressFamily::AF_NETLINK => size_of::<libc::sockaddr_nl>(),
        AddressFamily::AF_PACKET => offset_of!(libc::sockaddr_ll, sll_addr),
        AddressFamily::AF_VSOCK => offset_of!(libc::sockaddr_vm, svm_cid) + 4,
        AddressFamily::AF_CAN => offset_of!(libc::sockaddr_can, can_addr),
        // linux/tipc.h: family, addrtype, scope, then a 12-byte union (libc lacks the struct).
        AddressFamily::AF_TIPC => 16,
        _ => 2,
    }
}

// ===== raw round trips and layouts =====

#[test]
fn every_variant_round_trips_through_raw() {
    for addr in examples() {
        let raw = addr.to_raw().unwrap();
        assert_eq!(raw.family(), Some(addr.family()), "{addr:?}");
        assert_eq!(SockAddr::from_raw(&raw).unwrap(), addr);
        assert_eq!(SockAddr::from_bytes(raw.as_bytes()).unwrap(), addr);
    }
}

#[test]
fn encodings_are_as_long_as_the_c_structs() {
    let sun_path = offset_of!(libc::sockaddr_un, sun_path);
    for addr in examples() {
        let expected = match &addr {
            SockAddr::Inet(_) => size_of::<libc::sockaddr_in>(),
            SockAddr::Inet6(_) => size_of::<libc::sockaddr_in6>(),
            // A pathname's terminating NUL is counted, as CPython and socket2 count it.
            SockAddr::Unix(UnixAddr::Pathname(p)) => sun_path + p.as_os_str().len() + 1,
            SockAddr::Unix(u) => sun_path + u.to_python_bytes().len(),
            SockAddr::Netlink(_) => size_of::<libc::sockaddr_nl>(),
            SockAddr::Packet(_) => size_of::<libc::sockaddr_ll>(),
            SockAddr::Vsock(_) => size_of::<libc::sockaddr_vm>(),
            SockAddr::Can(_) => size_of::<libc::sockaddr_can>(),
            SockAddr::Tipc(_) => 16,
            SockAddr::Other(o) => 2 + o.data.len(),
            _ => unreachable!(),
        };
        assert_eq!(encode(&addr).len(), expected, "{addr:?}");
    }
    assert_eq!(RawSockAddr::CAPACITY, size_of::<libc::sockaddr_storage>());
}

#[test]
fn family_field_is_native_u16_at_offset_0() {
    for addr in examples() {
        let bytes = encode(&addr);
        assert_eq!(i32::from(u16::from_ne_bytes([bytes[0], bytes[1]])), addr.family().raw());
    }
}

#[test]
fn inet_fields_sit_at_sockaddr_in_offsets() {
    let bytes = encode(&SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 0x1234)));
    let port = offset_of!(libc::sockaddr_in, sin_port);
    let addr = offset_of!(libc::sockaddr_in, sin_addr);
    assert_eq!(bytes[port..port + 2], 0x1234u16.to_be_bytes());
    assert_eq!(bytes[addr..addr + 4], [10, 1, 2, 3]);
    assert!(bytes[addr + 4..].iter().all(|&b| b == 0), "sin_zero must be zero");
}

/// `sin6_flowinfo` is network order, as the kernel reads it (its mask is
/// `htonl(0x0fffffff)`) and as CPython writes it (`htonl(flowinfo)`); `scope_id` is native.
#[test]
fn inet6_fields_sit_at_sockaddr_in6_offsets() {
    let ip: Ipv6Addr = "fe80::1:2".parse().unwrap();
    let bytes = encode(&SockAddr::Inet6(SocketAddrV6::new(ip, 0x1234, 0x000a_bcde, 0x0102_0304)));
    let at = |field| match field {
        "port" => offset_of!(libc::sockaddr_in6, sin6_port),
        "flowinfo" => offset_of!(libc::sockaddr_in6, sin6_flowinfo),
        "addr" => offset_of!(libc::sockaddr_in6, sin6_addr),
        _ => offset_of!(libc::sockaddr_in6, sin6_scope_id),
    };
    assert_eq!(bytes[at("port")..at("port") + 2], 0x1234u16.to_be_bytes());
    assert_eq!(bytes[at("flowinfo")..at("flowinfo") + 4], 0x000a_bcdeu32.to_be_bytes());
    assert_eq!(bytes[at("addr")..at("addr") + 16], ip.octets());
    assert_eq!(bytes[at("scope")..at("scope") + 4], 0x0102_0304u32.to_ne_bytes());
}

#[test]
fn unix_path_sits_at_sun_path() {
    let sun_path = offset_of!(libc::sockaddr_un, sun_path);
    let bytes = encode(&SockAddr::Unix(UnixAddr::pathname("/tmp/s")));
    assert_eq!(&bytes[sun_path..], b"/tmp/s\0");
    let bytes = encode(&SockAddr::Unix(UnixAddr::abstract_name(b"name")));
    assert_eq!(&bytes[sun_path..], b"\0name");
}

#[test]
fn netlink_fields_sit_at_sockaddr_nl_offsets() {
    let bytes = encode(&SockAddr::Netlink(NetlinkAddr { pid: 0x0102_0304, groups: 0x0506_0708 }));
    let pid = offset_of!(libc::sockaddr_nl, nl_pid);
    let groups = offset_of!(libc::sockaddr_nl, nl_groups);
    assert_eq!(bytes[pid..pid + 4], 0x0102_0304u32.to_ne_bytes());
    assert_eq!(bytes[groups..groups + 4], 0x0506_0708u32.to_ne_bytes());
}

#[test]
fn packet_fields_sit_at_sockaddr_ll_offsets() {
    let addr = PacketAddr {
        ifindex: 0x0102_0304,
        protocol: 0x86dd,
        hatype: 0x0506,
        pkttype: 7,
        halen: 6,
        addr: [1, 2, 3, 4, 5, 6, 7, 8],
    };
    let bytes = encode(&SockAddr::Packet(addr));
    let protocol = offset_of!(libc::sockaddr_ll, sll_protocol);
    let ifindex = offset_of!(libc::sockaddr_ll, sll_ifindex);
    let hatype = offset_of!(libc::sockaddr_ll, sll_hatype);
    let hw = offset_of!(libc::sockaddr_ll, sll_addr);
    assert_eq!(bytes[protocol..protocol + 2], 0x86ddu16.to_be_bytes());
    assert_eq!(bytes[ifindex..ifindex + 4], 0x0102_0304i32.to_ne_bytes());
    assert_eq!(bytes[hatype..hatype + 2], 0x0506u16.to_ne_bytes());
    assert_eq!(bytes[offset_of!(libc::sockaddr_ll, sll_pkttype)], 7);
    assert_eq!(bytes[offset_of!(libc::sockaddr_ll, sll_halen)], 6);
    assert_eq!(bytes[hw..hw + 8], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(field_size(|a: &libc::sockaddr_ll| &a.sll_addr), 8);
}

#[test]
fn vsock_fields_sit_at_sockaddr_vm_offsets() {
    let bytes = encode(&SockAddr::Vsock(VsockAddr { cid: 0x0102_0304, port: 0x0506_0708 }));
    let port = offset_of!(libc::sockaddr_vm, svm_port);
    let cid = offset_of!(libc::sockaddr_vm, svm_cid);
    assert_eq!(bytes[port..port + 4], 0x0506_0708u32.to_ne_bytes());
    assert_eq!(bytes[cid..cid + 4], 0x0102_0304u32.to_ne_bytes());
}

#[test]
fn can_fields_sit_at_sockaddr_can_offsets() {
    let bytes = encode(&SockAddr::Can(CanAddr::isotp(0x0102_0304, 0x11, 0x22)));
    let ifindex = offset_of!(libc::sockaddr_can, can_ifindex);
    let union = offset_of!(libc::sockaddr_can, can_addr);
    assert_eq!(bytes[ifindex..ifindex + 4], 0x0102_0304i32.to_ne_bytes());
    assert_eq!(bytes[union..union + 4], 0x11u32.to_ne_bytes());
    assert_eq!(bytes[union + 4..union + 8], 0x22u32.to_ne_bytes());
}

// ===== malformed raw addresses =====

#[test]
fn every_prefix_of_every_encoding_decodes_or_is_invalid_input() {
    for addr in examples() {
        let bytes = encode(&addr);
        let fixed = fixed_part(addr.family()).max(2);
        for len in 0..=bytes.len() {
            let raw = RawSockAddr::from_bytes(&bytes[..len]).unwrap();
            let decoded = SockAddr::from_raw(&raw);
            if len < fixed {
                assert_invalid(decoded, &format!("{addr:?} cut to {len} bytes"));
            } else {
                let decoded = decoded
                    .unwrap_or_else(|e| panic!("{addr:?} cut to {len} of {fixed}+ bytes: {e}"));
                assert_eq!(decoded.family(), addr.family());
            }
        }
    }
}

#[test]
fn a_length_beyond_sockaddr_storage_is_invalid_input() {
    let mut raw = RawSockAddr::default();
    let (_, len) = raw.as_mut_parts();
    *len = (RawSockAddr::CAPACITY + 1) as libc::socklen_t;
    assert_eq!(raw.as_bytes().len(), RawSockAddr::CAPACITY, "as_bytes must stay in bounds");
    assert_invalid(SockAddr::from_raw(&raw), "length past the storage");
    let long = vec![0u8; RawSockAddr::CAPACITY + 1];
    assert_invalid(RawSockAddr::from_bytes(&long), "RawSockAddr of 129 bytes");
    assert_invalid(SockAddr::from_bytes(&long), "SockAddr of 129 bytes");
}

/// Every family asock decodes, some it does not, and the edges of the 16-bit field.
fn any_family() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            libc::AF_INET as u16,
            libc::AF_INET6 as u16,
            libc::AF_UNIX as u16,
            libc::AF_NETLINK as u16,
            libc::AF_PACKET as u16,
            libc::AF_VSOCK as u16,
            libc::AF_CAN as u16,
            libc::AF_TIPC as u16,
            libc::AF_ALG as u16,
            0,
            0xffff,
        ]),
        any::<u16>(),
    ]
}

/// The contract: `from_bytes` refuses (`InvalidInput`) or returns an address that `to_raw`
/// encodes and that decodes back to itself.
fn refuses_or_round_trips(bytes: &[u8]) -> std::result::Result<(), TestCaseError> {
    match SockAddr::from_bytes(bytes) {
        Ok(addr) => {
            prop_assert!(bytes.len() >= fixed_part(addr.family()).max(2));
            prop_assert_eq!(
                addr.family().raw(),
                libc::c_int::from(u16::from_ne_bytes([bytes[0], bytes[1]]))
            );
            let raw = addr.to_raw();
            prop_assert!(
                raw.is_ok(),
                "{:?} decoded from {:?} does not encode: {:?}",
                addr,
                bytes,
                raw
            );
            let again = SockAddr::from_raw(&raw.unwrap());
            prop_assert_eq!(again.as_ref().ok(), Some(&addr), "{:?}", again);
        }
        Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidInput),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Any bytes, with the family field set to any family: decoding never panics, and what
    /// decodes round-trips.
    #[test]
    fn from_bytes_refuses_or_round_trips_for_every_family(
        family in any_family(),
        mut bytes in prop::collection::vec(any::<u8>(), 0..=140),
    ) {
        if bytes.len() >= 2 {
            bytes[..2].copy_from_slice(&family.to_ne_bytes());
        }
        refuses_or_round_trips(&bytes)?;
    }

    /// `AF_UNIX` shapes that random bytes rarely make: paths and abstract names of every
    /// length up to what `sockaddr_storage` holds, with or without a NUL after them.
    #[test]
    fn unix_sun_paths_of_any_length_refuse_or_round_trip(
        abstract_name in any::<bool>(),
        body in prop::collection::vec(1u8..=255, 0..=126),
        nul_after in any::<bool>(),
        tail in prop::collection::vec(any::<u8>(), 0..=8),
    ) {
        let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
        if abstract_name {
            bytes.push(0);
        }
        bytes.extend_from_slice(&body);
        if nul_after {
            bytes.push(0);
            bytes.extend_from_slice(&tail);
        }
        bytes.truncate(RawSockAddr::CAPACITY);
        refuses_or_round_trips(&bytes)?;
    }
}

// ===== AF_UNIX limits =====

/// sun_path holds 108 bytes; a pathname needs its NUL among them (CPython, socket2 and std all
/// refuse 108 path bytes), an abstract name its leading NUL.
#[test]
fn unix_path_of_107_bytes_is_accepted_and_108_rejected() {
    let limit = field_size(|a: &libc::sockaddr_un| &a.sun_path);
    assert_eq!(limit, 108);
    let fits = format!("/{}", "x".repeat(limit - 2));
    let addr = SockAddr::Unix(UnixAddr::pathname(&fits));
    let raw = addr.to_raw().unwrap();
    assert_eq!(raw.len() as usize, size_of::<libc::sockaddr_un>());
    assert_eq!(SockAddr::from_raw(&raw).unwrap(), addr);
    let too_long = format!("/{}", "x".repeat(limit - 1));
    let err = SockAddr::Unix(UnixAddr::pathname(&too_long)).to_raw().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "AF_UNIX path too long");
}

#[test]
fn abstract_name_of_107_bytes_is_accepted_and_108_rejected() {
    let addr = SockAddr::Unix(UnixAddr::abstract_name(vec![b'n'; 107]));
    let raw = addr.to_raw().unwrap();
    assert_eq!(raw.len() as usize, size_of::<libc::sockaddr_un>());
    assert_eq!(SockAddr::from_raw(&raw).unwrap(), addr);
    assert_invalid(SockAddr::Unix(UnixAddr::abstract_name(vec![b'n'; 108])).to_raw(), "108");
}

/// The kernel lets a C program bind a 108-byte path (sun_path full, no NUL) and reports it
/// with a NUL after it (111 bytes); Python refuses to bind or connect to it, and so does
/// `to_raw`. Decoding refuses it too, rather than return an address that cannot be encoded.
#[test]
fn a_kernel_path_of_108_bytes_is_refused_as_too_long() {
    let path = format!("/{}", "k".repeat(107));
    for nul in [&b"\0"[..], b""] {
        let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
        bytes.extend_from_slice(path.as_bytes());
        bytes.extend_from_slice(nul);
        let err = SockAddr::from_bytes(&bytes).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.to_string(), "AF_UNIX path too long");

        // Through socket2 (what the kernel gave), the bytes are kept rather than lost.
        let raw = RawSockAddr::from_bytes(&bytes).unwrap();
        let theirs = raw_as_socket2(&raw);
        let ours = SockAddr::from(&theirs);
        assert_eq!(
            ours,
            SockAddr::Other(OtherAddr {
                family: AddressFamily::AF_UNIX,
                data: bytes[2..].to_vec()
            })
        );
        assert_eq!(encode(&ours), bytes);
    }
}

/// `raw`'s bytes as socket2 holds them (socket2 builds addresses only from checked inputs or
/// the kernel; this one stands for the kernel's).
fn raw_as_socket2(raw: &RawSockAddr) -> socket2::SockAddr {
    let other = SockAddr::Other(OtherAddr {
        family: raw.family().unwrap(),
        data: raw.as_bytes()[2..].to_vec(),
    });
    socket2::SockAddr::try_from(&other).unwrap()
}

/// Decoding and encoding draw the line at the same byte, for paths (with or without the
/// kernel's NUL) and abstract names of every length sockaddr_storage can hold.
#[test]
fn unix_decoding_and_encoding_agree_on_every_length() {
    let room = RawSockAddr::CAPACITY - 2;
    for len in 1..=room {
        let path = format!("/{}", "p".repeat(len - 1));
        let encodes = SockAddr::Unix(UnixAddr::pathname(&path)).to_raw().is_ok();
        assert_eq!(encodes, len <= 107, "path of {len}");
        for nul in [&b"\0"[..], b""] {
            let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
            bytes.extend_from_slice(path.as_bytes());
            bytes.extend_from_slice(nul);
            if bytes.len() > RawSockAddr::CAPACITY {
                continue;
            }
            match SockAddr::from_bytes(&bytes) {
                Ok(addr) => {
                    assert!(encodes, "path of {len} decodes but does not encode");
                    assert_eq!(addr, SockAddr::Unix(UnixAddr::pathname(&path)));
                }
                Err(e) => {
                    assert!(!encodes, "path of {len} encodes but does not decode: {e}");
                    assert_eq!(e.to_string(), "AF_UNIX path too long");
                }
            }
        }
    }
    for len in 0..room {
        let name = vec![b'n'; len];
        let encodes = SockAddr::Unix(UnixAddr::abstract_name(&name)).to_raw().is_ok();
        assert_eq!(encodes, len <= 107, "abstract name of {len}");
        let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
        bytes.push(0);
        bytes.extend_from_slice(&name);
        match SockAddr::from_bytes(&bytes) {
            Ok(addr) => {
                assert!(encodes, "abstract name of {len} decodes but does not encode");
                assert_eq!(addr, SockAddr::Unix(UnixAddr::abstract_name(&name)));
            }
            Err(e) => {
                assert!(!encodes, "abstract name of {len} encodes but does not decode: {e}");
                assert_eq!(e.to_string(), "AF_UNIX path too long");
            }
        }
    }
}

/// Python: connecting to a 107-byte path is attempted (no such file), to a 108-byte path
/// refused with "AF_UNIX path too long"; and the same for abstract names. asock draws the
/// line at the same byte, encoding and decoding.
#[test]
fn unix_path_limit_matches_python() {
    let lines = python(
        r#"
import socket
for n in (106, 107, 108, 109):
    for name in ('/nonexistent-asock-dir/' + 'x' * (n - 23), b'\0' + b'x' * n):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(name)
            print('connected')
        except OSError as e:
            print(e.errno, e)
        s.close()
"#,
    );
    let mut ours = Vec::new();
    for n in 106..=109 {
        let path = format!("/nonexistent-asock-dir/{}", "x".repeat(n - 23));
        assert_eq!(path.len(), n);
        ours.push(UnixAddr::pathname(&path));
        ours.push(UnixAddr::abstract_name(vec![b'x'; n]));
    }
    assert_eq!(lines.len(), ours.len(), "{lines:?}");
    for (line, addr) in lines.iter().zip(ours) {
        let encoded = SockAddr::Unix(addr.clone()).to_raw();
        // The same address as the kernel lays it out (no NUL after a path: the longest form),
        // decoded.
        let mut kernel = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
        kernel.extend_from_slice(&addr.to_python_bytes());
        let decoded = SockAddr::from_bytes(&kernel);
        if line.starts_with(&format!("{} ", libc::ENOENT))
            || line.starts_with(&format!("{} ", libc::ECONNREFUSED))
        {
            assert!(encoded.is_ok(), "python tried {addr:?}; asock: {encoded:?}");
            assert_eq!(decoded.ok(), Some(SockAddr::Unix(addr)));
        } else {
            assert_eq!(line, "None AF_UNIX path too long", "python on {addr:?}");
            assert_eq!(encoded.unwrap_err().to_string(), "AF_UNIX path too long");
            assert_eq!(decoded.unwrap_err().to_string(), "AF_UNIX path too long");
        }
    }
}

#[test]
fn unix_path_with_nul_is_rejected() {
    assert_invalid(SockAddr::Unix(UnixAddr::pathname("/tmp/a\0b")).to_raw(), "path with NUL");
}

#[test]
fn abstract_names_with_nuls_round_trip() {
    for name in [&b"\0"[..], b"\0\0\0", b"a\0", b"\0a", b"a\0b\0c", b""] {
        let addr = SockAddr::Unix(UnixAddr::abstract_name(name));
        let raw = addr.to_raw().unwrap();
        assert_eq!(raw.len() as usize, 2 + 1 + name.len());
        assert_eq!(SockAddr::from_raw(&raw).unwrap(), addr, "{name:?}");
    }
}

#[test]
fn unnamed_is_the_family_field_alone() {
    let raw = SockAddr::Unix(UnixAddr::Unnamed).to_raw().unwrap();
    assert_eq!(raw.len(), 2);
    assert_eq!(SockAddr::from_raw(&raw).unwrap(), SockAddr::Unix(UnixAddr::Unnamed));
}

#[test]
fn a_kernel_path_ends_at_its_nul() {
    // getsockname reports a bound path with its terminating NUL counted (unix(7)).
    let mut bytes = (libc::AF_UNIX as u16).to_ne_bytes().to_vec();
    bytes.extend_from_slice(b"/tmp/s\0");
    let addr = SockAddr::from_bytes(&bytes).unwrap();
    assert_eq!(addr, SockAddr::Unix(UnixAddr::pathname("/tmp/s")));
}

// ===== socket2 and std =====

proptest! {
    #[test]
    fn ipv4_through_socket2_and_std_is_lossless(ip in any::<u32>(), port in any::<u16>()) {
        let std = SocketAddrV4::new(Ipv4Addr::from(ip), port);
        let ours = SockAddr::from(std);
        prop_assert_eq!(SocketAddr::try_from(ours.clone()).unwrap(), SocketAddr::V4(std));
        let theirs = socket2::SockAddr::try_from(&ours).unwrap();
        prop_assert_eq!(theirs.as_socket(), Some(SocketAddr::V4(std)));
        prop_assert_eq!(theirs.len() as usize, size_of::<libc::sockaddr_in>());
        prop_assert_eq!(SockAddr::from(&theirs), ours.clone());
        prop_assert_eq!(SockAddr::from(socket2::SockAddr::from(std)), ours);
    }

    /// Lossless both ways, flowinfo included. The one difference: asock (like Python and the
    /// kernel) stores flowinfo in network order, socket2 and std copy it raw
    /// (rust-lang/rust#101605), so socket2 reads ours back byte-swapped on little-endian.
    #[test]
    fn ipv6_through_socket2_and_std_is_lossless(
        ip in any::<u128>(),
        port in any::<u16>(),
        flowinfo in any::<u32>(),
        scope_id in any::<u32>(),
    ) {
        let std = SocketAddrV6::new(Ipv6Addr::from(ip), port, flowinfo, scope_id);
        let ours = SockAddr::from(std);
        prop_assert_eq!(SocketAddr::try_from(ours.clone()).unwrap(), SocketAddr::V6(std));
        let theirs = socket2::SockAddr::try_from(&ours).unwrap();
        prop_assert_eq!(SockAddr::from(&theirs), ours.clone());
        let seen = theirs.as_socket_ipv6().unwrap();
        prop_assert_eq!(
            (*seen.ip(), seen.port(), seen.flowinfo(), seen.scope_id()),
            (*std.ip(), port, flowinfo.to_be(), scope_id)
        );
        // socket2 -> asock -> socket2 keeps socket2's bytes exactly.
        let native = socket2::SockAddr::from(std);
        let back = socket2::SockAddr::try_from(SockAddr::from(&native)).unwrap();
        prop_assert_eq!(back.as_socket(), native.as_socket());
        prop_assert_eq!(back.len(), native.len());
    }

    #[test]
    fn ip_display_parses_back(v6 in any::<bool>(), ip in any::<u128>(), port in any::<u16>()) {
        let addr = if v6 {
            SockAddr::Inet6(SocketAddrV6::new(Ipv6Addr::from(ip), port, 0, 0))
        } else {
            SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::from(ip as u32), port))
        };
        prop_assert_eq!(addr.to_string().parse::<SockAddr>().unwrap(), addr);
    }
}

#[test]
fn unix_through_socket2_is_lossless() {
    let path = socket2::SockAddr::unix("/run/asock.sock").unwrap();
    let ours = SockAddr::from(&path);
    assert_eq!(ours, SockAddr::Unix(UnixAddr::pathname("/run/asock.sock")));
    let back = socket2::SockAddr::try_from(&ours).unwrap();
    assert_eq!(back.as_pathname(), path.as_pathname());

    let name = socket2::SockAddr::unix("\0asock\0x").unwrap();
    let ours = SockAddr::from(&name);
    assert_eq!(ours, SockAddr::Unix(UnixAddr::abstract_name(b"asock\0x")));
    let back = socket2::SockAddr::try_from(&ours).unwrap();
    assert_eq!(back.as_abstract_namespace(), Some(&b"asock\0x"[..]));
}

#[test]
fn vsock_through_socket2_is_lossless() {
    let theirs = socket2::SockAddr::vsock(3, 5000);
    let ours = SockAddr::from(&theirs);
    assert_eq!(ours, SockAddr::Vsock(VsockAddr { cid: 3, port: 5000 }));
    let back = socket2::SockAddr::try_from(&ours).unwrap();
    assert_eq!(back.as_vsock_address(), Some((3, 5000)));
}

#[test]
fn non_ip_addresses_do_not_become_socket_addrs() {
    let err = SocketAddr::try_from(SockAddr::Unix(UnixAddr::Unnamed)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

// ===== Python's special hosts =====

/// `""` and `"<broadcast>"` as Python binds and connects them, against `SockAddr::inet` /
/// `inet6`. UDP connect sends nothing; the broadcast connect needs SO_BROADCAST.
#[test]
fn special_hosts_match_python() {
    let lines = python(
        r#"
import socket
def show(family, host, connect):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    try:
        if connect:
            s.connect((host, 9))
            print('ok', s.getpeername()[0])
        else:
            s.bind((host, 0))
            print('ok', s.getsockname()[0])
    except OSError as e:
        print('err', e)
show(socket.AF_INET, '', False)
show(socket.AF_INET, '<broadcast>', True)
show(socket.AF_INET6, '', False)
show(socket.AF_INET6, '<broadcast>', False)
"#,
    );
    let ours = |addr: asock_core::Result<SockAddr>| match addr {
        Ok(a) => format!("ok {}", a.as_socket().unwrap().ip()),
        Err(e) => format!("err {e}"),
    };
    assert_eq!(
        lines,
        [
            ours(SockAddr::inet("", 0)),
            ours(SockAddr::inet("<broadcast>", 9)),
            ours(SockAddr::inet6("", 0, 0, 0)),
            ours(SockAddr::inet6("<broadcast>", 0, 0, 0)),
        ]
    );
    assert_eq!(lines[3], "err address family mismatched");
}

#[test]
fn inet6_keeps_flowinfo_and_prefers_the_given_scope() {
    let Some(SocketAddr::V6(a)) = SockAddr::inet6("fe80::1%3", 80, 0x12345, 0).unwrap().as_socket()
    else {
        panic!("not IPv6")
    };
    assert_eq!((a.port(), a.flowinfo(), a.scope_id()), (80, 0x12345, 3));
    let Some(SocketAddr::V6(a)) = SockAddr::inet6("fe80::1%3", 80, 0, 9).unwrap().as_socket()
    else {
        panic!("not IPv6")
    };
    assert_eq!(a.scope_id(), 9);
}

// ===== text a user types =====

fn parse(text: &str) -> SockAddr {
    text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

#[test]
fn parses_ipv4_and_port() {
    assert_eq!(parse("127.0.0.1:80"), SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80)));
    assert_eq!(parse("0.0.0.0:0"), SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)));
    assert_eq!(parse("255.255.255.255:65535").port(), Some(65535));
    assert_eq!(parse("1.2.3.4:080").port(), Some(80));
}

#[test]
fn parses_bracketed_ipv6_and_port() {
    assert_eq!(
        parse("[::1]:80"),
        SockAddr::Inet6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 80, 0, 0))
    );
    assert_eq!(
        parse("[::ffff:1.2.3.4]:1"),
        SockAddr::Inet6(SocketAddrV6::new("::ffff:1.2.3.4".parse().unwrap(), 1, 0, 0))
    );
}

/// The zone's interface index comes from if_nametoindex; Python's if_nametoindex is the oracle.
#[test]
fn zone_by_name_is_the_interface_index() {
    let lines = python("import socket\nprint(socket.if_nametoindex('lo'))");
    let lo: u32 = lines[0].parse().unwrap();
    let expected = SockAddr::Inet6(SocketAddrV6::new("fe80::1".parse().unwrap(), 80, 0, lo));
    assert_eq!(parse("[fe80::1%lo]:80"), expected);
    assert_eq!(parse(&format!("[fe80::1%{lo}]:80")), expected);
    assert_eq!(SockAddr::inet6("fe80::1%lo", 80, 0, 0).unwrap(), expected);
}

#[test]
fn zone_by_number() {
    let addr = parse("[fe80::1%4294967295]:1");
    let Some(SocketAddr::V6(a)) = addr.as_socket() else { panic!("{addr:?}") };
    assert_eq!(a.scope_id(), u32::MAX);
    assert_eq!(parse("[2001:db8::1%2]:1").to_string(), "[2001:db8::1%2]:1");
}

#[test]
fn parses_unix_paths_and_abstract_names() {
    assert_eq!(parse("/run/x.sock"), SockAddr::Unix(UnixAddr::pathname("/run/x.sock")));
    assert_eq!(parse("./x.sock"), SockAddr::Unix(UnixAddr::pathname("./x.sock")));
    assert_eq!(parse("../x.sock"), SockAddr::Unix(UnixAddr::pathname("../x.sock")));
    // A colon in a path is part of the path, not a port.
    assert_eq!(parse("/tmp/a:80"), SockAddr::Unix(UnixAddr::pathname("/tmp/a:80")));
    assert_eq!(parse("@asock"), SockAddr::Unix(UnixAddr::abstract_name(b"asock")));
    assert_eq!(parse("@"), SockAddr::Unix(UnixAddr::abstract_name(b"")));
    assert_eq!(parse(&format!("/{}", "p".repeat(106))).to_raw().unwrap().len(), 110);
    assert_eq!(parse(&format!("@{}", "n".repeat(107))).to_raw().unwrap().len(), 110);
}

#[test]
fn bad_text_is_invalid_input_naming_the_text() {
    let long_path = format!("/{}", "p".repeat(107));
    let long_name = format!("@{}", "n".repeat(108));
    let bad = [
        "",
        "127.0.0.1",
        "127.0.0.1:",
        "127.0.0.1:65536",
        "127.0.0.1:99999999999999999999",
        "127.0.0.1:-1",
        "127.0.0.1:+80",
        "127.0.0.1: 80",
        "127.0.0.1:80 ",
        "127.1:80",
        "256.0.0.1:80",
        "localhost:80",
        ":80",
        "::1:80",
        "[::1]",
        "[::1]80",
        "[::1]:",
        "[::1]:65536",
        "[::1%nosuchif0]:80",
        "[::1%lo]:80",
        "[fe80::1%]:80",
        "[1.2.3.4]:80",
        "[::1]:80:80",
        "x.sock",
        "/tmp/a\0b",
        &long_path,
        &long_name,
    ];
    for text in bad {
        match text.parse::<SockAddr>() {
            Ok(addr) => panic!("{text:?} parsed as {addr:?}"),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text:?}");
                assert!(e.to_string().contains(&format!("{text:?}")), "{text:?}: {e}");
            }
        }
    }
}

#[test]
fn ports_outside_0_to_65535_are_rejected() {
    for port in ["65536", "70000", "4294967296"] {
        let err = format!("10.0.0.1:{port}").parse::<SockAddr>().unwrap_err();
        assert!(err.to_string().contains("port must be 0-65535"), "{err}");
    }
    assert_eq!(SockAddr::check_port(65535).unwrap(), 65535);
    assert_invalid(SockAddr::check_port(65536), "65536");
    assert_invalid(SockAddr::check_port(-1), "-1");
}
