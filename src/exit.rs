//! The process exit codes, in one place.

/// How a run ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything went well.
    Ok = 0,
    /// 1: the command ran and found a problem the user must fix (a bank error, a
    /// failed check).
    Problem = 1,
    /// 2: the command could not run: bad usage, or a file or folder that cannot be read
    /// or written.
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}
