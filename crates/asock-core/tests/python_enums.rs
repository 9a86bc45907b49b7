//! `AddressFamily`, `SocketKind` and `Protocol` against the machine's `python3`: the members
//! of `socket.AddressFamily` / `socket.SocketKind` and the `IPPROTO_*` constants, the name
//! Python's `repr` gives each value, and how values no name has behave.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;

mod oracle;

use asock_core::{consts, AddressFamily, Protocol, SocketKind};
use libc::c_int;

/// A value no family or kind has; Python's enums reject it too (checked below).
const UNKNOWN: c_int = 4242;

/// Families asock names that this Python's `socket.AddressFamily` may lack, and why.
const FAMILIES_PYTHON_MAY_LACK: &[(&str, &str)] = &[
    ("AF_DECnet", "the enum keeps only all-upper-case AF_ names; socket.AF_DECnet is a plain int"),
    ("AF_BLUETOOTH", "defined only in Pythons built with the BlueZ headers"),
];

/// One line per fact: `TAG NAME VALUE` (or `TAG VALUE NAME` for canonical names).
const PY_DUMP: &str = r#"
import socket
def dump(tag, enum):
    for name, member in enum.__members__.items():
        print(tag + "_MEMBER", name, int(member))
    for member in enum:
        print(tag + "_CANON", member.name, int(member))
    try:
        enum(4242)
        print(tag + "_UNKNOWN_VALID", "x", 1)
    except ValueError:
        print(tag + "_UNKNOWN_VALID", "x", 0)
dump("AF", socket.AddressFamily)
dump("SK", socket.SocketKind)
for name in dir(socket):
    if name.startswith("IPPROTO_"):
        print("IPPROTO", name, int(getattr(socket, name)))
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
print("SK_TYPE_OF_NONBLOCKING_STREAM", s.type.name, int(s.type))
s.close()
"#;

fn run_python(script: &str) -> String {
    oracle::python(script, "", 60)
}

/// Python's facts, grouped by tag: tag -> list of (name, value).
fn python_facts() -> BTreeMap<String, Vec<(String, c_int)>> {
    let mut facts: BTreeMap<String, Vec<(String, c_int)>> = BTreeMap::new();
    for line in run_python(PY_DUMP).lines() {
        let mut fields = line.split(' ');
        let (Some(tag), Some(name), Some(value), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            panic!("unexpected line from python3: {line:?}");
        };
        let value = value.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"));
        facts.entry(tag.to_owned()).or_default().push((name.to_owned(), value));
    }
    facts
}

fn fact(facts: &BTreeMap<String, Vec<(String, c_int)>>, tag: &str) -> Vec<(String, c_int)> {
    facts.get(tag).cloned().unwrap_or_else(|| panic!("python3 printed no {tag} line"))
}

fn consts_value(name: &str) -> Option<i64> {
    consts::ALL.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

// ===== AddressFamily =====

#[test]
fn address_family_has_every_python_member_as_an_associated_const() {
    let members = fact(&python_facts(), "AF_MEMBER");
    assert!(members.len() > 20, "too few AddressFamily members: {members:?}");
    let wrong: Vec<String> = members
        .iter()
        .filter(|(name, value)| AddressFamily::from_name(name) != Some(AddressFamily::from(*value)))
        .map(|(name, value)| format!("{name} = {value}: ours {:?}", AddressFamily::from_name(name)))
        .collect();
    assert!(wrong.is_empty(), "AddressFamily disagrees with Python: {wrong:?}");
}

#[test]
fn address_family_prints_the_name_python_gives_each_value() {
    // Python's repr picks the first member defined for a value: 16 is AF_NETLINK, not AF_ROUTE.
    let canonical = fact(&python_facts(), "AF_CANON");
    for (name, value) in &canonical {
        let family = AddressFamily::from(*value);
        assert_eq!(family.name(), Some(name.as_str()), "name of {value}");
        assert_eq!(family.to_string(), *name, "Display of {value}");
        assert_eq!(format!("{family:?}"), *name, "Debug of {value}");
    }
    assert!(canonical.iter().any(|(name, value)| name == "AF_NETLINK" && *value == 16));
    assert_eq!(format!("{:?}", AddressFamily::AF_ROUTE), "AF_NETLINK");
}

#[test]
fn address_family_names_python_lacks_are_the_known_exceptions() {
    let members = fact(&python_facts(), "AF_MEMBER");
    let extra: Vec<&str> = AddressFamily::NAMES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !members.iter().any(|(n, _)| n == name))
        .collect();
    for name in &extra {
        assert!(
            FAMILIES_PYTHON_MAY_LACK.iter().any(|(known, _)| known == name),
            "AddressFamily::{name} is not in Python's AddressFamily and not a known exception"
        );
    }
}

// ===== SocketKind =====

#[test]
fn socket_kind_has_every_python_member_as_an_associated_const() {
    let members = fact(&python_facts(), "SK_MEMBER");
    assert!(members.len() >= 5, "too few SocketKind members: {members:?}");
    for (name, value) in &members {
        assert_eq!(SocketKind::from_name(name), Some(SocketKind::from(*value)), "{name}");
    }
    // And nothing more: every kind asock names is one Python names.
    for (name, _) in SocketKind::NAMES {
        assert!(members.iter().any(|(n, _)| n == name), "SocketKind::{name} not in Python");
    }
}

