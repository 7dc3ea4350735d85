//! The `labcert` binary: parse arguments, run, turn the result into an exit code.

fn main() -> std::process::ExitCode {
    labcert::main().into()
}
