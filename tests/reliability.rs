//! Regression tests for the defects found by fuzzing and hostile-environment testing
//! (issue 9), each through the real binary. Numbers refer to the issue's list.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Env, Run, fixture, run_with_input};

/// Runs `cmd` and kills it if it has not finished within `limit`: a hang is a failure,
/// not a stuck test run.
fn run_within(mut cmd: Command, limit: Duration) -> Run {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn labcert");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => Run::from(out.expect("wait for labcert")),
        Err(_) => {
            // SAFETY: kill(2) with a pid we spawned; at worst the process is gone.
            unsafe { libc::kill(id as i32, libc::SIGKILL) };
            panic!("labcert did not finish within {limit:?}: {cmd:?}");
        }
    }
}

fn no_panic(run: &Run) {
    assert_ne!(run.code, 101, "labcert panicked:\n{}", run.all());
    assert!(!run.all().contains("panicked"), "{}", run.all());
}

/// An environment with some progress recorded (so the database exists).
fn env_with_progress() -> (Env, String) {
    let (env, bank) = crate::common::env_with_generated_bank();
    let mut c = env.cmd();
    c.args([
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "1",
        "practice",
        "--questions",
        "3",
    ]);
    run_with_input(c, "A\nB\nC\n").expect_code(0);
    (env, bank)
}

fn db(env: &Env) -> std::path::PathBuf {
    env.data_dir().join("labcert.db")
}

fn integrity(path: &Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn answers_in(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM answers", [], |r| r.get(0))
        .unwrap()
}

fn temp_files_in(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect()
}

// ---- 1-3: no command destroys a file --------------------------------------------------

#[test]
fn export_never_writes_over_the_database_or_an_existing_file() {
    let (env, bank) = env_with_progress();
    let before = fs::read(db(&env)).unwrap();
    let export = |out: &Path, force: bool| {
        let mut args = vec!["--no-builtin", "--bank", &bank, "export", "--out"];
        let out = out.display().to_string();
        args.push(&out);
        if force {
            args.push("--force");
        }
        env.run(&args)
    };
    // The database itself, even with --force.
    let run = export(&db(&env), true);
    run.expect_code(2);
    assert!(run.stderr.contains("progress database"), "{}", run.stderr);
    // Through a symlink and a hard link.
    let link = env.path("answers.csv");
    std::os::unix::fs::symlink(db(&env), &link).unwrap();
    export(&link, true).expect_code(2);
    let hard = env.path("hard.csv");
    fs::hard_link(db(&env), &hard).unwrap();
    export(&hard, true).expect_code(2);
    assert_eq!(fs::read(db(&env)).unwrap(), before);
    assert_eq!(integrity(&db(&env)), "ok");
    assert_eq!(answers_in(&db(&env)), 3);

    // An existing file needs --force.
    let out = env.path("me.csv");
    fs::write(&out, "my notes\n").unwrap();
    let run = export(&out, false);
    run.expect_code(2);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "my notes\n");
    export(&out, true).expect_code(0);
    assert!(
        fs::read_to_string(&out)
            .unwrap()
            .starts_with("install_id,profile,answered_at")
    );
    assert!(temp_files_in(env.dir.path()).is_empty());
}

/// Runs labcert with its file size limited to `bytes`, as on a disk that fills up.
fn with_full_disk(mut cmd: Command, bytes: u64) -> Run {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Run::from(cmd.output().expect("run labcert"))
}

#[test]
fn a_full_disk_leaves_the_old_file_and_no_temporary_file() {
    let (env, bank) = env_with_progress();
    let out = env.path("me.csv");
    fs::write(&out, "the old export\n").unwrap();
    let mut c = env.cmd();
    c.args([
        "--no-builtin",
        "--bank",
        &bank,
        "export",
        "--force",
        "--out",
    ])
    .arg(&out);
    let run = with_full_disk(c, 200);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&out.display().to_string()),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "the old export\n");
    assert!(
        temp_files_in(env.dir.path()).is_empty(),
        "{:?}",
        temp_files_in(env.dir.path())
    );
}

