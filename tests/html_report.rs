//! `labcert report --html FILE`: the page read back as XML (five sections, each chart's
//! data marks counted against the JSON report and the stored exam), nothing fetched from
//! the network, bank text escaped, the output rules of every writer, a snapshot of the
//! page's structure, and the page opened in a real headless browser when one is on PATH.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Env, Run, env_with_generated_bank, run_with_input};

/// The five sections, in page order.
const SECTIONS: [&str; 5] = [
    "score-history",
    "area-estimates",
    "reviews-due",
    "weakest-topics",
    "last-exam",
];
const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// Every topic of the test bank starts with this: bank text that must come out escaped.
const PLANTED: &str = "<script>alert('x')</script> &";
const NOW: &str = "2026-11-14T09:00:00Z";

/// A quiz of the candidate's own (a practice run) with a pass mark it passes.
const QUIZ: &str = r#"Blueprint(
    id: "easy-quiz",
    name: "An easy quiz",
    level: "any",
    delivery: Linear,
    length: Fixed(20),
    time_limit_minutes: 30,
    review: NoReview,
    scale: Percent(cut: 5),
    areas: [(area: "hematology", min: 50, max: 50), (area: "chemistry", min: 50, max: 50)],
)
"#;

/// A profile with practice answers and four finished exams of three kinds, on a
/// generated bank whose topics all carry [`PLANTED`]: two AMT MLS mocks, a quiz of the
/// candidate's own that passes (a practice run), and last an AMT MLT mock. The exams are
/// linear: an adaptive one would first spend 20 s finding its exposure parameters.
fn profile_with_history() -> (Env, String) {
    let (env, bank) = env_with_generated_bank();
    let text = std::fs::read_to_string(&bank).expect("read bank");
    let planted = text.replace(
        "topic: \"topic ",
        "topic: \"<script>alert('x')</script> & topic ",
    );
    assert_ne!(planted, text, "the bank's topics were planted");
    std::fs::write(&bank, planted).expect("write bank");
    let quiz = env.path("quiz.ron");
    std::fs::write(&quiz, QUIZ).expect("write quiz");
    let step = |args: &[&str], when: &str, input: String| {
        let mut cmd = env.cmd();
        cmd.env("LABCERT_NOW", when)
            .env("TZ", "UTC")
            .args(["--no-builtin", "--bank", &bank])
            .args(args);
        run_with_input(cmd, &input).expect_code(0);
    };
    let answers = |answer: &str, n: usize| answer.repeat(n) + "submit\n";
    step(
        &["--seed", "3", "practice", "--questions", "25"],
        "2026-11-10T09:00:00Z",
        "B\n".repeat(25),
    );
    step(
        &["--seed", "4", "exam", "--style", "amt-mls"],
        "2026-11-11T09:00:00Z",
        answers("C\n", 215),
    );
    step(
        &[
            "--seed",
            "5",
            "exam",
            "--blueprint",
            &quiz.display().to_string(),
        ],
        "2026-11-11T15:00:00Z",
        answers("A\n", 20),
    );
    step(
        &["--seed", "6", "exam", "--style", "amt-mls"],
        "2026-11-12T09:00:00Z",
        answers("B\n", 215),
    );
    step(
        &["--seed", "7", "exam", "--style", "amt-mlt"],
        "2026-11-13T09:00:00Z",
        answers("D\n", 210),
    );
    (env, bank)
}

/// `labcert --no-builtin --bank BANK ARGS` at [`NOW`] in UTC.
fn report(env: &Env, bank: &str, args: &[&str]) -> Run {
    let mut cmd = env.cmd();
    cmd.env("LABCERT_NOW", NOW)
        .env("TZ", "UTC")
        .args(["--no-builtin", "--bank", bank])
        .args(args);
    run_with_input(cmd, "")
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).expect("JSON output")
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, options)
        .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

