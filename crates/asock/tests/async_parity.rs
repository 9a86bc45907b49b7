//! `AsyncSocket` has the whole method set of `blocking::Socket`, under the same names.
//!
//! Read from the sources: every `pub fn` of an `impl Socket` block under `src/blocking/`
//! must also be a `pub fn` under `src/async_socket/`. A method added to the blocking socket
//! without its async twin fails this test.

use std::collections::BTreeSet;
use std::path::Path;

/// The `pub fn` names inside `impl Socket` blocks (and free functions) of every `.rs` file
/// under `dir`.
fn pub_fns(dir: &Path, impl_of: Option<&str>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in walk(dir) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let mut inside = impl_of.is_none();
        for line in text.lines() {
            if let Some(ty) = impl_of {
                if line.starts_with("impl") {
                    inside = line.trim_end_matches(" {").ends_with(&format!(" {ty}"));
                } else if line.starts_with('}') {
                    inside = false;
                }
            }
            let trimmed = line.trim_start();
            if inside && trimmed.starts_with("pub fn ") {
                let name: String = trimmed["pub fn ".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        }
        // Methods stamped out by macros: `fn name(&self ...` lines inside `delegate!`.
        if impl_of.is_none() {
            for line in text.lines() {
                let trimmed = line.trim_start();
                if let Some(rest) = trimmed.strip_prefix("fn ") {
                    if rest.contains("(&self") && trimmed.ends_with(';') {
                        names.insert(
                            rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect(),
                        );
                    }
                }
            }
        }
    }
    names
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn async_socket_has_every_method_of_the_blocking_socket() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let blocking = pub_fns(&src.join("blocking"), Some("Socket"));
    assert!(blocking.len() > 80, "the scan found the blocking methods: {blocking:?}");
    let asynchronous = pub_fns(&src.join("async_socket"), None);
    let missing: Vec<_> = blocking.difference(&asynchronous).collect();
    assert!(missing.is_empty(), "AsyncSocket lacks: {missing:?}");
}