#[test]
fn socket_kind_prints_the_name_python_gives_each_value() {
    for (name, value) in fact(&python_facts(), "SK_CANON") {
        let kind = SocketKind::from(value);
        assert_eq!(kind.name(), Some(name.as_str()));
        assert_eq!(kind.to_string(), name);
        assert_eq!(format!("{kind:?}"), name);
    }
}

#[test]
fn socket_kind_with_flags_is_no_member_and_base_gives_pythons_socket_type() {
    // Python's `sock.type` strips SOCK_NONBLOCK/SOCK_CLOEXEC; `base()` is that step.
    let facts = python_facts();
    let (py_name, py_value) = fact(&facts, "SK_TYPE_OF_NONBLOCKING_STREAM").remove(0);
    let kind = SocketKind::SOCK_STREAM.with_flags(SocketKind::SOCK_NONBLOCK);
    assert_eq!(kind.name(), None);
    assert_eq!(kind.to_string(), (libc::SOCK_STREAM | libc::SOCK_NONBLOCK).to_string());
    assert_eq!(kind.base().name(), Some(py_name.as_str()));
    assert_eq!(kind.base().raw(), py_value);
}

// ===== Unknown values =====

#[test]
fn unknown_values_print_as_numbers_and_round_trip_through_c_int() {
    let facts = python_facts();
    // Python's enums have no member for it either, so there is no name to print.
    assert_eq!(fact(&facts, "AF_UNKNOWN_VALID"), vec![("x".to_owned(), 0)]);
    assert_eq!(fact(&facts, "SK_UNKNOWN_VALID"), vec![("x".to_owned(), 0)]);

    let family = AddressFamily::from(UNKNOWN);
    assert_eq!(family.name(), None);
    assert_eq!(family.to_string(), "4242");
    assert_eq!(format!("{family:?}"), "4242");
    assert_eq!(c_int::from(family), UNKNOWN);
    assert_eq!(AddressFamily::from_name("4242"), None);

    let kind = SocketKind::from(UNKNOWN);
    assert_eq!(kind.name(), None);
    assert_eq!(format!("{kind} {kind:?}"), "4242 4242");
    assert_eq!(c_int::from(kind), UNKNOWN);

    let proto = Protocol::from(-7);
    assert_eq!(proto.name(), None);
    assert_eq!(format!("{proto} {proto:?}"), "-7 -7");
    assert_eq!(c_int::from(proto), -7);
}

// ===== Protocol =====

#[test]
fn protocol_has_every_python_ipproto_constant() {
    let ipproto = fact(&python_facts(), "IPPROTO");
    assert!(ipproto.len() > 20, "too few IPPROTO_ constants: {ipproto:?}");
    for (name, value) in &ipproto {
        assert_eq!(Protocol::from_name(name), Some(Protocol::from(*value)), "{name}");
    }
    for (name, _) in Protocol::NAMES {
        assert!(ipproto.iter().any(|(n, _)| n == name), "Protocol::{name} is not in Python");
    }
}

#[test]
fn protocol_zero_prints_as_ipproto_ip() {
    // Python has no Protocol enum; IPPROTO_HOPOPTS shares 0 with IPPROTO_IP, and the
    // socket(2) default (`proto=0`) reads as IPPROTO_IP.
    let ipproto = fact(&python_facts(), "IPPROTO");
    assert!(ipproto.iter().any(|(n, v)| n == "IPPROTO_HOPOPTS" && *v == 0));
    assert_eq!(Protocol::from(0).name(), Some("IPPROTO_IP"));
    assert_eq!(format!("{:?}", Protocol::IPPROTO_HOPOPTS), "IPPROTO_IP");
}

#[test]
fn protocol_default_is_pythons_proto_zero() {
    // What a socket created without a protocol reports as `proto`.
    let out = run_python("import socket\ns = socket.socket()\nprint(s.proto)\ns.close()");
    let python_default: c_int = out.trim().parse().expect("an int");
    assert_eq!(Protocol::DEFAULT.raw(), python_default);
    assert_eq!(Protocol::default(), Protocol::DEFAULT);
    assert_eq!(Protocol::DEFAULT, Protocol::IPPROTO_IP);
    assert_eq!(format!("{:?}", Protocol::DEFAULT), "IPPROTO_IP");
    // A name for asock's use, not a constant Python has.
    assert_eq!(Protocol::from_name("DEFAULT"), None);
}

// ===== All three =====

#[test]
fn from_name_round_trips_for_every_name() {
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        names: &[(&str, T)],
        from_name: impl Fn(&str) -> Option<T>,
        name_of: impl Fn(T) -> Option<&'static str>,
    ) {
        for (name, value) in names {
            assert_eq!(from_name(name), Some(*value), "from_name({name})");
            let canonical = name_of(*value).expect("a named value has a name");
            assert_eq!(from_name(canonical), Some(*value), "from_name(name({name}))");
        }
    }
    check(AddressFamily::NAMES, AddressFamily::from_name, AddressFamily::name);
    check(SocketKind::NAMES, SocketKind::from_name, SocketKind::name);
    check(Protocol::NAMES, Protocol::from_name, Protocol::name);
}

#[test]
fn associated_consts_equal_the_consts_module() {
    let newtypes = AddressFamily::NAMES
        .iter()
        .map(|(n, v)| (*n, v.raw()))
        .chain(SocketKind::NAMES.iter().map(|(n, v)| (*n, v.raw())))
        .chain(Protocol::NAMES.iter().map(|(n, v)| (*n, v.raw())));
    for (name, raw) in newtypes {
        assert_eq!(consts_value(name), Some(i64::from(raw)), "{name}");
    }
}
