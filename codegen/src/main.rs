//! `aliyun-rpc-gen --api-docs FILE [--action NAME]... [--out FILE]`: Rust types for the
//! actions of an Aliyun `api-docs.json` (all of them without `--action`), to stdout or a file.
//! Exit codes: 0 done, 1 generation failed, 2 usage error.

use std::io::Write;
use std::process::ExitCode;

use aliyun_rpc_codegen::Config;

const USAGE: &str = "\
usage: aliyun-rpc-gen --api-docs FILE [--action NAME]... [--out FILE]

Writes Rust types (aliyun-rpc derives) for the actions of an Aliyun api-docs.json.

options:
  --api-docs FILE   the metadata file (required)
  --action NAME     an action to generate (repeatable; default: every action)
  --out FILE        where to write (default: stdout)
  -h, --help        this text
";

#[derive(Debug, Default, PartialEq)]
struct Args {
    api_docs: Option<String>,
    actions: Vec<String>,
    out: Option<String>,
    help: bool,
}

/// Reads `--flag VALUE` and `--flag=VALUE` forms; a usage error says what is wrong.
fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone().or_else(|| args.next()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("`{name}` needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => out.help = true,
            "--api-docs" => {
                let v = value("--api-docs")?;
                if out.api_docs.replace(v).is_some() {
                    return Err("`--api-docs` given twice; generate one file per run".to_owned());
                }
            }
            "--action" => out.actions.push(value("--action")?),
            "--out" => {
                let v = value("--out")?;
                if out.out.replace(v).is_some() {
                    return Err("`--out` given twice".to_owned());
                }
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if !out.help && out.api_docs.is_none() {
        return Err("`--api-docs FILE` is required".to_owned());
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("aliyun-rpc-gen: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut config = Config::new();
    if let Some(path) = &args.api_docs {
        config = config.api_docs(path);
    }
    for action in args.actions {
        config = config.action(action);
    }
    let result = match &args.out {
        Some(path) => config.write_to(path),
        None => config.generate().and_then(|code| {
            std::io::stdout()
                .lock()
                .write_all(code.as_bytes())
                .map_err(|source| aliyun_rpc_codegen::Error::Write {
                    path: "<stdout>".into(),
                    source,
                })
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aliyun-rpc-gen: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_flags_in_both_forms() {
        let parsed = args(&[
            "--api-docs",
            "ecs.json",
            "--action=A",
            "--action",
            "B",
            "--out=x.rs",
        ]);
        assert_eq!(
            parsed,
            Ok(Args {
                api_docs: Some("ecs.json".into()),
                actions: vec!["A".into(), "B".into()],
                out: Some("x.rs".into()),
                help: false,
            })
        );
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        assert_eq!(args(&[]), Err("`--api-docs FILE` is required".into()));
        assert_eq!(
            args(&["--api-docs"]),
            Err("`--api-docs` needs a value".into())
        );
        assert_eq!(
            args(&["--api-docs=", "x"]),
            Err("`--api-docs` needs a value".into())
        );
        assert_eq!(
            args(&["--api-docs", "a", "--verbose"]),
            Err("unknown argument `--verbose`".into())
        );
        assert_eq!(
            args(&["--api-docs", "a", "--api-docs", "b"]),
            Err("`--api-docs` given twice; generate one file per run".into())
        );
        assert!(args(&["--help"]).is_ok_and(|a| a.help));
    }
}