fn section<'a, 'i>(doc: &'a roxmltree::Document<'i>, id: &str) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name("section") && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// The data marks of a section's chart (`<g class="mark ...">`), with their classes.
fn marks(section: roxmltree::Node) -> Vec<String> {
    let svgs: Vec<_> = section
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .collect();
    assert_eq!(svgs.len(), 1, "one chart in {:?}", section.attribute("id"));
    assert_eq!(svgs[0].tag_name().namespace(), Some(SVG_NS));
    svgs[0]
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "g")) && has_class(n, "mark"))
        .map(|n| n.attribute("class").unwrap_or_default().to_string())
        .collect()
}

/// The rows of the section's table, as cell texts.
fn table_rows(section: roxmltree::Node) -> Vec<Vec<String>> {
    section
        .descendants()
        .filter(|n| n.has_tag_name("tbody"))
        .flat_map(|b| b.children().filter(|r| r.has_tag_name("tr")))
        .map(|r| {
            r.children()
                .filter(|c| c.has_tag_name("td"))
                .map(|c| c.text().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_html_report_draws_five_charts_from_the_data_and_writes_safely() {
    let (env, bank) = profile_with_history();
    let out = env.path("report.html");
    let out_arg = out.display().to_string();
    let run = report(&env, &bank, &["report", "--html", &out_arg]);
    run.expect_code(0);
    assert_eq!(
        run.stdout, "",
        "the page goes to the file, not the terminal"
    );
    assert!(
        run.stderr
            .contains("Wrote the progress report as HTML with 5 of 5 charts to"),
        "{}",
        run.stderr
    );
    let html = std::fs::read_to_string(&out).expect("the page was written");
    let data = json(report(&env, &bank, &["--json", "report"]).expect_code(0));

    // Self-contained: the only URL is the SVG namespace; no script, style sheet, font or
    // image is loaded, and the planted bank text is escaped.
    let without_ns = html.replace(SVG_NS, "");
    for banned in [
        "http://", "https://", "<script", "<link", "<img", "url(", "@import", "src=",
    ] {
        assert!(!without_ns.contains(banned), "the page holds {banned:?}");
    }
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; topic"),
        "the topic is escaped"
    );

    let doc = parse(&html);
    assert!(doc.root_element().has_tag_name("html"));
    assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(ids, SECTIONS);
    for id in SECTIONS {
        let s = section(&doc, id);
        for tag in ["h2", "figure", "figcaption", "table"] {
            assert!(
                s.descendants().any(|n| n.has_tag_name(tag)),
                "{id} has a {tag}"
            );
        }
        // Each chart names itself for screen readers.
        let svg = s
            .descendants()
            .find(|n| n.tag_name().name() == "svg")
            .unwrap();
        assert_eq!(svg.attribute("role"), Some("img"));
        for part in ["title", "desc"] {
            assert!(
                svg.children()
                    .any(|c| c.has_tag_name((SVG_NS, part))
                        && !c.text().unwrap_or_default().is_empty()),
                "{id} chart has a {part}"
            );
        }
    }

    // 1. One mark per finished exam, in a panel per style; the practice run and the
    // passes marked as such.
    let exams = data["exams"].as_array().unwrap();
    assert_eq!(exams.len(), 4);
    let m = marks(section(&doc, "score-history"));
    assert_eq!(m.len(), exams.len());
    let runs = exams.iter().filter(|e| e["custom"] == true).count();
    assert_eq!(runs, 1);
    assert_eq!(
        m.iter().filter(|c| c.contains("practice-run")).count(),
        runs
    );
    let passed = exams.iter().filter(|e| e["passed"] == true).count();
    assert!(
        passed >= 1 && passed < exams.len(),
        "passes and fails: {passed}"
    );
    assert_eq!(
        m.iter()
            .filter(|c| c.split_whitespace().any(|w| w == "pass"))
            .count(),
        passed
    );
    let panels: Vec<String> = section(&doc, "score-history")
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "text")) && n.attribute("font-weight") == Some("bold"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    assert_eq!(panels.len(), 3, "amt-mls, amt-mlt and the quiz: {panels:?}");
    let rows = table_rows(section(&doc, "score-history"));
    let mut scores: Vec<(String, String)> =
        rows.iter().map(|r| (r[1].clone(), r[3].clone())).collect();
    let mut want: Vec<(String, String)> = exams
        .iter()
        .map(|e| (e["id"].to_string(), e["scaled_score"].to_string()))
        .collect();
    scores.sort();
    want.sort();
    assert_eq!(scores, want, "the table gives each exam's score");

    // 2. One interval per area with answers.
    let answered = data["areas"]
        .as_object()
        .unwrap()
        .values()
        .filter(|a| a["answered"].as_u64().unwrap() > 0)
        .count();
    assert!(answered >= 5, "the exams cover most areas: {answered}");
    assert_eq!(marks(section(&doc, "area-estimates")).len(), answered);
    assert_eq!(table_rows(section(&doc, "area-estimates")).len(), 7);

    // 3. Fourteen day bars; today's row counts what is due now (overdue) and the rest
    // of today.
    assert_eq!(marks(section(&doc, "reviews-due")).len(), 14);
    let days = table_rows(section(&doc, "reviews-due"));
    assert_eq!(days.len(), 14);
    assert_eq!(days[0][0], "today");
    assert_eq!(days[0][1], "2026-11-14");
    let due_now = data["reviews_due"]["now"].as_u64().unwrap();
    let due_today = data["reviews_due"]["today"].as_u64().unwrap();
    assert!(due_now > 0, "missed questions are due for review");
    assert_eq!(days[0][2], format!("{due_today} ({due_now} overdue)"));
    let week: u64 = days[..7].iter().map(|d| leading_number(&d[2])).sum();
    assert_eq!(week, data["reviews_due"]["this_week"].as_u64().unwrap());

    // 4. One bar per weakest topic; the table holds each topic, unescaped as text.
    let topics = data["weakest_topics"].as_array().unwrap();
    assert!(!topics.is_empty());
    assert_eq!(marks(section(&doc, "weakest-topics")).len(), topics.len());
    let rows = table_rows(section(&doc, "weakest-topics"));
    for (row, t) in rows.iter().zip(topics) {
        assert_eq!(row[0], t["topic"].as_str().unwrap());
        assert!(row[0].starts_with(PLANTED), "{}", row[0]);
    }

    // 5. One interval per area of the last exam, from its stored result.
    let last = exams.last().unwrap()["id"].as_i64().unwrap().to_string();
    let shown = json(report(&env, &bank, &["--json", "exam", "show", &last]).expect_code(0));
    let areas: Vec<(&String, &serde_json::Value)> = shown["areas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, a)| a["items"].as_u64().unwrap() > 0)
        .collect();
    assert_eq!(marks(section(&doc, "last-exam")).len(), areas.len());
    let rows = table_rows(section(&doc, "last-exam"));
    let items: u64 = rows.iter().map(|r| leading_number(&r[1])).sum();
    let correct: u64 = rows.iter().map(|r| leading_number(&r[2])).sum();
    assert_eq!(items, shown["items"].as_u64().unwrap());
    assert_eq!(correct, shown["correct"].as_u64().unwrap());

    // The same page on standard output.
    let stdout = report(&env, &bank, &["report", "--html", "-"]);
    stdout.expect_code(0);
    assert_eq!(stdout.stdout, html);

    // With --json the data still goes to standard output, beside the page; both on
    // standard output is refused.
    let both = report(
        &env,
        &bank,
        &["--json", "report", "--html", &out_arg, "--force"],
    );
    both.expect_code(0);
    assert_eq!(json(&both), data);
    let clash = report(&env, &bank, &["--json", "report", "--html", "-"]);
    clash.expect_code(2);
    assert!(
        clash.stderr.contains("give --html a file"),
        "{}",
        clash.stderr
    );
    assert_eq!(clash.stdout, "");

    // An existing file is replaced only with --force (exit 2 and untouched without).
    let again = report(&env, &bank, &["report", "--html", &out_arg]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("exists; pass --force"),
        "{}",
        again.stderr
    );
    let mut later = env.cmd();
    later
        .env("LABCERT_NOW", "2026-11-15T09:00:00Z")
        .env("TZ", "UTC")
        .args([
            "--no-builtin",
            "--bank",
            &bank,
            "report",
            "--html",
            &out_arg,
        ]);
    run_with_input(later, "").expect_code(2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), html);
    let mut forced = env.cmd();
    forced
        .env("LABCERT_NOW", "2026-11-15T09:00:00Z")
        .env("TZ", "UTC")
        .args(["--no-builtin", "--bank", &bank])
        .args(["report", "--html", &out_arg, "--force"]);
    run_with_input(forced, "").expect_code(0);
    let replaced = std::fs::read_to_string(&out).unwrap();
    assert!(
        replaced.contains("2026-11-15")
            && !replaced.contains("Made by labcert 0.1.0 on 2026-11-14")
    );

    // Never the database or a loaded bank, --force or not.
    let db = env.data_dir().join("labcert.db").display().to_string();
    let refused = report(&env, &bank, &["report", "--html", &db, "--force"]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("progress database"),
        "{}",
        refused.stderr
    );
    let refused = report(&env, &bank, &["report", "--html", &bank, "--force"]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("a loaded bank file"),
        "{}",
        refused.stderr
    );
    assert!(std::fs::read_to_string(&bank).unwrap().contains("Bank("));
    report(&env, &bank, &["report"]).expect_code(0);
    // --force only goes with --html.
    report(&env, &bank, &["report", "--force"]).expect_code(2);
}

/// The number a table cell starts with ("12 (3 overdue)" is 12).
fn leading_number(cell: &str) -> u64 {
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {cell:?}"))
}

#[test]
fn a_new_profile_gets_a_page_of_sentences() {
    let env = Env::new();
    let out = env.path("empty.html");
    let mut cmd = env.cmd();
    cmd.env("LABCERT_NOW", NOW)
        .args(["report", "--html", &out.display().to_string()]);
    let run = run_with_input(cmd, "");
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("with 0 of 5 charts (the others have no data yet)"),
        "{}",
        run.stderr
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let doc = parse(&html);
    for id in SECTIONS {
        let s = section(&doc, id);
        assert!(
            !s.descendants().any(|n| n.tag_name().name() == "svg"),
            "no empty chart in {id}"
        );
        let sentence = s
            .descendants()
            .find(|n| n.has_tag_name("p") && has_class(n, "empty"))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("{id} says why it has no chart"));
        assert!(sentence.ends_with('.') && sentence.len() > 30, "{sentence}");
    }
}

/// The page's outline: elements outside the charts with their ids, the headings,
/// captions and table headers (runs of digits as `#`), and each chart's title and
/// description, for a snapshot that changes only when the page's structure does.
fn outline(doc: &roxmltree::Document) -> String {
    fn strip(s: &str) -> String {
        let mut out = String::new();
        for word in s.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            let mut in_digits = false;
            for c in word.chars() {
                if c.is_ascii_digit() {
                    if !in_digits {
                        out.push('#');
                    }
                    in_digits = true;
                } else {
                    out.push(c);
                    in_digits = false;
                }
            }
        }
        out
    }
    fn walk(n: roxmltree::Node, depth: usize, out: &mut String) {
        let name = n.tag_name().name();
        let mut line = format!("{}{name}", "  ".repeat(depth));
        if let Some(id) = n.attribute("id") {
            line.push('#');
            line.push_str(id);
        }
        if let Some(class) = n.attribute("class") {
            line.push('.');
            line.push_str(&class.replace(' ', "."));
        }
        let text: String = n
            .descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect();
        match name {
            "svg" => {
                out.push_str(&line);
                out.push('\n');
                for part in ["title", "desc"] {
                    if let Some(t) = n.children().find(|c| c.has_tag_name((SVG_NS, part))) {
                        let text = t.text().unwrap_or_default();
                        out.push_str(&format!(
                            "{}  {part}: {}\n",
                            "  ".repeat(depth),
                            strip(text)
                        ));
                    }
                }
            }
            "style" | "tbody" => {
                out.push_str(&line);
                out.push('\n');
            }
            "h1" | "h2" | "p" | "figcaption" | "caption" | "th" | "title" => {
                out.push_str(&format!("{line}: {}\n", strip(&text)));
            }
            _ => {
                out.push_str(&line);
                out.push('\n');
                for c in n.children().filter(|c| c.is_element()) {
                    walk(c, depth + 1, out);
                }
            }
        }
    }
    let mut out = String::new();
    walk(doc.root_element(), 0, &mut out);
    out
}