/// A four-item bank and a class of 12 candidates with mixed answers, enough to
/// calibrate with `--min-answers 5 --include-edited`.
fn calibration_class(env: &Env) -> (String, String) {
    let items: Vec<String> = (0..4)
        .map(|j| {
            format!(
                r#"(id: "c-{j}", area: "hematology", topic: "t", level: "both", difficulty: 3,
                   stem: "Calibration question number {j} asks what?", answer: SingleBest(choices: ["a", "b"], key: "A"),
                   explanation: "Because it is. So it is.", references: ["Rodak"])"#
            )
        })
        .collect();
    let bank = env.path("cal.ron");
    fs::write(
        &bank,
        format!(
            "Bank(id: \"cal\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [{}])",
            items.join(",\n")
        ),
    )
    .unwrap();
    let mut csv = format!("{}\n", labcert_export_header());
    for k in 0..12 {
        for j in 0..4 {
            let right = (k + j) % 3 != 0;
            csv.push_str(&format!(
                "s{k},2026-11-01T10:00:00Z,practice,,cal,c-{j},0000000000000000,hematology,t,{},{},30.0,1,0,0\n",
                if right { "A" } else { "B" },
                u8::from(right)
            ));
        }
    }
    let csv_path = env.path("class.csv");
    fs::write(&csv_path, csv).unwrap();
    (bank.display().to_string(), csv_path.display().to_string())
}

#[test]
fn calibrate_never_writes_over_its_input_or_an_existing_file() {
    let env = Env::new();
    let (bank, csv) = calibration_class(&env);
    let input = std::path::PathBuf::from(&csv);
    let input_s = csv.clone();
    let before = fs::read(&input).unwrap();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        &input_s,
        "-o",
        &input_s,
        "--force",
        "--min-answers",
        "5",
        "--include-edited",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("answer file being read"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&input).unwrap(), before);

    let out = env.path("calibrated.ron");
    fs::write(&out, "// my hand-edited bank\n").unwrap();
    let out_s = out.display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        &input_s,
        "-o",
        &out_s,
        "--min-answers",
        "5",
        "--include-edited",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "// my hand-edited bank\n"
    );
}

#[test]
fn a_planted_symlink_at_a_temporary_name_is_never_written_through() {
    let env = Env::new();
    let (bank, csv) = calibration_class(&env);
    let victim = env.path("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let out = env.path("out.ron");
    // The names earlier versions used for their temporary files.
    for name in [".out.ron.labcert-tmp", ".out.ron.labcert.tmp"] {
        std::os::unix::fs::symlink(&victim, env.path(name)).unwrap();
    }
    let out_s = out.display().to_string();
    env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "calibrate",
        &csv,
        "-o",
        &out_s,
        "--min-answers",
        "5",
        "--include-edited",
    ])
    .expect_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(fs::read_to_string(&out).unwrap().contains("// calibrated:"));
    // The same for import, whose temporary name held the process id.
    let gift = fixture("import/gift/complete.gift");
    let imported = env.path("imported.ron");
    for pid in 1..=64 {
        let _ = std::os::unix::fs::symlink(
            &victim,
            env.path(&format!(".imported.ron.import-{pid}.tmp")),
        );
    }
    env.run(&[
        "--no-builtin",
        "import",
        "gift",
        &gift,
        "-o",
        &imported.display().to_string(),
    ])
    .expect_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
}

// ---- 4: a number never changes meaning ------------------------------------------------

