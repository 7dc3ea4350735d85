//! `labcert banks export`: every shipped bank written as GIFT and as CSV and imported
//! back with `labcert import` gives the same items, field by field; the edge cases of
//! tests/fixtures/export/ do too, and their files are snapshots (what Moodle reads);
//! the command's errors, refusals and standard output, through the real binary.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::{Env, fixture};
use labcert::{Bank, Item, LoadRequest, load};

const EDGE_CASES: &str = "export/edge-cases.ron";

/// What a format carries besides the fields every format carries.
#[derive(Clone, Copy, PartialEq)]
enum Carries {
    /// GIFT: enemies and `shuffle` too, as tags.
    Everything,
    /// CSV: no columns for enemies and `shuffle`.
    NoEnemiesNorShuffle,
}

/// The shipped banks, read by labcert's own loader.
fn shipped() -> Vec<Bank> {
    let request = LoadRequest {
        builtin: true,
        ..LoadRequest::default()
    };
    load(&request).expect("the shipped banks load").banks
}

/// The banks of one bank file.
fn banks_in(path: &Path) -> Vec<Bank> {
    let request = LoadRequest {
        paths: vec![path.to_path_buf()],
        ..LoadRequest::default()
    };
    let report = load(&request).expect("the bank loads");
    assert_eq!(report.errors(), 0, "{}", path.display());
    report.banks
}

/// The names of the fields in which `back` differs from `original`, and how many fields
/// were compared.
fn differences(original: &Item, back: &Item, carries: Carries) -> (Vec<String>, usize) {
    let mut compared = 0;
    let mut differ = Vec::new();
    let mut check = |name: &str, same: bool, a: String, b: String| {
        compared += 1;
        if !same {
            differ.push(format!("{}: {name}: {a} became {b}", original.id));
        }
    };
    macro_rules! field {
        ($name:literal, $($f:tt)+) => {
            check(
                $name,
                original.$($f)+ == back.$($f)+,
                format!("{:?}", original.$($f)+),
                format!("{:?}", back.$($f)+),
            )
        };
    }
    field!("id", id);
    field!("area", area);
    field!("topic", topic);
    field!("subtopic", subtopic);
    field!("level", level);
    field!("stem", stem);
    // The kind, the choices and their order, the key or keys, the value, the tolerance
    // and the unit.
    field!("answer", answer);
    field!("explanation", explanation);
    field!("references", references);
    field!("difficulty", difficulty);
    field!("a", irt.a);
    field!("b", irt.b);
    field!("c", irt.c);
    field!("b source", b_source);
    field!("image", image);
    if carries == Carries::Everything {
        field!("enemies", enemies);
        field!("shuffle", shuffle);
    }
    (differ, compared)
}

