//! `MsgFlags` against the machine's `python3`: every member of `socket.MsgFlag` and every
//! `MSG_*` constant is an associated constant of the same value, the names Python lacks are
//! exactly the documented Linux-only ones, and `Debug` lists flags as `MsgFlag.name` does.
#![cfg(target_os = "linux")]

mod oracle;

use asock_core::{consts, MsgFlags};
use libc::c_int;

/// `MEMBER name value` for `socket.MsgFlag`, `CONST name value` for `socket.MSG_*`, then
/// `NAME value name` for each value read from stdin.
const PY_DUMP: &str = r#"
import socket, sys
for name, member in socket.MsgFlag.__members__.items():
    print("MEMBER", name, int(member))
for name in dir(socket):
    if name.startswith("MSG_"):
        print("CONST", name, int(getattr(socket, name)))
for line in sys.stdin:
    value = int(line)
    flag = socket.MsgFlag(value)
    print("NAME", value, flag.name if flag.name is not None else str(int(flag)))
"#;

/// Values whose names to compare: each Python flag alone, some pairs, all of them, and bits no
/// one names (`MSG_PROBE` 0x10, `MSG_FIN` 0x200, `MSG_SYN` 0x400, `MSG_RST` 0x1000) alone and
/// mixed in. Bits asock names and Python does not (the Linux-only ones) are left out: Python
/// prints them as a number.
fn samples(python_flags: &[c_int]) -> Vec<c_int> {
    let unnamed = [0x10, 0x200 | 0x400, 0x1000];
    let all = python_flags.iter().fold(0, |a, b| a | b);
    let mut values = vec![0, all];
    values.extend(python_flags);
    values.extend(python_flags.windows(2).map(|w| w[0] | w[1]));
    values.extend(unnamed);
    values.extend(unnamed.iter().zip(python_flags).map(|(u, f)| u | f));
    values.push(all | 0x10);
    values
}

fn lines(output: &str, tag: &str) -> Vec<(String, String)> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix(tag)?.strip_prefix(' '))
        .map(|rest| {
            let (a, b) = rest.split_once(' ').unwrap_or_else(|| panic!("odd line {rest:?}"));
            (a.to_owned(), b.to_owned())
        })
        .collect()
}

/// `(name, value)` pairs as python3 printed them.
type Named = Vec<(String, c_int)>;

/// `socket.MsgFlag`'s members and the module's `MSG_*` constants.
fn python_flags() -> (Named, Named) {
    let output = oracle::python(PY_DUMP, "", 60);
    let parse = |tag| {
        lines(&output, tag)
            .into_iter()
            .map(|(n, v)| (n, v.parse::<c_int>().expect("an int")))
            .collect::<Vec<_>>()
    };
    (parse("MEMBER"), parse("CONST"))
}

#[test]
fn msg_flags_has_every_python_msg_flag_under_its_name() {
    let (members, constants) = python_flags();
    assert!(members.len() >= 14, "too few MsgFlag members: {members:?}");
    for (name, value) in members.iter().chain(&constants) {
        assert_eq!(MsgFlags::from_name(name), Some(MsgFlags::from_raw(*value)), "{name}");
        let in_consts = consts::ALL.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
        assert_eq!(in_consts, Some(i64::from(*value)), "consts::{name}");
    }
}

#[test]
fn msg_flags_python_lacks_are_exactly_the_linux_only_ones() {
    let (members, constants) = python_flags();
    let python_has = |name: &str| members.iter().chain(&constants).any(|(n, _)| n == name);
    let extra: Vec<&str> =
        MsgFlags::NAMES.iter().map(|(n, _)| *n).filter(|n| !python_has(n)).collect();
    assert_eq!(extra, MsgFlags::LINUX_ONLY);
    // consts is Python's module: the Linux-only names stay out of it.
    for name in MsgFlags::LINUX_ONLY {
        assert!(!consts::ALL.iter().any(|(n, _)| n == name), "consts::{name}");
    }
    assert_eq!(MsgFlags::MSG_WAITFORONE.raw(), libc::MSG_WAITFORONE);
    assert_eq!(MsgFlags::MSG_ZEROCOPY.raw(), libc::MSG_ZEROCOPY);
}

#[test]
fn msg_flags_debug_lists_flags_as_python_msg_flag_name_does() {
    let (members, _) = python_flags();
    let flags: Vec<c_int> = members.iter().map(|(_, v)| *v).collect();
    let values = samples(&flags);
    let input: String = values.iter().map(|v| format!("{v}\n")).collect();
    let output = oracle::python(PY_DUMP, &input, 60);
    let names = lines(&output, "NAME");
    assert_eq!(names.len(), values.len(), "python3 named every sample");
    for (value, python_name) in names {
        let value: c_int = value.parse().expect("an int");
        let ours = format!("{:?}", MsgFlags::from_raw(value));
        assert_eq!(ours.replace(" | ", "|"), python_name, "{value:#x}");
        assert_eq!(MsgFlags::from_raw(value).to_string(), ours);
    }
}
