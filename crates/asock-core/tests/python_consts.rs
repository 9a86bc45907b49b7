//! `asock_core::consts` against the machine's `python3`: every integer constant of Python's
//! `socket` module must be in `consts::ALL` under the same name with the same value, and
//! every name in `ALL` that this Python lacks must be one we know to be newer than Python 3.11
//! or present only in Bluetooth-enabled builds, so a typo cannot hide behind "newer Python".
#![cfg(target_os = "linux")]

use std::collections::{BTreeMap, HashSet};

mod oracle;

use asock_core::consts;

/// Names Python added after 3.11, with the version that added them (CPython's socket docs and
/// changelog). On a Python that has them, their values are checked like any other.
const NEWER_THAN_PY311: &[(&str, &str)] = &[
    ("ETHERTYPE_ARP", "3.12"),
    ("ETHERTYPE_IP", "3.12"),
    ("ETHERTYPE_IPV6", "3.12"),
    ("ETHERTYPE_VLAN", "3.12"),
    ("ETH_P_ALL", "3.12"),
    ("IP_PKTINFO", "3.12"),
    ("IP_UNBLOCK_SOURCE", "3.12"),
    ("IP_BLOCK_SOURCE", "3.12"),
    ("IP_ADD_SOURCE_MEMBERSHIP", "3.12"),
    ("IP_DROP_SOURCE_MEMBERSHIP", "3.12"),
    ("TCP_MD5SIG", "3.12"),
    ("TCP_THIN_LINEAR_TIMEOUTS", "3.12"),
    ("TCP_THIN_DUPACK", "3.12"),
    ("TCP_REPAIR", "3.12"),
    ("TCP_REPAIR_QUEUE", "3.12"),
    ("TCP_QUEUE_SEQ", "3.12"),
    ("TCP_REPAIR_OPTIONS", "3.12"),
    ("TCP_TIMESTAMP", "3.12"),
    ("TCP_CC_INFO", "3.12"),
    ("TCP_SAVE_SYN", "3.12"),
    ("TCP_SAVED_SYN", "3.12"),
    ("TCP_REPAIR_WINDOW", "3.12"),
    ("TCP_FASTOPEN_CONNECT", "3.12"),
    ("TCP_ULP", "3.12"),
    ("TCP_MD5SIG_EXT", "3.12"),
    ("TCP_FASTOPEN_KEY", "3.12"),
    ("TCP_FASTOPEN_NO_COOKIE", "3.12"),
    ("TCP_ZEROCOPY_RECEIVE", "3.12"),
    ("TCP_INQ", "3.12"),
    ("TCP_TX_DELAY", "3.12"),
    ("SO_BINDTOIFINDEX", "3.13"),
    ("NI_IDN", "3.13"),
    ("IP_RECVERR", "3.14"),
    ("IP_RECVORIGDSTADDR", "3.14"),
    ("IP_RECVTTL", "3.14"),
    ("IPV6_RECVERR", "3.14"),
    ("IP_FREEBIND", "3.14"),
    ("SO_ORIGINAL_DST", "3.14"),
    ("VMADDR_CID_LOCAL", "3.14"),
    // Present up to 3.10, lost in 3.11 (a build-flag mistake), restored in 3.14.
    ("CAN_RAW_ERR_FILTER", "3.14"),
];

/// Names CPython defines only when built with the BlueZ headers (`USE_BLUETOOTH`).
const BLUETOOTH_BUILDS_ONLY: &[&str] = &[
    "AF_BLUETOOTH",
    "BTPROTO_L2CAP",
    "BTPROTO_HCI",
    "BTPROTO_SCO",
    "BTPROTO_RFCOMM",
    "SOL_HCI",
    "HCI_DATA_DIR",
    "HCI_FILTER",
    "HCI_TIME_STAMP",
];

/// Every int constant of Python's `socket` module (`bool`s such as `has_ipv6` excluded), one
/// `NAME VALUE` line each, then `has_ipv6 True|False` and `version X.Y`.
const PY_DUMP: &str = r#"
import socket, sys
for name in dir(socket):
    value = getattr(socket, name)
    public = name.isupper() or name == "AF_DECnet"
    if public and isinstance(value, int) and not isinstance(value, bool):
        print(name, int(value))