#[test]
fn csv_numbers_with_commas_keep_their_meaning() {
    let env = Env::new();
    let comma = env.path("comma.csv");
    fs::write(
        &comma,
        "id,area,topic,level,stem,answer,unit,tolerance,explanation,references\n\
         q1,hematology,counts,both,\"WBC?\",\"7,500\",/uL,\"1,000\",Because. Yes.,Rodak\n\
         q2,hematology,counts,both,\"Platelets?\",\"250,000\",/uL,0,Because. Yes.,Rodak\n\
         q3,hematology,counts,both,\"MCV?\",\"90,5\",fL,0,Because. Yes.,Rodak\n",
    )
    .unwrap();
    let out = env.path("comma.ron");
    let run = env.run(&[
        "--no-builtin",
        "import",
        "csv",
        &comma.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    assert!(
        bank.contains("Numeric(value: 7500, tolerance: 1000"),
        "{bank}"
    );
    assert!(bank.contains("Numeric(value: 250000"), "{bank}");
    // "90,5" in a comma file cannot be a thousands separator: refused at its place.
    assert!(
        run.stdout.contains(&format!("{}:4:34:", comma.display()))
            && run.stdout.contains("\"90,5\""),
        "{}",
        run.stdout
    );

    let semi = env.path("semi.csv");
    fs::write(
        &semi,
        "id;area;topic;level;stem;answer;unit;tolerance;explanation;references\n\
         q1;hematology;counts;both;WBC?;7,500;/uL;0;Because. Yes.;Rodak\n\
         q2;hematology;counts;both;MCV?;90,5;fL;0,5;Because. Yes.;Rodak\n",
    )
    .unwrap();
    let out = env.path("semi.ron");
    let run = env.run(&[
        "--no-builtin",
        "import",
        "csv",
        &semi.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    assert!(!bank.contains("value: 7.5"), "{bank}");
    assert!(
        bank.contains("Numeric(value: 90.5, tolerance: 0.5"),
        "{bank}"
    );
    assert!(
        run.stdout.contains(&format!("{}:2:32:", semi.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("could mean 7500 or 7.500"),
        "{}",
        run.stdout
    );
}

// ---- 5: typed answers never crash -----------------------------------------------------

fn numeric_bank(env: &Env, n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"(id: "n-{i}", area: "hematology", topic: "indices", level: "both", difficulty: 3,
                   stem: "Numeric question {i} about a value?", answer: Numeric(value: 90, tolerance: 1, unit: "fL"),
                   explanation: "Because it is. So it is.", references: ["Rodak"])"#
            )
        })
        .collect();
    let text = format!(
        "Bank(id: \"num\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [{}])",
        items.join(",\n")
    );
    let path = env.path("num.ron");
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn typed_numbers_in_any_script_never_crash_practice() {
    let env = Env::new();
    let bank = numeric_bank(&env, 40);
    let typed = [
        "９０",
        "−3",
        "–3",
        "—3",
        "37 °C",
        "3\u{a0}g",
        "½",
        "Ａ",
        "90 fL",
        "90\u{202f}fL",
        "٩٠",
        "90ｆＬ",
        "e",
        "1e999",
        "💉",
        "90.",
        ".5",
        "-",
        "+",
        "9\u{301}0",
        "१२",
        "90,5",
        "7,500",
        "\u{1b}[2J",
        "ß",
        "İ",
        "ﬀ",
        "90 µL",
        "90 μL",
    ];
    let mut input = typed.join("\n");
    input.push('\n');
    input.push_str(&"90\n".repeat(40));
    let mut c = env.cmd();
    c.args([
        "--no-builtin",
        "--bank",
        &bank,
        "--seed",
        "3",
        "practice",
        "--questions",
        "40",
    ]);
    let run = run_with_input(c, &input);
    no_panic(&run);
    run.expect_code(0);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "an escape reached the terminal"
    );
}

// ---- 6: time limits ---------------------------------------------------------------------

#[test]
fn absurd_time_limits_are_refused_and_stored_ones_cannot_break_resume() {
    let (env, bank) = crate::common::env_with_generated_bank();
    for limit in ["1e300", "9223372036854775000s", "0s", "0:0:0", "-5m", "25h"] {
        let arg = format!("--time-limit={limit}");
        let run = env.run(&[
            "--no-builtin",
            "--bank",
            &bank,
            "exam",
            "--style",
            "ascp-mls",
            &arg,
        ]);
        no_panic(&run);
        run.expect_code(2);
        assert!(
            run.stderr.contains("1 second to 24 hours") || run.stderr.contains("not a duration"),
            "{limit}: {}",
            run.stderr
        );
    }
    let zero_a = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "exam",
        "--style",
        "ascp-mls",
        "--time-limit",
        "0s",
    ]);
    let zero_b = env.run(&[
        "--no-builtin",
        "--bank",
        &bank,
        "exam",
        "--style",
        "ascp-mls",
        "--time-limit",
        "0:0:0",
    ]);
    assert_eq!(
        zero_a.stderr.replace("0s", "X"),
        zero_b.stderr.replace("0:0:0", "X")
    );

    // An exam saved with an absurd limit (an older labcert, or a damaged file) resumes.
    let mut c = env.cmd();
    c.args([
        "--no-builtin",
        "--bank",
        &bank,
        "exam",
        "--style",
        "ascp-mls",
    ]);
    run_with_input(c, "A\nquit\n");
    let conn = rusqlite::Connection::open(db(&env)).unwrap();
    for value in ["9.2e18", "'NaN'", "-1"] {
        conn.execute_batch(&format!(
            "UPDATE exams SET time_limit_seconds = {value}, time_used_seconds = {value}"
        ))
        .unwrap();
        let mut c = env.cmd();
        c.args(["--no-builtin", "--bank", &bank, "exam", "--resume"]);
        let run = run_with_input(c, "quit\n");
        no_panic(&run);
    }
}

// ---- 7: no escape sequence from a bank reaches the terminal -----------------------------

