//! Reading a candidate's answers, one line at a time, with a deadline.
//!
//! Two sources share one interface:
//! - [`TerminalLines`], for a person at a terminal: a small line editor in raw mode that
//!   redraws the prompt with the time left every second, so the clock is always visible
//!   and keeps running while the candidate thinks, and returns at the deadline even if
//!   nothing is typed. Ctrl-C and Ctrl-D are read as keys.
//! - [`PipedLines`], for scripts and tests: lines from standard input, read on a
//!   background thread so the deadline still holds when no line comes.
//!
//! Either returns [`Input::Interrupted`] when Ctrl-C (SIGINT) arrives, so the caller can
//! save and say how to resume.

use std::io::{self, BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal;

use super::text::clock;

/// What reading produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// End of input (Ctrl-D, or the end of piped input).
    Eof,
    /// The deadline passed first.
    TimedOut,
    /// Ctrl-C.
    Interrupted,
}

/// A source of answer lines.
pub trait LineSource {
    /// Shows `prompt` and reads one line, returning by `deadline` at the latest.
    /// `tick` is called about once a second while waiting (to save the clock).
    fn read_line(
        &mut self,
        prompt: &str,
        deadline: Option<Instant>,
        tick: &mut dyn FnMut(),
    ) -> Input;
}

/// Set by the Ctrl-C handler.
fn interrupted() -> &'static Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        // If a handler cannot be installed, Ctrl-C simply ends the process; every answer
        // is already saved, so nothing is lost but the message.
        let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
        flag
    })
}

/// Installs the Ctrl-C handler (call once before reading).
pub fn watch_interrupts() {
    interrupted();
}

fn take_interrupt() -> bool {
    interrupted().swap(false, Ordering::SeqCst)
}

/// Lines from standard input, for scripts and tests.
pub struct PipedLines {
    rx: Receiver<Option<String>>,
    echo: Box<dyn Write>,
}

impl PipedLines {
    /// Reads stdin on a background thread; prompts and the echoed answers go to `echo`.
    pub fn stdin(echo: Box<dyn Write>) -> PipedLines {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let stdin = io::stdin();
            for line in stdin.lock().lines() {
                match line {
                    Ok(l) => {
                        if tx.send(Some(l)).is_err() {
                            return;
                        }
                    }
                    Err(_) => break,
                }
            }
            let _ = tx.send(None);
        });
        PipedLines { rx, echo }
    }
}

impl LineSource for PipedLines {
    fn read_line(
        &mut self,
        prompt: &str,
        deadline: Option<Instant>,
        tick: &mut dyn FnMut(),
    ) -> Input {
        let _ = write!(self.echo, "{prompt}");
        let _ = self.echo.flush();
        loop {
            if take_interrupt() {
                let _ = writeln!(self.echo);
                return Input::Interrupted;
            }
            let wait = match deadline {
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        let _ = writeln!(self.echo);
                        return Input::TimedOut;
                    }
                    (d - now).min(Duration::from_millis(250))
                }
                None => Duration::from_millis(250),
            };
            match self.rx.recv_timeout(wait) {
                Ok(Some(line)) => {
                    let _ = writeln!(self.echo, "{}", crate::doc::diagnostic::clean(&line));
                    return Input::Line(line);
                }
                Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                    let _ = writeln!(self.echo);
                    return Input::Eof;
                }
                Err(RecvTimeoutError::Timeout) => tick(),
            }
        }
    }
}

/// A line editor for a person at a terminal, with the time left in the prompt.
pub struct TerminalLines;

/// Restores the terminal when dropped, whatever path leaves the editor.
struct RawMode;

impl RawMode {
    fn on() -> io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
    }
}

impl TerminalLines {
    fn render(
        out: &mut impl Write,
        prompt: &str,
        deadline: Option<Instant>,
        buffer: &str,
    ) -> io::Result<()> {
        let time = match deadline {
            Some(d) => format!(
                "[{} left] ",
                clock(d.saturating_duration_since(Instant::now()))
            ),
            None => String::new(),
        };
        write!(out, "\r\x1b[2K{time}{prompt}{buffer}")?;
        out.flush()
    }
}

impl LineSource for TerminalLines {
    fn read_line(
        &mut self,
        prompt: &str,
        deadline: Option<Instant>,
        tick: &mut dyn FnMut(),
    ) -> Input {
        let mut out = io::stdout();
        let Ok(_raw) = RawMode::on() else {
            // No raw mode (an unusual terminal): fall back to a plain read without a live clock.
            let _ = write!(out, "{prompt}");
            let _ = out.flush();
            let mut line = String::new();
            return match io::stdin().read_line(&mut line) {
                Ok(0) | Err(_) => Input::Eof,
                Ok(_) => Input::Line(line.trim_end_matches(['\n', '\r']).to_string()),
            };
        };
        let mut buffer = String::new();
        let mut last_tick = Instant::now();
        let _ = Self::render(&mut out, prompt, deadline, &buffer);
        loop {
            if let Some(d) = deadline
                && Instant::now() >= d
            {
                let _ = write!(out, "\r\n");
                return Input::TimedOut;
            }
            if take_interrupt() {
                let _ = write!(out, "\r\n");
                return Input::Interrupted;
            }
            if last_tick.elapsed() >= Duration::from_secs(1) {
                last_tick = Instant::now();
                tick();
                let _ = Self::render(&mut out, prompt, deadline, &buffer);
            }
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return Input::Eof,
            }
            let Ok(ev) = event::read() else {
                return Input::Eof;
            };
            if let Event::Key(KeyEvent {
                code,
                modifiers,
                kind,
                ..
            }) = ev
            {
                if kind == KeyEventKind::Release {
                    continue;
                }
                match code {
                    KeyCode::Enter => {
                        let _ = write!(out, "\r\n");
                        return Input::Line(buffer);
                    }
                    KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => {
                        let _ = write!(out, "\r\n");
                        return Input::Interrupted;
                    }
                    KeyCode::Char('d')
                        if modifiers.contains(KeyModifiers::CONTROL) && buffer.is_empty() =>
                    {
                        let _ = write!(out, "\r\n");
                        return Input::Eof;
                    }
                    KeyCode::Char('d') if modifiers.contains(KeyModifiers::CONTROL) => {}
                    KeyCode::Char('u') if modifiers.contains(KeyModifiers::CONTROL) => {
                        buffer.clear()
                    }
                    KeyCode::Char(c) if !modifiers.contains(KeyModifiers::CONTROL) => {
                        buffer.push(c)
                    }
                    KeyCode::Backspace => {
                        buffer.pop();
                    }
                    KeyCode::Esc => buffer.clear(),
                    _ => {}
                }
            }
            let _ = Self::render(&mut out, prompt, deadline, &buffer);
        }
    }
}