/// Exports `bank_ids` in `format` with the given global options, imports the file back
/// with `--no-builtin` (so ids are kept as they are), and compares every item with
/// `originals`. Returns the number of items and of fields compared.
fn round_trip(
    env: &Env,
    global: &[&str],
    bank_ids: &[&str],
    format: &str,
    originals: &[&Item],
) -> (usize, usize) {
    let carries = match format {
        "gift" => Carries::Everything,
        _ => Carries::NoEnemiesNorShuffle,
    };
    let file = env.path(&format!("all.{format}"));
    let file_s = file.display().to_string();
    let mut args: Vec<&str> = global.to_vec();
    args.extend(["banks", "export"]);
    args.extend_from_slice(bank_ids);
    args.extend(["--format", format, "-o", &file_s]);
    let run = env.run(&args);
    run.expect_code(0);
    assert!(
        run.stderr
            .starts_with(&format!("wrote {} items from ", originals.len())),
        "{}",
        run.stderr
    );
    let bank = env.path(&format!("back-{format}.ron"));
    let bank_s = bank.display().to_string();
    let run = env.run(&[
        "--no-builtin",
        "import",
        format,
        &file_s,
        "-o",
        &bank_s,
        "--bank-id",
        "round-trip",
    ]);
    run.expect_code(0);
    let back = banks_in(&bank);
    assert_eq!(back.len(), 1);
    let back = &back[0].items;
    assert_eq!(back.len(), originals.len(), "items imported back");
    let mut differ = Vec::new();
    let mut compared = 0;
    for (original, back) in originals.iter().zip(back) {
        let (d, n) = differences(original, back, carries);
        differ.extend(d);
        compared += n;
    }
    assert!(
        differ.is_empty(),
        "{format}: {} differences, the first:\n{}",
        differ.len(),
        differ
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    (back.len(), compared)
}

fn shipped_round_trip(format: &str) {
    let banks = shipped();
    assert_eq!(
        banks.len(),
        labcert::BUILTIN_BANKS.len(),
        "every shipped bank file loads"
    );
    assert!(banks.len() >= 48, "{} shipped bank files", banks.len());
    let ids: Vec<&str> = banks.iter().map(|b| b.id.as_str()).collect();
    let items: Vec<&Item> = banks.iter().flat_map(|b| &b.items).collect();
    let env = Env::new();
    let (n, fields) = round_trip(&env, &[], &ids, format, &items);
    assert_eq!(n, items.len());
    assert!(n >= 2164, "{n} items");
    eprintln!("{format}: {n} items, {fields} fields compared, all equal");
}

#[test]
fn every_shipped_bank_round_trips_through_gift() {
    shipped_round_trip("gift");
}

#[test]
fn every_shipped_bank_round_trips_through_csv() {
    shipped_round_trip("csv");
}

#[test]
fn edge_cases_round_trip_in_both_formats() {
    let path = PathBuf::from(fixture(EDGE_CASES));
    let banks = banks_in(&path);
    let items: Vec<&Item> = banks[0].items.iter().collect();
    let env = Env::new();
    let bank = path.display().to_string();
    let global = ["--no-builtin", "--bank", bank.as_str()];
    for format in ["gift", "csv"] {
        round_trip(&env, &global, &["export-edge-cases"], format, &items);
    }
}

#[test]
fn the_files_moodle_and_spreadsheets_read_are_snapshots() {
    let env = Env::new();
    let bank = fixture(EDGE_CASES);
    for (format, name) in [("gift", "edge_cases_gift"), ("csv", "edge_cases_csv")] {
        let run = env.run(&[
            "--no-builtin",
            "--bank",
            &bank,
            "banks",
            "export",
            "export-edge-cases",
            "--format",
            format,
            "-o",
            "-",
        ]);
        run.expect_code(0);
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn a_bank_imports_back_beside_the_shipped_banks() {
    // Its items name enemies in other shipped banks (bb-812 names bb-010): they resolve
    // against the loaded banks, so the import is complete.
    let env = Env::new();
    let id = "labcert-blood-banking-analysis-2";
    let file = env.path("bb.gift");
    let file_s = file.display().to_string();
    env.run(&["banks", "export", id, "--format", "gift", "-o", &file_s])
        .expect_code(0);
    let out = env.path("bb.ron").display().to_string();
    let run = env.run(&["import", "gift", &file_s, "-o", &out, "--bank-id", id]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("the bank is complete"),
        "{}",
        run.stdout
    );
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("enemies: [\"bb-010\"]"), "{text}");
}

#[test]
fn an_unknown_bank_is_a_usage_error_with_a_hint() {
    let env = Env::new();
    let out = env.path("x.gift");
    let out_s = out.display().to_string();
    let run = env.run(&[
        "banks",
        "export",
        "hematology",
        "--format",
        "gift",
        "-o",
        &out_s,
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "no loaded bank has the id \"hematology\" (did you mean \"labcert-hematology\"?)"
        ),
        "{}",
        run.stderr
    );
    let run = env.run(&[
        "banks",
        "export",
        "labcert-hematolgy",
        "--format",
        "csv",
        "-o",
        &out_s,
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("did you mean \"labcert-hematology\""),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    let run = env.run(&[
        "banks",
        "export",
        "labcert-hematology",
        "--format",
        "xml",
        "-o",
        &out_s,
    ]);
    run.expect_code(2);
    let run = env.run(&["banks", "export", "--format", "gift", "-o", &out_s]);
    run.expect_code(2);
    assert!(run.stderr.contains("BANK_ID"), "{}", run.stderr);
}

#[test]
fn files_are_replaced_only_with_force_and_protected_ones_never() {
    let env = Env::new();
    let out = env.path("hem.gift");
    let out_s = out.display().to_string();
    fs::write(&out, "my notes\n").unwrap();
    let export = |extra: &[&str]| {
        let mut args = vec!["banks", "export", "labcert-hematology", "--format", "gift"];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    let run = export(&["-o", &out_s]);
    run.expect_code(2);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "my notes\n");
    export(&["-o", &out_s, "--force"]).expect_code(0);
    assert!(fs::read_to_string(&out).unwrap().contains("::hem-001::"));

    // The progress database, whatever --force says.
    let db = env.data_dir().join("labcert.db");
    fs::create_dir_all(env.data_dir()).unwrap();
    fs::write(&db, "answers").unwrap();
    let before = fs::read(&db).unwrap();
    let run = export(&["-o", &db.display().to_string(), "--force"]);
    run.expect_code(2);
    assert!(run.stderr.contains("progress database"), "{}", run.stderr);
    assert_eq!(fs::read(&db).unwrap(), before);

    // A loaded bank file: writing GIFT over it would destroy the bank.
    let bank = env.path("mine.ron");
    fs::copy(fixture(EDGE_CASES), &bank).unwrap();
    let bank_s = bank.display().to_string();
    let run = env.run(&[
        "--bank",
        &bank_s,
        "banks",
        "export",
        "export-edge-cases",
        "--format",
        "csv",
        "-o",
        &bank_s,
        "--force",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("loaded bank file"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(&bank).unwrap(),
        fs::read_to_string(fixture(EDGE_CASES)).unwrap()
    );
}

#[test]
fn a_dash_writes_to_standard_output_and_a_closed_pipe_is_not_an_error() {
    let env = Env::new();
    let run = env.run(&[
        "banks",
        "export",
        "labcert-chemistry",
        "--format",
        "csv",
        "-o",
        "-",
    ]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("id,area,topic,"), "{}", run.stdout);
    assert!(
        run.stderr.contains("to standard output (CSV)"),
        "{}",
        run.stderr
    );

    // Every bank is megabytes of GIFT, far more than a pipe holds: the reader stops
    // after a few bytes and the export must end quietly.
    let banks = shipped();
    let mut args = vec!["banks", "export"];
    args.extend(banks.iter().map(|b| b.id.as_str()));
    args.extend(["--format", "gift", "-o", "-"]);
    let mut child = env
        .cmd()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn labcert");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(String::from_utf8_lossy(&first).starts_with("// labcert shipped bank"));
}

#[test]
fn json_summary_lists_what_the_format_cannot_carry() {
    let env = Env::new();
    let out = env.path("bb.csv").display().to_string();
    let run = env.run(&[
        "--json",
        "banks",
        "export",
        "labcert-blood-banking-analysis-2",
        "--format",
        "csv",
        "-o",
        &out,
    ]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["format"], "csv");
    assert_eq!(v["banks"][0], "labcert-blood-banking-analysis-2");
    let losses = v["losses"].as_array().unwrap();
    assert!(
        losses
            .iter()
            .any(|l| l["item"] == "bb-812" && l["kind"] == "enemies"),
        "{losses:?}"
    );
    assert!(losses.iter().all(|l| l["problem"].is_string()));
}
