//! Every operation of `blocking::Socket` has its counterpart on `AsyncSocket`.
//!
//! The two front doors differ in shape on purpose — `blocking::Socket` keeps Python's names
//! and signatures (`recv(bufsize) -> Vec`, `recv_into(buf, nbytes)`, `connect_ex`), while
//! `AsyncSocket` has Rust's (`recv(&mut [u8])`, `recv_buf`, typed flags) and the `try_*` /
//! `poll_*` forms of async Rust — but they run the same operations. [`PARITY`] says, for each
//! public method of `blocking::Socket`, which `AsyncSocket` methods do the same; [`ASYNC_ONLY`]
//! names the async methods with no blocking twin and why.
//!
//! Read from the sources, as the compiler sees them: every `pub fn` of an `impl Socket` block
//! under `src/blocking/` and of an `impl AsyncSocket` block under `src/async_socket/`, and
//! those the shared macros of `src/mode/facade.rs` stamp out where a front door invokes them
//! for its type (`crate::mode::shape_methods!(Socket, ...)`: the macro's own `pub fn`s, and
//! the `fn name;` entries the invocation lists). The
//! test fails when a public method appears on either type that the tables do not list, or
//! when the tables name a method that no longer exists: a method added to one front door
//! must be given its counterpart (or a reason) here.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// `blocking::Socket` method → the `AsyncSocket` methods that perform the same operation.
const PARITY: &[(&str, &[&str])] = &[
    // batched UDP
    ("send_batch", &["send_batch", "try_send_batch"]),
    ("recv_batch", &["recv_batch", "try_recv_batch"]),
    // creation and lifetime
    ("new", &["new"]),
    ("pair", &["pair"]),
    ("from_fd", &["from_fd"]),
    ("dup", &["dup"]),
    ("close", &["close"]),
    ("detach", &["detach"]),
    ("is_closed", &["is_closed"]),
    ("fileno", &["fileno"]),
    ("family", &["family"]),
    ("kind", &["kind"]),
    ("proto", &["proto"]),
    ("inheritable", &["inheritable"]),
    ("set_inheritable", &["set_inheritable"]),
    ("options", &["options"]),
    // modes
    ("set_timeout", &["set_timeout"]),
    ("set_timeout_secs", &["set_timeout_secs"]),
    ("timeout", &["timeout"]),
    ("set_blocking", &["set_blocking"]),
    ("is_blocking", &["is_blocking"]),
    // naming and addresses
    ("bind", &["bind"]),
    ("listen", &["listen"]),
    ("shutdown", &["shutdown"]),
    ("local_addr", &["local_addr"]),
    ("peer_addr", &["peer_addr"]),
    // connections
    ("accept", &["accept", "try_accept", "poll_accept"]),
    ("connect", &["connect"]),
    // Python's connect_ex returns the errno that `connect` reports as its error.
    ("connect_ex", &["connect"]),
    // receiving: Python's new-bytes forms are receives into a Vec's spare capacity; its
    // `*_into(buf, nbytes)` forms take the buffer's length (a slice) as nbytes.
    ("recv", &["recv_buf", "try_recv_buf", "poll_recv"]),
    ("recv_with_flags", &["recv_with_flags", "try_recv_with_flags"]),
    ("recv_into", &["recv", "try_recv", "poll_recv"]),
    ("recv_into_with_flags", &["recv_with_flags", "try_recv_with_flags"]),
    ("recv_from", &["recv_from", "try_recv_from", "poll_recv_from"]),
    ("recv_from_with_flags", &["recv_from_with_flags"]),
    ("recv_from_into", &["recv_from", "try_recv_from", "poll_recv_from"]),
    ("recv_from_into_with_flags", &["recv_from_with_flags"]),
    // sending
    ("send", &["send", "try_send", "poll_send"]),
    ("send_with_flags", &["send_with_flags", "try_send_with_flags"]),
    ("send_all", &["send_all"]),
    ("send_all_with_flags", &["send_all_with_flags"]),
    ("send_to", &["send_to", "try_send_to", "poll_send_to"]),
    ("send_to_with_flags", &["send_to_with_flags"]),
    // ancillary data and files
    ("send_msg", &["send_msg"]),
    ("recv_msg", &["recv_msg"]),
    ("recv_msg_into", &["recv_msg"]),
    ("send_fds", &["send_fds"]),
    ("recv_fds", &["recv_fds"]),
    ("send_file", &["send_file"]),
];

/// `AsyncSocket` methods with no blocking twin, and why.
const ASYNC_ONLY: &[(&str, &str)] = &[
    ("backend", "which reactor serves the socket"),
    ("readable", "readiness: tokio's AsyncFd (blocking code polls the fd itself)"),
    ("writable", "readiness, as readable"),
    ("ready", "readiness, as readable"),
    ("try_io", "the caller's own syscall under the reactor's readiness"),
    ("async_io", "the caller's own syscall, waiting on the reactor"),
    ("split", "halves for concurrent tasks (a blocking socket is shared by reference)"),
    ("into_split", "owned halves, as split"),
    ("send_vectored", "gathered send; blocking::Socket has Write::write_vectored"),
    ("try_send_vectored", "as send_vectored"),
    ("poll_send_vectored", "as send_vectored, for AsyncWrite::poll_write_vectored"),
];

