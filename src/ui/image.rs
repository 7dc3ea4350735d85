//! An item's image: drawn inline on terminals that can draw images (kitty, iTerm2 and
//! sixel, through `viuer`), otherwise named by its path, with `o` to open it in the
//! system's image viewer (the `open` crate) when a person is at the terminal. Scripted
//! runs (pipes, files, tests) only ever print the path: nothing queries the terminal,
//! starts a viewer or waits.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::OnceLock;

/// How an image can be shown here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSupport {
    /// Drawn in the terminal.
    Inline,
    /// The path, and `o` opens the system viewer.
    OpenKey,
    /// The path only (not interactive).
    PathOnly,
}

/// The decision, from whether a person is at the terminal (stdin and stdout are
/// terminals, and the transcript goes to stdout) and whether it draws images.
pub fn support(interactive: bool, draws_images: impl FnOnce() -> bool) -> ImageSupport {
    if !interactive {
        ImageSupport::PathOnly
    } else if draws_images() {
        ImageSupport::Inline
    } else {
        ImageSupport::OpenKey
    }
}

static INTERACTIVE: OnceLock<bool> = OnceLock::new();

/// Decides once per run whether images may be drawn or opened: only when stdin and
/// stdout are terminals and the transcript is on stdout (not with `--json`).
pub fn set_interactive(json: bool) {
    let _ = INTERACTIVE.set(!json && io::stdin().is_terminal() && io::stdout().is_terminal());
}

fn interactive() -> bool {
    INTERACTIVE.get().copied().unwrap_or(false)
}

/// Whether the terminal draws images (asked once; the kitty check writes a query to
/// the terminal, so it is only made when a person is there).
fn draws_images() -> bool {
    static DRAWS: OnceLock<bool> = OnceLock::new();
    *DRAWS.get_or_init(|| {
        !matches!(viuer::get_kitty_support(), viuer::KittySupport::None)
            || viuer::is_iterm_supported()
            || viuer::is_sixel_supported()
    })
}

/// How images are shown in this run.
pub fn current() -> ImageSupport {
    support(interactive(), draws_images)
}

/// Shows the image at `path` after an item's stem, at most `width` columns wide.
pub fn show(out: &mut dyn Write, path: &Path, width: usize) -> io::Result<()> {
    let shown = crate::doc::diagnostic::clean(&path.display().to_string()).into_owned();
    match current() {
        ImageSupport::Inline => {
            out.flush()?;
            match draw(path, width) {
                Ok(()) => writeln!(out, "(Image: {shown})"),
                Err(e) => writeln!(
                    out,
                    "[Image: {shown}; it could not be drawn ({e}); type o to open it]"
                ),
            }
        }
        ImageSupport::OpenKey => writeln!(
            out,
            "[Image: {shown}; type o to open it in your image viewer]"
        ),
        ImageSupport::PathOnly => writeln!(out, "[Image: {shown}]"),
    }
}

fn draw(path: &Path, width: usize) -> Result<(), String> {
    let img = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())?;
    let config = viuer::Config {
        absolute_offset: false,
        width: Some(width.min(72) as u32),
        height: Some(20),
        ..Default::default()
    };
    viuer::print(&img, &config)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Opens the image in the system's viewer, returning what to tell the candidate.
pub fn open(path: &Path) -> String {
    let shown = crate::doc::diagnostic::clean(&path.display().to_string()).into_owned();
    if current() == ImageSupport::PathOnly {
        return format!("Opening images needs a person at a terminal; the image is {shown}.");
    }
    match open::that_detached(path) {
        Ok(()) => format!("Opened {shown} in your image viewer."),
        Err(e) => {
            format!("No image viewer could be started for {shown}; open the file yourself ({e}).")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_runs_never_ask_the_terminal_and_get_the_path() {
        let asked = std::cell::Cell::new(false);
        let s = support(false, || {
            asked.set(true);
            true
        });
        assert_eq!(s, ImageSupport::PathOnly);
        assert!(!asked.get(), "a pipe must not be queried");
        assert_eq!(support(true, || true), ImageSupport::Inline);
        assert_eq!(support(true, || false), ImageSupport::OpenKey);
    }
}