#[test]
fn escape_sequences_in_a_bank_are_shown_harmlessly_and_reported() {
    let env = Env::new();
    let path = env.path("esc.ron");
    fs::write(
        &path,
        "Bank(id: \"esc\", title: \"t\u{1b}[2J\", author: \"a\", version: \"1\", license: \"x\", items: [\n\
         (id: \"e-1\", area: \"hematology\", topic: \"t\\u{1b}]52;c;aGk=\\u{7}\", level: \"both\", difficulty: 2,\n\
          stem: \"Which \u{1b}[8mhidden\u{1b}[0m cell is it?\", answer: SingleBest(choices: [\"a\u{1b}[2J\", \"b\"], key: \"A\"),\n\
          explanation: \"Because. Yes \u{202e}.\", references: [\"r\"])])\n",
    )
    .unwrap();
    let p = path.display().to_string();
    let run = env.run(&["--no-builtin", "banks", "check", &p]);
    run.expect_code(0);
    assert!(
        !run.all().contains('\u{1b}') && !run.all().contains('\u{7}'),
        "{:?}",
        run.all()
    );
    assert!(
        run.stdout.contains("warning[control-character]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!("{p}:3:")), "{}", run.stdout);
    let mut c = env.cmd();
    c.args(["--no-builtin", "--bank", &p, "practice", "--questions", "1"]);
    let run = run_with_input(c, "A\n");
    run.expect_code(0);
    assert!(run.stdout.contains("hidden"));
    assert!(
        !run.all().contains('\u{1b}') && !run.all().contains('\u{202e}'),
        "{:?}",
        run.all()
    );
    let run = env.run(&["--no-builtin", "--bank", &p, "banks", "list"]);
    assert!(!run.all().contains('\u{1b}'), "{:?}", run.all());
}

// ---- 8: special files and links ---------------------------------------------------------

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn special_files_are_refused_at_once() {
    let env = Env::new();
    let fifo = env.path("pipe");
    mkfifo(&fifo);
    let f = fifo.display().to_string();
    let quick = Duration::from_secs(20);
    let cases: Vec<Vec<&str>> = vec![
        vec!["--no-builtin", "--bank", &f, "banks", "list"],
        vec!["--no-builtin", "banks", "check", &f],
        vec!["exam", "--blueprint", &f],
        vec!["exam", "--blueprint", "/dev/zero"],
        vec!["--no-builtin", "import", "gift", &f, "-o", "never.ron"],
        vec![
            "--no-builtin",
            "import",
            "csv",
            "/dev/zero",
            "-o",
            "never.ron",
        ],
        vec!["analyze", &f],
        vec!["analyze", "/dev/zero"],
    ];
    for args in cases {
        let mut c = env.cmd();
        c.args(&args);
        let run = run_within(c, quick);
        no_panic(&run);
        run.expect_code(2);
        assert!(
            run.stderr.contains("named pipe") || run.stderr.contains("a device"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(!Path::new("never.ron").exists());
    // config.ron as a FIFO, and a config listing /dev/zero.
    fs::create_dir_all(env.data_dir()).unwrap();
    mkfifo(&env.data_dir().join("config.ron"));
    let mut c = env.cmd();
    c.args(["banks", "list"]);
    let run = run_within(c, quick);
    run.expect_code(2);
    assert!(
        run.stderr.contains("config.ron") && run.stderr.contains("named pipe"),
        "{}",
        run.stderr
    );
    fs::remove_file(env.data_dir().join("config.ron")).unwrap();
    fs::write(
        env.data_dir().join("config.ron"),
        "Config(banks: [\"/dev/zero\"])",
    )
    .unwrap();
    let mut c = env.cmd();
    c.args(["banks", "list"]);
    let run = run_within(c, quick);
    run.expect_code(2);
    assert!(
        run.stderr.contains("listed in") && run.stderr.contains("config.ron"),
        "{}",
        run.stderr
    );
}

#[test]
fn link_loops_and_broken_links_in_a_bank_folder_do_not_stop_the_load() {
    let env = Env::new();
    let dir = env.path("banks");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::copy(fixture("banks/ok/small.ron"), dir.join("sub/small.ron")).unwrap();
    for (name, target) in [("a", "."), ("b", ".."), ("c", "sub")] {
        std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
        std::os::unix::fs::symlink(target, dir.join("sub").join(name)).unwrap();
    }
    std::os::unix::fs::symlink("missing.ron", dir.join("dangling.ron")).unwrap();
    std::os::unix::fs::symlink("self.ron", dir.join("self.ron")).unwrap();
    let mut c = env.cmd();
    c.args(["--no-builtin", "--bank"])
        .arg(&dir)
        .args(["banks", "list", "--json"]);
    let run = run_within(c, Duration::from_secs(20));
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["banks"].as_array().unwrap().len(), 1, "{}", run.stdout);
    let mut c = env.cmd();
    c.args(["--no-builtin", "banks", "check"]).arg(&dir);
    let run = run_within(c, Duration::from_secs(20));
    run.expect_code(0);
    assert!(
        run.stdout.contains("warning[broken-link]") && run.stdout.contains("dangling.ron"),
        "{}",
        run.stdout
    );
}

// ---- 9: cost stays linear -----------------------------------------------------------------

#[test]
fn diagnostics_on_a_huge_line_show_a_window_not_the_line() {
    let env = Env::new();
    let items: Vec<String> = (0..429)
        .map(|i| format!(r#"(id: "x-{i}", area: "hematolgy", topic: "t", level: "both", difficulty: 2, stem: "Which {i} {}?", answer: SingleBest(choices: ["a","b"], key: "A"), explanation: "Because. Yes.", references: ["r"])"#, "word ".repeat(i % 50 + 380)))
        .collect();
    let path = env.path("oneline.ron");
    let text = format!(
        "Bank(id: \"ol\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [{}])",
        items.join(", ")
    );
    assert!(text.len() > 800_000 && !text.contains('\n'));
    fs::write(&path, text).unwrap();
    let run = env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &path.display().to_string(),
    ]);
    run.expect_code(1);
    assert_eq!(run.stdout.matches("error[unknown-area]").count(), 429);
    assert!(
        run.stdout.len() < 429 * 1_000,
        "{} bytes of output",
        run.stdout.len()
    );
    assert!(run.stdout.contains(":1:"));
}

#[test]
fn thousands_of_questions_with_one_name_get_distinct_ids() {
    let env = Env::new();
    let gift = env.path("names.gift");
    fs::write(&gift, "::same:: Which? {=A ~B ~C}\n\n".repeat(10_000)).unwrap();
    let out = env.path("names.ron");
    let mut c = env.cmd();
    c.args(["--no-builtin", "import", "gift"])
        .arg(&gift)
        .args(["--area", "hematology", "-o"])
        .arg(&out);
    let run = run_within(c, Duration::from_secs(60));
    // Exit 1: the questions have no explanations, so the bank needs work.
    run.expect_code(1);
    let bank = fs::read_to_string(&out).unwrap();
    assert!(bank.contains("id: \"same\"") && bank.contains("id: \"same-10000\""));
}

// ---- 10: the file named is the file checked -----------------------------------------------

#[test]
fn banks_check_reports_a_file_also_loaded_through_bank_or_config() {
    let env = Env::new();
    let broken = fixture("banks/ten_mistakes.ron");
    let run = env.run(&["--no-builtin", "--bank", &broken, "banks", "check", &broken]);
    run.expect_code(1);
    assert!(run.stdout.contains("error[unknown-area]"), "{}", run.stdout);
    fs::create_dir_all(env.data_dir()).unwrap();
    let abs = fs::canonicalize(&broken).unwrap();
    fs::write(
        env.data_dir().join("config.ron"),
        format!("Config(banks: [{:?}])", abs.display().to_string()),
    )
    .unwrap();
    let run = env.run(&["--no-builtin", "banks", "check", &broken]);
    run.expect_code(1);
    assert!(!run.stdout.contains("checked 0 files"), "{}", run.stdout);
}

// ---- 11: the database is identified, and read where it cannot be written ------------------

#[test]
fn another_programs_database_is_named_as_such_and_untouched() {
    let env = Env::new();
    fs::create_dir_all(env.data_dir()).unwrap();
    let path = db(&env);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA application_id = 1234; PRAGMA user_version = 7;")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    for args in [&["report"][..], &["practice", "--questions", "1"]] {
        let run = env.run(args);
        run.expect_code(2);
        assert!(run.stderr.contains("another program"), "{}", run.stderr);
        assert!(!run.stderr.contains("newer labcert"), "{}", run.stderr);
    }
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(
        !env.data_dir().join("labcert.db-wal").exists(),
        "switched to WAL"
    );
}

#[test]
fn progress_on_read_only_media_can_be_read() {
    let (env, bank) = env_with_progress();
    // A read-only bind mount in a private namespace; not available everywhere.
    let probe = Command::new("unshare").args(["-rm", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: unshare -rm is not available here");
        return;
    }
    let data = env.data_dir().display().to_string();
    let run_ro = |args: &str| {
        let exe = env!("CARGO_BIN_EXE_labcert");
        let script = format!(
            "mount --bind -o ro {data} {data} && cd {} && {exe} --data-dir {data} --no-builtin --bank {bank} {args}",
            env!("CARGO_MANIFEST_DIR")
        );
        Run::from(
            Command::new("unshare")
                .args(["-rm", "sh", "-c", &script])
                .output()
                .unwrap(),
        )
    };
    let run = run_ro("--json report");
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v["areas"]
            .as_object()
            .unwrap()
            .values()
            .map(|a| a["answered"].as_u64().unwrap())
            .sum::<u64>(),
        3
    );
    let run = run_ro("export");
    run.expect_code(0);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    let run = run_ro("practice --questions 1 < /dev/null");
    run.expect_code(2);
    assert!(
        !run.stderr.contains("not a labcert progress database"),
        "{}",
        run.stderr
    );
}

// ---- 12: smaller things ---------------------------------------------------------------------

#[test]
fn messages_name_their_file_once() {
    let env = Env::new();
    // An I/O error's text is printed once.
    let run = env.run(&["export", "--out", "/nonexistent-dir/x.csv"]);
    run.expect_code(2);
    assert_eq!(run.stderr.matches("(os error").count(), 1, "{}", run.stderr);
    // analyze names the file with no answers.
    let empty = env.path("empty.csv");
    fs::write(&empty, format!("{}\n", labcert_export_header())).unwrap();
    let run = env.run(&["analyze", &empty.display().to_string()]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&empty.display().to_string()),
        "{}",
        run.stderr
    );
    // A broken bank listed in config.ron says so, once, and practice goes on without
    // the items that cannot be used.
    fs::create_dir_all(env.data_dir()).unwrap();
    let abs = fs::canonicalize(fixture("banks/ten_mistakes.ron")).unwrap();
    fs::write(
        env.data_dir().join("config.ron"),
        format!("Config(banks: [{:?}])", abs.display().to_string()),
    )
    .unwrap();
    let run = env.run(&["practice"]);
    run.expect_code(0);
    assert!(run.stderr.contains("config.ron lists it"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches(&abs.display().to_string()).count(),
        2,
        "the warning and the note name it: {}",
        run.stderr
    );
}

fn labcert_export_header() -> &'static str {
    "profile,answered_at,mode,exam_id,bank_id,item_id,content_hash,area,topic,response,correct,seconds,a,b,c"
}

#[test]
fn config_and_environment_mistakes_are_errors() {
    let env = Env::new();
    fs::create_dir_all(env.data_dir()).unwrap();
    let config = env.data_dir().join("config.ron");
    fs::write(&config, "Config()").unwrap();
    env.run(&["banks", "list"]).expect_code(0);
    fs::write(&config, "Config(banks: [\"\"])").unwrap();
    let run = env.run(&["banks", "list"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("empty bank path") && run.stderr.contains("config.ron:1:16"),
        "{}",
        run.stderr
    );
    fs::remove_file(&config).unwrap();
    let mut c = env.cmd();
    c.env("LABCERT_NOW", "next tuesday").args(["report"]);
    let run = Run::from(c.output().unwrap());
    run.expect_code(2);
    assert!(run.stderr.contains("LABCERT_NOW"), "{}", run.stderr);
}

#[test]
fn image_paths_may_not_leave_the_banks_folder() {
    let env = Env::new();
    let path = env.path("img.ron");
    fs::write(
        &path,
        "Bank(id: \"img\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [\n\
         (id: \"i-1\", area: \"hematology\", topic: \"t\", level: \"both\", difficulty: 2, stem: \"Which one?\", answer: SingleBest(choices: [\"a\", \"b\"], key: \"A\"), explanation: \"Because. Yes.\", references: [\"r\"], image: \"/etc/shadow\"),\n\
         (id: \"i-2\", area: \"hematology\", topic: \"t\", level: \"both\", difficulty: 2, stem: \"Which other?\", answer: SingleBest(choices: [\"a\", \"b\"], key: \"A\"), explanation: \"Because. Yes.\", references: [\"r\"], image: \"../../etc/passwd\"),\n\
         ])\n",
    )
    .unwrap();
    let run = env.run(&[
        "--no-builtin",
        "banks",
        "check",
        &path.display().to_string(),
    ]);
    run.expect_code(1);
    assert_eq!(
        run.stdout.matches("error[image-outside]").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("not found"),
        "existence revealed: {}",
        run.stdout
    );
    assert!(run.stdout.contains("img.ron:2:") && run.stdout.contains("img.ron:3:"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `labcert export | head -3`, `labcert report --json | head -1`: the reader goes
    // away; exit 0 with nothing on stderr, whether the output is text, CSV or JSON.
    let (env, bank) = env_with_progress();
    for args in [
        &["export"][..],
        &["report"],
        &["report", "--json"],
        &["--json", "report"],
        &["banks", "list"],
        &["banks", "list", "--json"],
    ] {
        let mut c = env.cmd();
        c.args(["--no-builtin", "--bank", &bank])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

// ---- the hostile run ------------------------------------------------------------------------

/// A byte-level mutation (delete, duplicate, insert a byte or a marker), seeded.
fn mutate_bytes(seed: &[u8], rng: &mut u64) -> Vec<u8> {
    let mut next = || {
        // xorshift64*: a fixed, dependency-free sequence for reproducible runs.
        *rng ^= *rng >> 12;
        *rng ^= *rng << 25;
        *rng ^= *rng >> 27;
        rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut v = seed.to_vec();
    let markers: [&[u8]; 8] = [b"(", b")", b"\"", b"\xff", b"\x1b[2J", b"{", b"\n\n", b","];
    for _ in 0..(next() % 6 + 1) {
        let at = if v.is_empty() {
            0
        } else {
            (next() as usize) % v.len()
        };
        match next() % 4 {
            0 if !v.is_empty() => {
                let end = (at + (next() % 32) as usize).min(v.len());
                v.drain(at..end);
            }
            1 if !v.is_empty() => {
                let end = (at + (next() % 200) as usize).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
            2 => v.insert(at, next() as u8),
            _ => {
                let m = markers[(next() % markers.len() as u64) as usize];
                v.splice(at..at, m.iter().copied());
            }
        }
    }
    v
}

/// The figures of a hostile run: mutated inputs through every reader of the binary, typed
/// garbage through practice, SIGKILL at random moments, and eight processes at once on
/// one profile. Ignored by default (it takes minutes); run with
/// `cargo test --release --test reliability hostile_run -- --ignored --nocapture`
/// (`HOSTILE_CASES` sets the number of mutated inputs per reader, default 200).
#[test]
#[ignore]
fn hostile_run() {
    let per_reader: usize = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let (env, bank) = crate::common::env_with_generated_bank();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let (mut cases, mut panics, mut hangs) = (0usize, 0usize, 0usize);
    let limit = Duration::from_secs(30);
    let readers: &[(&str, &str, &[&str])] = &[
        (
            "bank",
            "question_banks/hematology.ron",
            &["--no-builtin", "banks", "check", "{}"],
        ),
        (
            "blueprint",
            "src/exam/blueprints/ascp-mls.ron",
            &[
                "--no-builtin",
                "--bank",
                "{bank}",
                "blueprint",
                "check",
                "--blueprint",
                "{}",
            ],
        ),
        (
            "gift",
            "tests/fixtures/import/gift/constructs.gift",
            &[
                "--no-builtin",
                "import",
                "gift",
                "{}",
                "-o",
                "{out}",
                "--force",
            ],
        ),
        (
            "aiken",
            "tests/fixtures/import/aiken/valid.txt",
            &[
                "--no-builtin",
                "import",
                "aiken",
                "{}",
                "-o",
                "{out}",
                "--force",
            ],
        ),
        (
            "csv",
            "tests/fixtures/import/csv/complete.csv",
            &[
                "--no-builtin",
                "import",
                "csv",
                "{}",
                "-o",
                "{out}",
                "--force",
            ],
        ),
        (
            "responses",
            "tests/fixtures/responses/class.csv",
            &[
                "--no-builtin",
                "--bank",
                "tests/fixtures/responses/class-bank.ron",
                "analyze",
                "{}",
            ],
        ),
        ("config", "", &["banks", "list"]),
    ];
    for (kind, seed_path, args) in readers {
        let seed = if seed_path.is_empty() {
            b"Config(banks: [\"../x\"])".to_vec()
        } else {
            fs::read(seed_path).unwrap()
        };
        for _ in 0..per_reader {
            let input = mutate_bytes(&seed, &mut rng);
            let file = env.path(&format!("input.{kind}"));
            if *kind == "config" {
                fs::create_dir_all(env.data_dir()).unwrap();
                fs::write(env.data_dir().join("config.ron"), &input).unwrap();
            } else {
                fs::write(&file, &input).unwrap();
            }
            let out = env.path("out.ron").display().to_string();
            let args: Vec<String> = args
                .iter()
                .map(|a| {
                    a.replace("{}", &file.display().to_string())
                        .replace("{bank}", &bank)
                        .replace("{out}", &out)
                })
                .collect();
            let mut c = env.cmd();
            c.args(&args);
            cases += 1;
            let child = c
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let id = child.id();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(child.wait_with_output());
            });
            match rx.recv_timeout(limit) {
                Ok(Ok(o)) => {
                    let run = Run::from(o);
                    if run.code == 101 || run.stderr.contains("panicked") {
                        panics += 1;
                        eprintln!("PANIC on {kind}: {}", run.stderr);
                        fs::write(env.path(&format!("panic-{cases}.{kind}")), &input).unwrap();
                    }
                }
                _ => {
                    hangs += 1;
                    // SAFETY: kill(2) on a child we spawned.
                    unsafe { libc::kill(id as i32, libc::SIGKILL) };
                    eprintln!("HANG on {kind}");
                }
            }
        }
        let _ = fs::remove_file(env.data_dir().join("config.ron"));
    }
    eprintln!("readers: {cases} mutated inputs, {panics} panics, {hangs} hangs");

    // Typed answers: random strings of what keyboards produce, through practice.
    let numeric = numeric_bank(&env, 30);
    let pieces = [
        "9", "0", ".", ",", "-", "−", "–", " ", "\u{a0}", "９", "Ａ", "a", "B", "fL", "°C", "µ",
        "e", "½", "😀", "\u{1b}", "quit", "?", "x",
    ];
    let mut typed_panics = 0;
    let sessions = per_reader / 4 + 1;
    for _ in 0..sessions {
        let mut input = String::new();
        for _ in 0..60 {
            let mut n = 0u64;
            let mut line = String::new();
            let mut r = || {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng
            };
            while n < r() % 6 {
                line.push_str(pieces[(r() % pieces.len() as u64) as usize]);
                n += 1;
            }
            input.push_str(&line);
            input.push('\n');
        }
        let mut c = env.cmd();
        c.args([
            "--no-builtin",
            "--bank",
            &numeric,
            "practice",
            "--questions",
            "30",
        ]);
        let run = run_with_input(c, &input);
        if run.code == 101 || run.all().contains("panicked") {
            typed_panics += 1;
        }
    }
    eprintln!(
        "typed answers: {sessions} practice sessions of 60 typed lines, {typed_panics} panics"
    );

    // SIGKILL at a random moment: every acknowledged answer must be in the store.
    let trials = per_reader / 2 + 1;
    let (mut acked_total, mut lost) = (0usize, 0usize);
    let stored = |env: &Env| -> usize {
        rusqlite::Connection::open_with_flags(db(env), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("SELECT count(*) FROM answers", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0) as usize
    };
    for t in 0..trials {
        let before = stored(&env);
        let mut child = env
            .cmd()
            .args([
                "--no-builtin",
                "--bank",
                &bank,
                "--seed",
                &t.to_string(),
                "practice",
                "--questions",
                "40",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.starts_with("Correct") || l.starts_with("Not quite"))
                .count()
        });
        use std::io::Write;
        let _ = stdin.write_all("A\n".repeat(40).as_bytes());
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(20 + rng % 400));
        let _ = child.kill();
        let _ = child.wait();
        drop(stdin);
        let acked = reader.join().unwrap();
        let after = stored(&env);
        acked_total += acked;
        lost += acked.saturating_sub(after - before);
    }
    assert_eq!(integrity(&db(&env)), "ok");
    eprintln!(
        "SIGKILL: {trials} trials, {acked_total} acknowledged answers, {lost} lost, integrity ok"
    );

    // Eight terminals at once on one profile.
    let before = stored(&env);
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut c = env.cmd();
            c.args([
                "--no-builtin",
                "--bank",
                &bank,
                "--seed",
                &(1000 + i).to_string(),
                "practice",
                "--questions",
                "20",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all("B\n".repeat(20).as_bytes())
                .unwrap();
            child
        })
        .collect();
    let ok = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.success())
        .filter(|s| *s)
        .count();
    let added = stored(&env) - before;
    assert_eq!(integrity(&db(&env)), "ok");
    eprintln!(
        "concurrency: 8 processes, {ok} finished cleanly, {added} of 160 answers stored, integrity ok"
    );
    assert_eq!(
        (panics, hangs, typed_panics, lost, added),
        (0, 0, 0, 0, 160)
    );
}
