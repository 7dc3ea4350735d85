//! The process exit codes, and the error that carries one.
//!
//! Commands return `anyhow::Result<()>`. An I/O or usage error ends the run with code 2;
//! a [`Failure`] anywhere in the error chain chooses its own code, as just's
//! `Error::code()` does, so no command hands back a bare exit code beside its result.

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

/// An error that ends a command with a chosen exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Problems were found and already shown (diagnostics, a check's table): exit 1
    /// with nothing more to print.
    #[error("problems were found")]
    Reported,
    /// Usage problems were already shown: exit 2 with nothing more to print.
    #[error("the command could not run")]
    ReportedUsage,
    /// A problem in the user's input that they must fix: exit 1.
    #[error("{0}")]
    Problem(String),
    /// The command was asked for something it cannot do: exit 2.
    #[error("{0}")]
    Usage(String),
}

impl Failure {
    /// The exit code this failure ends the run with.
    pub fn code(&self) -> Exit {
        match self {
            Failure::Reported | Failure::Problem(_) => Exit::Problem,
            Failure::ReportedUsage | Failure::Usage(_) => Exit::Usage,
        }
    }

    /// Whether the user has already been told; nothing more is printed.
    pub fn is_reported(&self) -> bool {
        matches!(self, Failure::Reported | Failure::ReportedUsage)
    }
}

/// The exit code for an error that stopped a command: a [`Failure`]'s own code, else
/// 2 (an I/O error or a misuse found deeper down).
pub fn code_of(err: &anyhow::Error) -> Exit {
    err.chain()
        .find_map(|e| e.downcast_ref::<Failure>())
        .map_or(Exit::Usage, Failure::code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_anywhere_in_the_chain_chooses_the_code() {
        let plain = anyhow::anyhow!("disk full");
        assert_eq!(code_of(&plain), Exit::Usage);
        let problem = anyhow::Error::new(Failure::Problem("bad bank".into()));
        assert_eq!(code_of(&problem), Exit::Problem);
        let wrapped = anyhow::Error::new(Failure::Reported).context("while checking");
        assert_eq!(code_of(&wrapped), Exit::Problem);
        assert_eq!(
            code_of(&anyhow::Error::new(Failure::Usage("no such area".into()))),
            Exit::Usage
        );
    }
}