print("has_ipv6", socket.has_ipv6)
print("version", "%d.%d" % sys.version_info[:2])
"#;

fn run_python(script: &str) -> String {
    oracle::python(script, "", 60)
}

struct PythonSocket {
    ints: BTreeMap<String, i64>,
    has_ipv6: bool,
    version: String,
}

fn python_socket() -> PythonSocket {
    let mut ints = BTreeMap::new();
    let mut has_ipv6 = None;
    let mut version = None;
    for line in run_python(PY_DUMP).lines() {
        let (name, value) = line.split_once(' ').expect("NAME VALUE line");
        match name {
            "has_ipv6" => has_ipv6 = Some(value == "True"),
            "version" => version = Some(value.to_owned()),
            _ => {
                let value = value.parse().unwrap_or_else(|e| panic!("{name}: {value}: {e}"));
                ints.insert(name.to_owned(), value);
            }
        }
    }
    PythonSocket {
        ints,
        has_ipv6: has_ipv6.expect("has_ipv6 line"),
        version: version.expect("version line"),
    }
}

fn ours() -> BTreeMap<&'static str, i64> {
    consts::ALL.iter().copied().collect()
}

#[test]
fn every_python_constant_is_in_all_with_the_same_value() {
    let py = python_socket();
    let ours = ours();
    assert!(py.ints.len() > 300, "python3 listed only {} constants", py.ints.len());

    let mut problems = Vec::new();
    for (name, &value) in &py.ints {
        match ours.get(name.as_str()) {
            None => problems.push(format!("missing: {name} = {value}")),
            Some(&mine) if mine != value => {
                problems.push(format!("wrong value: {name} is {mine}, Python says {value}"))
            }
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) against Python {}:\n  {}",
        problems.len(),
        py.version,
        problems.join("\n  ")
    );
}

#[test]
fn names_python_lacks_are_newer_than_311_or_bluetooth_only() {
    let py = python_socket();
    let allowed: HashSet<&str> = NEWER_THAN_PY311
        .iter()
        .map(|(name, _)| *name)
        .chain(BLUETOOTH_BUILDS_ONLY.iter().copied())
        .collect();
    let unexplained: Vec<&str> = consts::ALL
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !py.ints.contains_key(*name) && !allowed.contains(name))
        .collect();
    assert!(
        unexplained.is_empty(),
        "in consts::ALL but not in Python {} and not listed as newer or Bluetooth-only: {:?}",
        py.version,
        unexplained
    );
}

#[test]
fn python_311_has_none_of_the_newer_names() {
    // Keeps the list honest: a name listed as "newer" that 3.11 already has belongs in the
    // main table's checked set, and its version note is wrong.
    let py = python_socket();
    if py.version != "3.11" {
        println!("SKIPPED: python3 is {}, this check is about 3.11", py.version);
        return;
    }
    let wrongly_listed: Vec<&str> = NEWER_THAN_PY311
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| py.ints.contains_key(*name))
        .collect();
    assert!(wrongly_listed.is_empty(), "Python 3.11 already has {wrongly_listed:?}");
}

#[test]
fn allow_lists_name_only_constants_that_exist() {
    let ours = ours();
    let listed =
        NEWER_THAN_PY311.iter().map(|(name, _)| *name).chain(BLUETOOTH_BUILDS_ONLY.iter().copied());
    let unknown: Vec<&str> = listed.filter(|name| !ours.contains_key(name)).collect();
    assert!(unknown.is_empty(), "allow-listed but not in consts::ALL: {unknown:?}");
}

#[test]
fn all_has_no_duplicate_names() {
    let mut seen = HashSet::new();
    let duplicates: Vec<&str> =
        consts::ALL.iter().map(|(name, _)| *name).filter(|name| !seen.insert(*name)).collect();
    assert!(duplicates.is_empty(), "listed twice in consts::ALL: {duplicates:?}");
}

#[test]
fn has_ipv6_matches_python() {
    assert_eq!(consts::HAS_IPV6, python_socket().has_ipv6);
}
