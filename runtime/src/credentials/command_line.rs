//! Splitting an `External` profile's `process_command` into a program and its arguments,
//! without a shell: no `sh -c`, so nothing in the line is ever interpreted.
//!
//! The rules are the POSIX shell's quoting rules (as Python's `shlex.split` and
//! credentials-go's splitter apply them), and nothing else of the shell:
//!
//! - whitespace outside quotes separates words; `''` and `""` are empty words;
//! - inside `'…'` every character is itself;
//! - inside `"…"` a backslash escapes `"`, `\`, `$` and `` ` `` (and a backslash-newline
//!   vanishes); any other backslash is itself;
//! - outside quotes a backslash escapes the next character (a backslash-newline vanishes).
//!   On Windows a backslash outside quotes is itself (a path separator), and inside `"…"`
//!   only `\"` escapes.
//!
//! A shell would expand variables, run substitutions, pipe and redirect; this does not, so a
//! character that only means something to a shell is refused where a shell would act on it,
//! rather than passed on silently as text: unquoted `|`, `&`, `;`, `<`, `>`, `(`, `)`, and
//! `$` or `` ` `` outside single quotes. Quote or escape one to pass it as it is (`'a|b'`,
//! `\$HOME`), or put a pipeline in a script and name the script. Errors give a position,
//! never the text (a command line can hold a secret).

/// What a shell would act on outside quotes.
const OPERATORS: &[char] = &['|', '&', ';', '<', '>', '(', ')'];

/// The words of `line`, the first being the program; or what is wrong, without quoting it.
pub(crate) fn split(line: &str, windows: bool) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    // Whether a word has started (`""` is a word, empty).
    let mut started = false;
    let mut chars = line.chars().enumerate().peekable();
    while let Some((at, c)) = chars.next() {
        let position = at + 1;
        match c {
            '\'' => {
                started = true;
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => word.push(c),
                        None => {
                            return Err(format!("the `'` at character {position} is never closed"))
                        }
                    }
                }
            }
            '"' => {
                started = true;
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((at, '$' | '`')) => return Err(shell_only(at + 1, "inside `\"…\"`")),
                        Some((_, '\\')) => match chars.peek().map(|&(_, c)| c) {
                            Some('"') => {
                                word.push('"');
                                chars.next();
                            }
                            Some(c @ ('\\' | '$' | '`')) if !windows => {
                                word.push(c);
                                chars.next();
                            }
                            Some('\n') if !windows => {
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        Some((_, c)) => word.push(c),
                        None => {
                            return Err(format!("the `\"` at character {position} is never closed"))
                        }
                    }
                }
            }
            '\\' if !windows => match chars.next() {
                Some((_, '\n')) => {}
                Some((_, c)) => {
                    started = true;
                    word.push(c);
                }
                None => return Err("the line ends with a `\\` that escapes nothing".to_owned()),
            },
            c if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c if OPERATORS.contains(&c) || c == '$' || c == '`' => {
                return Err(shell_only(position, "unquoted"));
            }
            c => {
                started = true;
                word.push(c);
            }
        }
    }
    if started {
        words.push(word);
    }
    match words.first() {
        None => Err("it is empty".to_owned()),
        Some(program) if program.is_empty() => Err("its program is an empty word".to_owned()),
        Some(_) => Ok(words),
    }
}

/// The refusal of a shell-only character at `position`.
fn shell_only(position: usize, where_: &str) -> String {
    format!(
        "character {position} is {where_} shell syntax, and the command is not run by a \
         shell: quote or escape it to pass it as text, or put the pipeline in a script"
    )
}

#[cfg(test)]
mod tests {
    use super::split;

    fn unix(line: &str) -> Result<Vec<String>, String> {
        split(line, false)
    }

    fn words(list: &[&str]) -> Result<Vec<String>, String> {
        Ok(list.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn words_quotes_and_escapes() {
        assert_eq!(
            unix("  get-creds   --profile  prod "),
            words(&["get-creds", "--profile", "prod"])
        );
        assert_eq!(
            unix(r#"tool 'a b' "c d" e\ f"#),
            words(&["tool", "a b", "c d", "e f"])
        );
        assert_eq!(unix(r#"tool '' "" x"#), words(&["tool", "", "", "x"]));
        assert_eq!(
            unix(r#"tool 'it''s' "say \"hi\" \\ \$ \a""#),
            words(&["tool", "its", r#"say "hi" \ $ \a"#])
        );
        assert_eq!(
            unix("tool 'a|b;c' \"x&y\" \\$HOME \\|"),
            words(&["tool", "a|b;c", "x&y", "$HOME", "|"])
        );
        assert_eq!(
            unix("tool \\\n  --flag 'multi\nline'"),
            words(&["tool", "--flag", "multi\nline"])
        );
        assert_eq!(
            unix("'/opt/my tools/creds' x"),
            words(&["/opt/my tools/creds", "x"])
        );
    }

    #[test]
    fn windows_keeps_backslashes() {
        assert_eq!(
            split(
                r#"C:\tools\creds.exe "C:\Program Files\x" "say \"hi\"""#,
                true
            ),
            words(&[r"C:\tools\creds.exe", r"C:\Program Files\x", r#"say "hi""#])
        );
    }

    #[test]
    fn shell_syntax_is_refused_by_position_without_the_text() {
        for (line, position) in [
            ("get-creds | jq .", 11),
            ("a; rm -rf x", 2),
            ("a && b", 3),
            ("a > out", 3),
            ("echo $SECRET_TOKEN", 6),
            ("echo \"$(cat x)\"", 7),
            ("echo `id`", 6),
            ("(a)", 1),
        ] {
            let err = unix(line).unwrap_err();
            assert!(
                err.starts_with(&format!("character {position} is ")),
                "{line}: {err}"
            );
            assert!(!err.contains("SECRET") && !err.contains("rm"), "{err}");
        }
    }

    #[test]
    fn malformed_lines() {
        assert_eq!(unix(""), Err("it is empty".to_owned()));
        assert_eq!(unix("   \t "), Err("it is empty".to_owned()));
        assert_eq!(unix("'' x"), Err("its program is an empty word".to_owned()));
        assert_eq!(
            unix("a 'b"),
            Err("the `'` at character 3 is never closed".to_owned())
        );
        assert_eq!(
            unix("a \"b"),
            Err("the `\"` at character 3 is never closed".to_owned())
        );
        assert_eq!(
            unix("a \\"),
            Err("the line ends with a `\\` that escapes nothing".to_owned())
        );
    }
}