/// The names of the `pub fn`s inside `impl <ty>` blocks of every `.rs` file under `dir`,
/// and of those the `facade` macros generate for `<ty>` there.
fn pub_methods(
    dir: &Path,
    ty: &str,
    facade: &HashMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).expect("source file");
        let mut inside = false;
        // The facade macro being invoked, and whether for `ty`.
        let mut invocation: Option<(String, Option<bool>)> = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("crate::mode::") {
                let name = rest.split('!').next().unwrap_or_default().to_owned();
                let on_line = rest.split_once(['(', '{']).map(|(_, args)| first_ident(args));
                let for_ty = on_line.filter(|t| !t.is_empty()).map(|t| t == ty);
                if line.trim_end().ends_with(';') {
                    // All on one line: no `fn name;` list.
                    if for_ty == Some(true) {
                        names.extend(facade.get(&name).into_iter().flatten().cloned());
                    }
                } else {
                    invocation = Some((name, for_ty));
                }
                continue;
            }
            if let Some((macro_name, for_ty)) = &mut invocation {
                let for_ty = *for_ty.get_or_insert_with(|| first_ident(line) == ty);
                if let Some(listed) = line.trim().strip_prefix("fn ") {
                    if for_ty {
                        names.insert(listed.trim_end_matches(';').to_owned());
                    }
                }
                if line.starts_with('}') || line.starts_with(')') {
                    if for_ty {
                        names
                            .extend(facade.get(macro_name.as_str()).into_iter().flatten().cloned());
                    }
                    invocation = None;
                }
                continue;
            }
            if line.starts_with("impl") {
                inside = line.trim_end().trim_end_matches(" {").ends_with(&format!(" {ty}"));
            } else if line.starts_with('}') {
                inside = false;
            }
            if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
                if inside {
                    names.insert(fn_name(rest));
                }
            }
        }
    }
    names
}

/// Each macro of `src/mode/facade.rs` → the `pub fn`s it writes under a fixed name (those
/// named by a metavariable, `pub fn $send`, come from the invocation's `fn name;` list).
fn facade_methods(src: &Path) -> HashMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(src.join("mode/facade.rs")).expect("mode/facade.rs");
    let mut macros: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("macro_rules! ") {
            current = Some(first_ident(rest));
            macros.entry(first_ident(rest)).or_default();
        } else if let (Some(name), Some(rest)) =
            (&current, line.trim_start().strip_prefix("pub fn "))
        {
            if !rest.starts_with('$') {
                macros.get_mut(name).expect("entered above").insert(fn_name(rest));
            }
        }
    }
    macros
}

fn fn_name(rest: &str) -> String {
    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

fn first_ident(text: &str) -> String {
    fn_name(text.trim_start())
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn sources() -> (BTreeSet<String>, BTreeSet<String>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let facade = facade_methods(&src);
    let blocking = pub_methods(&src.join("blocking"), "Socket", &facade);
    let asynchronous = pub_methods(&src.join("async_socket"), "AsyncSocket", &facade);
    // The scan found the methods (a change of layout would otherwise pass vacuously).
    for name in ["recv_into", "send_all", "connect_ex", "recv_msg_into", "family", "new"] {
        assert!(blocking.contains(name), "blocking scan lacks {name}: {blocking:?}");
    }
    for name in ["recv_buf", "poll_recv", "try_accept", "send_vectored", "timeout", "dup"] {
        assert!(asynchronous.contains(name), "async scan lacks {name}: {asynchronous:?}");
    }
    (blocking, asynchronous)
}

#[test]
fn every_blocking_operation_has_its_async_counterpart() {
    let (blocking, asynchronous) = sources();
    let listed: BTreeSet<String> = PARITY.iter().map(|(b, _)| (*b).to_owned()).collect();
    let unlisted: Vec<_> = blocking.difference(&listed).collect();
    assert!(unlisted.is_empty(), "blocking::Socket methods missing from PARITY: {unlisted:?}");
    let stale: Vec<_> = listed.difference(&blocking).collect();
    assert!(stale.is_empty(), "PARITY names blocking methods that do not exist: {stale:?}");
    let missing: Vec<_> = PARITY
        .iter()
        .flat_map(|(b, twins)| twins.iter().map(move |a| (b, a)))
        .filter(|(_, a)| !asynchronous.contains(**a))
        .collect();
    assert!(
        missing.is_empty(),
        "AsyncSocket lacks the counterparts (blocking, async): {missing:?}"
    );
    assert!(PARITY.iter().all(|(_, twins)| !twins.is_empty()), "every row names a counterpart");
}

#[test]
fn every_async_method_is_a_counterpart_or_says_why_not() {
    let (_, asynchronous) = sources();
    let counterparts: BTreeSet<&str> =
        PARITY.iter().flat_map(|(_, twins)| twins.iter().copied()).collect();
    let only: BTreeSet<&str> = ASYNC_ONLY.iter().map(|(name, _)| *name).collect();
    let both: Vec<_> = counterparts.intersection(&only).collect();
    assert!(both.is_empty(), "listed as counterparts and as async-only: {both:?}");
    let unlisted: Vec<_> = asynchronous
        .iter()
        .filter(|a| !counterparts.contains(a.as_str()) && !only.contains(a.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "AsyncSocket methods in neither PARITY nor ASYNC_ONLY: {unlisted:?}"
    );
    let stale: Vec<_> = only.iter().filter(|a| !asynchronous.contains(**a)).collect();
    assert!(stale.is_empty(), "ASYNC_ONLY names methods AsyncSocket does not have: {stale:?}");
}
