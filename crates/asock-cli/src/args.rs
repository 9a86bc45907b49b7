//! A small command-line parser: positional words, `--flag` and `--option VALUE` (or
//! `--option=VALUE`), in any order, with errors that name the offending word.
//!
//! The `asock` command has five subcommands with a handful of options each; a parser crate
//! would be the largest dependency of the workspace for that, so this is the whole of it.

use std::collections::BTreeMap;
use std::fmt;

/// A usage error: printed as one line, exit status 2.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a subcommand accepts: options that take a value and flags that don't.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Options that take a value, without the leading dashes.
    pub options: &'static [&'static str],
    /// Flags, without the leading dashes.
    pub flags: &'static [&'static str],
    /// The most positional words accepted.
    pub max_positional: usize,
}

/// Parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional words, in order.
    pub positional: Vec<String>,
    options: BTreeMap<&'static str, String>,
    flags: Vec<&'static str>,
}

impl Args {
    /// Parses `words` against `spec`. `--` ends option parsing.
    pub fn parse(words: &[String], spec: Spec) -> Result<Args, UsageError> {
        let mut args = Args::default();
        let mut words = words.iter();
        let mut options_done = false;
        while let Some(word) = words.next() {
            if options_done || !word.starts_with("--") || word == "-" {
                args.positional.push(word.clone());
                continue;
            }
            if word == "--" {
                options_done = true;
                continue;
            }
            let body = &word[2..];
            let (name, inline) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (body, None),
            };
            if let Some(&flag) = spec.flags.iter().find(|f| **f == name) {
                if inline.is_some() {
                    return Err(UsageError(format!("--{flag} takes no value")));
                }
                args.flags.push(flag);
            } else if let Some(&option) = spec.options.iter().find(|o| **o == name) {
                let value = match inline {
                    Some(value) => value,
                    None => words
                        .next()
                        .cloned()
                        .ok_or_else(|| UsageError(format!("--{option} needs a value")))?,
                };
                args.options.insert(option, value);
            } else {
                return Err(UsageError(format!("unknown option {word}")));
            }
        }
        if args.positional.len() > spec.max_positional {
            return Err(UsageError(format!(
                "unexpected argument {:?}",
                args.positional[spec.max_positional]
            )));
        }
        Ok(args)
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    /// The value of `--name VALUE`, if given.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// The value of `--name VALUE` parsed as `T`, if given.
    pub fn parsed<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, UsageError> {
        self.option(name)
            .map(|text| {
                text.parse().map_err(|_| UsageError(format!("--{name}: cannot use {text:?} here")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec =
        Spec { options: &["timeout", "family"], flags: &["verbose"], max_positional: 2 };

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_flags_and_positionals_mix_in_any_order() {
        let args = Args::parse(&words("--verbose host --timeout 3 80"), SPEC).unwrap();
        assert_eq!(args.positional, ["host", "80"]);
        assert!(args.flag("verbose"));
        assert_eq!(args.option("timeout"), Some("3"));
        assert_eq!(args.parsed::<f64>("timeout").unwrap(), Some(3.0));
    }

    #[test]
    fn inline_values_are_accepted() {
        let args = Args::parse(&words("--family=inet6 ::1"), SPEC).unwrap();
        assert_eq!(args.option("family"), Some("inet6"));
        assert_eq!(args.positional, ["::1"]);
    }

    #[test]
    fn unknown_option_is_a_usage_error_naming_it() {
        let err = Args::parse(&words("--bogus"), SPEC).unwrap_err();
        assert_eq!(err.0, "unknown option --bogus");
    }

    #[test]
    fn missing_value_is_a_usage_error() {
        let err = Args::parse(&words("--timeout"), SPEC).unwrap_err();
        assert_eq!(err.0, "--timeout needs a value");
    }

    #[test]
    fn too_many_positionals_is_a_usage_error() {
        let err = Args::parse(&words("a b c"), SPEC).unwrap_err();
        assert_eq!(err.0, "unexpected argument \"c\"");
    }

    #[test]
    fn double_dash_ends_options() {
        let args = Args::parse(&words("-- --verbose"), SPEC).unwrap();
        assert_eq!(args.positional, ["--verbose"]);
        assert!(!args.flag("verbose"));
    }

    #[test]
    fn unparsable_value_is_a_usage_error() {
        let args = Args::parse(&words("--timeout soon"), SPEC).unwrap();
        assert!(args.parsed::<f64>("timeout").is_err());
    }
}
