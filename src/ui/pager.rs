//! Long output on a terminal goes through a pager, so an exam's score or the top of the
//! report is never scrolled out of sight.
//!
//! The pager is `$PAGER` when set (empty or `cat` turns paging off), else `less` when it
//! is installed; `LESS` defaults to `FRX` as git does (quit when the text fits one
//! screen, keep colours, leave the text on the screen afterwards). Paging happens only
//! when stdout is a terminal, the text is taller than the window, and `--no-pager` was
//! not given; pipes, files and tests always get the text as it is.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

/// The pager command to run, from `$PAGER` and whether `less` is on the `PATH`.
pub fn choose(pager_env: Option<&str>, less_found: bool) -> Option<String> {
    match pager_env.map(str::trim) {
        Some("" | "cat") => None,
        Some(cmd) => Some(cmd.to_string()),
        None if less_found => Some("less".to_string()),
        None => None,
    }
}

/// Whether text of `lines` lines needs paging in a window `rows` tall (one row is kept
/// for the pager's own prompt).
pub fn too_tall(lines: usize, rows: usize) -> bool {
    lines + 1 > rows
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let file = dir.join(program);
            file.is_file() || file.with_extension("exe").is_file()
        })
    })
}

/// The command to page through now, if paging applies to text of `lines` lines.
fn pager_for(lines: usize, no_pager: bool) -> Option<String> {
    if no_pager || !io::stdout().is_terminal() {
        return None;
    }
    let (_, rows) = crossterm::terminal::size().ok()?;
    if !too_tall(lines, usize::from(rows)) {
        return None;
    }
    let env = std::env::var("PAGER").ok();
    choose(env.as_deref(), on_path("less"))
}

/// Writes text built by `render`: through a pager when it is too tall for the terminal,
/// else straight to stdout. `render` is told whether the text will be paged, so a screen
/// that ends with its most important line (an exam's score) can put it first instead,
/// where the pager opens.
pub fn show(
    no_pager: bool,
    render: impl Fn(bool, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut text = Vec::new();
    render(false, &mut text)?;
    let lines = text.iter().filter(|&&b| b == b'\n').count();
    if let Some(cmd) = pager_for(lines, no_pager) {
        let mut paged = Vec::new();
        render(true, &mut paged)?;
        if run(&cmd, &paged).is_ok() {
            return Ok(());
        }
        // A pager that cannot start must not cost the candidate their results.
    }
    let mut out = io::stdout().lock();
    out.write_all(&text)?;
    out.flush()
}

fn run(cmd: &str, text: &[u8]) -> io::Result<()> {
    let mut command = if cfg!(windows) {
        let mut words = cmd.split_whitespace();
        let mut c = Command::new(words.next().unwrap_or("more"));
        c.args(words);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(cmd);
        c
    };
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let mut child = command.stdin(Stdio::piped()).spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The reader quitting early (q in less) closes the pipe: not an error.
        match stdin.write_all(text) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_comes_from_pager_or_less_and_can_be_turned_off() {
        assert_eq!(choose(Some("most -s"), true).as_deref(), Some("most -s"));
        assert_eq!(choose(Some("more"), false).as_deref(), Some("more"));
        assert_eq!(choose(None, true).as_deref(), Some("less"));
        assert_eq!(choose(None, false), None, "no pager installed");
        assert_eq!(choose(Some(""), true), None, "PAGER= turns it off");
        assert_eq!(choose(Some("cat"), true), None);
    }

    #[test]
    fn only_text_taller_than_the_window_is_paged() {
        assert!(!too_tall(23, 24));
        assert!(too_tall(24, 24));
        assert!(too_tall(200, 24));
    }
}
