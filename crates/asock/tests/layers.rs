//! The layers of `crates/asock/src` point down only.
//!
//! docs/design.md holds the layer table (the rows after its `layers:` marker): each module of
//! the crate has a rank, and a module may use what ranks at or below it. This test reads every
//! source file, finds each `crate::…` path in its code (in `use` lines and inline), resolves
//! the first segment to a module (through lib.rs's re-exports for names at the crate root), and
//! fails on every path that points to a higher rank, listing them all.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
const DESIGN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/design.md");

/// Module name → rank, from the table in docs/design.md.
fn layer_table() -> HashMap<String, usize> {
    let text = fs::read_to_string(DESIGN).expect("docs/design.md");
    let start = text.find("<!-- layers:").expect("the layers marker in docs/design.md");
    let mut ranks = HashMap::new();
    for line in text[start..].lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Ok(rank) = cells[0].parse::<usize>() else { continue };
        for module in cells[1].split('`').skip(1).step_by(2) {
            let module = module.trim_end_matches('/').trim_end_matches(".rs");
            assert!(ranks.insert(module.to_string(), rank).is_none(), "{module} listed twice");
        }
    }
    assert!(!ranks.is_empty(), "no rows after the layers marker");
    ranks
}

/// The module a file belongs to: its first path component under src/ (`lib` for lib.rs).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(SRC).expect("under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line, without a `//` comment (doc comments included: examples use the
/// public paths, which is not a dependency of the module).
fn code(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// Root names lib.rs re-exports from a module of this crate (`pub use reactor::X`).
fn root_reexports(ranks: &HashMap<String, usize>) -> HashMap<String, String> {
    let lib = fs::read_to_string(Path::new(SRC).join("lib.rs")).expect("lib.rs");
    let mut names = HashMap::new();
    // Join multi-line `pub use a::{...};` statements first.
    let flat: String = lib.lines().map(code).collect::<Vec<_>>().join(" ");
    for statement in flat.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else { continue };
        let rest = rest.trim().trim_start_matches("crate::");
        let Some((module, items)) = rest.split_once("::") else { continue };
        if !ranks.contains_key(module) {
            continue;
        }
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.trim();
            let name = item.rsplit("::").next().unwrap_or(item);
            let name = name.split(" as ").last().unwrap_or(name).trim();
            if !name.is_empty() && name != "*" && name != "self" {
                names.insert(name.to_string(), module.to_string());
            }
        }
    }
    names
}

/// Every module a line refers to through `crate::first::…` or `use crate::{a::…, b::…}`.
fn referenced(
    line: &str,
    ranks: &HashMap<String, usize>,
    root: &HashMap<String, String>,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let segments: Vec<String> = if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').map(|s| first_segment(s.trim())).collect()
        } else {
            vec![first_segment(after)]
        };
        for segment in segments {
            if ranks.contains_key(&segment) {
                found.push(segment);
            } else if let Some(module) = root.get(&segment) {
                found.push(module.clone());
            }
            // Anything else at the root is asock-core's (`pub use asock_core::*`): the
            // bottom, always allowed.
        }
        rest = after;
    }
    found
}

fn first_segment(path: &str) -> String {
    path.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("").to_string()
}

#[test]
fn imports_point_down_only() {
    let ranks = layer_table();
    let root = root_reexports(&ranks);
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    files.sort();
    let mut unranked = Vec::new();
    let mut upward = Vec::new();
    for file in &files {
        let module = module_of(file);
        let Some(&rank) = ranks.get(&module) else {
            unranked.push(module);
            continue;
        };
        let text = fs::read_to_string(file).expect("source");
        for (number, line) in text.lines().enumerate() {
            for target in referenced(code(line), &ranks, &root) {
                if ranks[&target] > rank {
                    let rel = file.strip_prefix(SRC).unwrap().display();
                    upward.push(format!(
                        "src/{rel}:{}: {module} (layer {rank}) uses {target} (layer {}): {}",
                        number + 1,
                        ranks[&target],
                        line.trim()
                    ));
                }
            }
        }
    }
    unranked.sort();
    unranked.dedup();
    assert!(unranked.is_empty(), "modules missing from the layer table: {unranked:?}");
    assert!(upward.is_empty(), "{} imports point up:\n{}", upward.len(), upward.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_path() {
    // The test above passing means nothing unless a violation would be caught.
    let ranks: HashMap<String, usize> =
        [("sys", 1), ("reactor", 6), ("mode", 7)].map(|(m, r)| (m.to_string(), r)).into();
    let root: HashMap<String, String> = [("ModeExt".to_string(), "mode".to_string())].into();
    assert_eq!(referenced("use crate::mode::OpWait;", &ranks, &root), ["mode"]);
    assert_eq!(referenced("use crate::{sys, mode::Mode};", &ranks, &root), ["sys", "mode"]);
    assert_eq!(referenced("let x = crate::ModeExt::timeout(f, d);", &ranks, &root), ["mode"]);
    assert_eq!(referenced("use crate::{Error, Result};", &ranks, &root), Vec::<String>::new());
}