#[test]
fn the_structure_of_the_page() {
    let (env, bank) = profile_with_history();
    let out = env.path("report.html");
    report(
        &env,
        &bank,
        &["report", "--html", &out.display().to_string()],
    )
    .expect_code(0);
    let html = std::fs::read_to_string(&out).unwrap();
    insta::assert_snapshot!("html_structure", outline(&parse(&html)));
}

/// The first browser found on PATH.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `args`, with a time limit; its stdout.
/// The flags keep it off the network (no background services, every host name
/// unresolvable, any request sent to a closed local port) and out of the user's profile.
fn headless(browser: &Path, profile: &Path, args: &[String], page: &Path) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the browser");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("wait for the browser") {
            assert!(status.success(), "the browser failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser took over 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("read the browser's output")
}

#[test]
fn the_page_renders_in_a_headless_browser() {
    let Some(browser) = browser() else {
        // Written past the test harness's capture, so the skip shows in CI's log.
        let _ = writeln!(
            std::io::stderr(),
            "the_page_renders_in_a_headless_browser skipped: no chromium on PATH (chromium, chromium-browser, google-chrome)"
        );
        return;
    };
    let (env, bank) = profile_with_history();
    let page = env.path("report.html");
    report(
        &env,
        &bank,
        &["report", "--html", &page.display().to_string()],
    )
    .expect_code(0);
    let html = std::fs::read_to_string(&page).unwrap();
    let profile = env.path("browser-profile");
    let started = Instant::now();

    // The browser's own parse of the page holds the five charts and every mark.
    let dom = headless(&browser, &profile, &["--dump-dom".to_string()], &page);
    assert_eq!(dom.matches("<svg").count(), 5, "{dom}");
    for id in SECTIONS {
        assert!(
            dom.contains(&format!("<section id=\"{id}\"")),
            "{id} in the DOM"
        );
    }
    assert_eq!(
        dom.matches("<g class=\"mark").count(),
        html.matches("<g class=\"mark").count()
    );
    assert!(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(!dom.contains("<script"), "the planted script stayed text");

    // A screenshot that is not blank: text and rules, and the charts' colours.
    let shot = env.path("shot.png");
    headless(
        &browser,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,2000".to_string(),
        ],
        &page,
    );
    let (width, height, pixels) = decode_rgb(&shot);
    assert_eq!((width, height), (1000, 2000));
    let total = pixels.len();
    let inked = pixels
        .iter()
        .filter(|[r, g, b]| u16::from(*r) + u16::from(*g) + u16::from(*b) < 3 * 230)
        .count();
    // Chart colours (red, green, blue marks) are saturated; text and rules are grey.
    let coloured = pixels
        .iter()
        .filter(|p| p.iter().max().unwrap() - p.iter().min().unwrap() > 80)
        .count();
    let _ = writeln!(
        std::io::stderr(),
        "headless browser: {} ms for the DOM and a screenshot; {:.1}% of pixels inked, {coloured} coloured",
        started.elapsed().as_millis(),
        100.0 * inked as f64 / total as f64
    );
    assert!(
        inked * 100 >= total * 2,
        "only {inked} of {total} pixels are not white"
    );
    assert!(
        coloured >= 2000,
        "only {coloured} coloured pixels: no charts drawn?"
    );
}

/// A PNG's size and its pixels as RGB.
fn decode_rgb(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("the screenshot"));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match channels {
            1 | 2 => [p[0], p[0], p[0]],
            _ => [p[0], p[1], p[2]],
        })
        .collect();
    (info.width, info.height, pixels)
}
