//! Running the real `labcert` binary in a temporary data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary data directory and the command to run labcert against it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `labcert` with this data dir, run from the crate root (so fixture paths are short).
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_labcert"));
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("LABCERT_DATA_DIR", self.data_dir())
            .env_remove("NO_COLOR")
            // Hints name the command as a candidate would type it; under `cargo test`
            // the binary would otherwise think `cargo run` started it.
            .env_remove("CARGO")
            // Text wraps to COLUMNS when set; tests see the 80 columns of a pipe unless
            // they set it.
            .env_remove("COLUMNS")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd().args(args).output().expect("run labcert"))
    }
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `cmd` with `input` on its standard input (then closed), and collects the output.
pub fn run_with_input(mut cmd: Command, input: &str) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn labcert");
    let mut stdin = child.stdin.take().expect("piped stdin");
    // The program may stop reading early (quit); a closed pipe here is not a failure.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    Run::from(child.wait_with_output().expect("wait for labcert"))
}

/// An environment with a generated bank of 700 single-best items (so every scripted
/// answer can be a letter); returns the bank's path too.
pub fn env_with_generated_bank() -> (Env, String) {
    use labcert::synthetic::{Shape, bank_text_with};
    let env = Env::new();
    let path = env.path("gen.ron");
    let shape = Shape {
        single_best_only: true,
        three_pl: false,
        ..Default::default()
    };
    std::fs::write(&path, bank_text_with("gen", 700, 11, shape)).expect("write bank");
    (env, path.display().to_string())
}

pub fn fixture(rel: &str) -> String {
    Path::new("tests/fixtures").join(rel).display().to_string()
}
