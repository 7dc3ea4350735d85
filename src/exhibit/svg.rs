//! Exhibits as standalone SVG documents, for the HTML report and for instructors
//! (`labcert banks exhibits`). Built by hand: a few dozen elements per chart do not
//! need a plotting library's dependency tree, and every value lands exactly where the
//! terminal drawing puts it. Text is escaped; the output is well-formed XML (tested).

use std::fmt::Write;

use super::{Electrophoresis, Exhibit, Histogram, QcChart, Scatter, Table, violations};

const FONT: &str = "font-family=\"DejaVu Sans, Arial, sans-serif\"";

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// The exhibit as an SVG document (with the XML declaration when `standalone`).
pub fn render(e: &Exhibit, standalone: bool) -> String {
    let (w, h, body) = match e {
        Exhibit::Table(t) => table(t),
        Exhibit::LeveyJennings(c) => qc_chart(c),
        Exhibit::Electrophoresis(s) => scan(s),
        Exhibit::Histogram(h) => histogram(h),
        Exhibit::Scatter(s) => scatter(s, &e.canonical()),
    };
    let mut out = String::new();
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" {FONT} font-size=\"14\" font-weight=\"bold\">{}</text>\n{body}</svg>\n",
        html_escape::encode_double_quoted_attribute(e.title()),
        esc(e.title()),
        esc(e.title())
    );
    out
}

fn text(out: &mut String, x: f64, y: f64, size: u32, anchor: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" {FONT} font-size=\"{size}\" text-anchor=\"{anchor}\">{}</text>",
        esc(s)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" {style}/>"
    );
}

/// A path through the points.
fn path(out: &mut String, points: &[(f64, f64)], style: &str) {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
    }
    let _ = writeln!(out, "<path d=\"{}\" {style}/>", d.trim_end());
}

fn approx_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

// ---- Table ---------------------------------------------------------------------------

fn table(t: &Table) -> (u32, u32, String) {
    let size = 12.0;
    let row_h = 20.0;
    let widths: Vec<f64> = (0..t.header.len())
        .map(|i| {
            let longest = std::iter::once(&t.header[i])
                .chain(t.rows.iter().map(|r| &r[i]))
                .map(|s| approx_width(s, size))
                .fold(0.0, f64::max);
            longest + 14.0
        })
        .collect();
    let total_w = widths.iter().sum::<f64>() + 20.0;
    let mut out = String::new();
    let top = 36.0;
    let mut y = top + 14.0;
    let mut x = 10.0;
    for (i, h) in t.header.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{y:.1}\" {FONT} font-size=\"12\" font-weight=\"bold\">{}</text>",
            x + 4.0,
            esc(h)
        );
        x += widths[i];
    }
    line(
        &mut out,
        (10.0, y + 5.0),
        (10.0 + widths.iter().sum::<f64>(), y + 5.0),
        "stroke=\"black\"",
    );
    for (r, row) in t.rows.iter().enumerate() {
        y += row_h;
        if r % 2 == 1 {
            let _ = writeln!(
                out,
                "<rect x=\"10\" y=\"{:.1}\" width=\"{:.1}\" height=\"{row_h}\" fill=\"#f0f0f0\"/>",
                y - 14.0,
                widths.iter().sum::<f64>()
            );
        }
        let mut x = 10.0;
        for (i, c) in row.iter().enumerate() {
            text(&mut out, x + 4.0, y, 12, "start", c);
            x += widths[i];
        }
    }
    let mut h = y + 16.0;
    if let Some(note) = &t.note {
        text(
            &mut out,
            10.0,
            h + 4.0,
            11,
            "start",
            &format!("Note: {note}"),
        );
        h += 20.0;
    }
    let w = total_w.max(approx_width(&t.caption, 14.0) + 20.0);
    (w.ceil() as u32, h.ceil() as u32, out)
}

// ---- Levey-Jennings ------------------------------------------------------------------

fn qc_chart(c: &QcChart) -> (u32, u32, String) {
    let (w, h) = (640.0, 330.0);
    let (left, right, top, bottom) = (110.0, 20.0, 40.0, 50.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let zmax = 4.0;
    let y_of = |z: f64| top + ph * (zmax - z.clamp(-zmax, zmax)) / (2.0 * zmax);
    let n = c.points.len();
    let x_of = |i: usize| left + pw * (i as f64 + 0.5) / n as f64;
    let mut out = String::new();
    for k in -3i32..=3 {
        let y = y_of(f64::from(k));
        let style = match k.abs() {
            0 => "stroke=\"black\" stroke-width=\"1.5\"",
            3 => "stroke=\"#b00\" stroke-dasharray=\"6 3\"",
            2 => "stroke=\"#c60\" stroke-dasharray=\"4 3\"",
            _ => "stroke=\"#888\" stroke-dasharray=\"2 3\"",
        };
        line(&mut out, (left, y), (w - right, y), style);
        let name = match k {
            0 => "Mean".to_string(),
            k if k > 0 => format!("+{k}SD"),
            k => format!("{k}SD"),
        };
        let value = c.mean + f64::from(k) * c.sd;
        text(
            &mut out,
            left - 6.0,
            y + 4.0,
            11,
            "end",
            &format!("{name} {}", fmt(value, c.sd)),
        );
    }
    let z = c.z_scores();
    let pts: Vec<(f64, f64)> = z
        .iter()
        .enumerate()
        .map(|(i, &v)| (x_of(i), y_of(v)))
        .collect();
    path(
        &mut out,
        &pts,
        "fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.2\"",
    );
    let mut marked = vec![false; n];
    for &rule in &c.rules {
        for v in violations(rule, &z) {
            for r in v.runs {
                marked[r] = true;
            }
        }
    }
    for (i, (x, y)) in pts.iter().enumerate() {
        if marked[i] {
            let _ = writeln!(
                out,
                "<path d=\"M{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} Z\" fill=\"#c00\"/>",
                y - 6.0,
                x + 6.0,
                y + 6.0,
                x - 6.0
            );
        } else {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#1f5fa8\"/>"
            );
        }
    }
    line(
        &mut out,
        (left, h - bottom),
        (w - right, h - bottom),
        "stroke=\"black\"",
    );
    for i in 0..n {
        let run = i + 1;
        if run == 1 || run % 5 == 0 {
            text(
                &mut out,
                x_of(i),
                h - bottom + 16.0,
                11,
                "middle",
                &run.to_string(),
            );
        }
    }
    text(
        &mut out,
        left + pw / 2.0,
        h - 12.0,
        12,
        "middle",
        &format!("Run ({})", c.unit),
    );
    (w as u32, h as u32, out)
}

/// A value to a tenth of an SD.
fn fmt(v: f64, sd: f64) -> String {
    let d = (-(sd / 10.0).log10().floor()).clamp(0.0, 4.0) as usize;
    format!("{v:.d$}")
}

// ---- curves --------------------------------------------------------------------------

/// Plot area of the curve charts.
struct Area {
    left: f64,
    top: f64,
    w: f64,
    h: f64,
}

fn curve_path(out: &mut String, a: &Area, f: &dyn Fn(f64) -> f64, top: f64) {
    let n = 400;
    let pts: Vec<(f64, f64)> = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            (
                a.left + t * a.w,
                a.top + a.h * (1.0 - (f(t) / top).clamp(0.0, 1.0)),
            )
        })
        .collect();
    let mut filled = pts.clone();
    filled.push((a.left + a.w, a.top + a.h));
    filled.push((a.left, a.top + a.h));
    path(out, &filled, "fill=\"#cfe0f5\" stroke=\"none\"");
    path(
        out,
        &pts,
        "fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"",
    );
    line(
        out,
        (a.left, a.top + a.h),
        (a.left + a.w, a.top + a.h),
        "stroke=\"black\"",
    );
    line(
        out,
        (a.left, a.top),
        (a.left, a.top + a.h),
        "stroke=\"black\"",
    );
}

fn scan(e: &Electrophoresis) -> (u32, u32, String) {
    let a = Area {
        left: 30.0,
        top: 40.0,
        w: 580.0,
        h: 200.0,
    };
    let samples = 400;
    let top = (0..=samples)
        .map(|i| e.density(i as f64 / samples as f64))
        .fold(0.0, f64::max)
        * 1.05;
    let mut out = String::new();
    curve_path(&mut out, &a, &|t| e.density(t), top);
    // The lane: bands shaded by density.
    let lane_y = a.top + a.h + 8.0;
    let strips = 116;
    for i in 0..strips {
        let t = (i as f64 + 0.5) / strips as f64;
        let v = (e.density(t) / top).clamp(0.0, 1.0);
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{lane_y:.1}\" width=\"{:.2}\" height=\"18\" fill=\"#223\" fill-opacity=\"{v:.3}\"/>",
            a.left + a.w * i as f64 / strips as f64,
            a.w / strips as f64 + 0.2
        );
    }
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{lane_y:.1}\" width=\"{}\" height=\"18\" fill=\"none\" stroke=\"black\"/>",
        a.left, a.w
    );
    let mut row = 0;
    let mut last_end = f64::NEG_INFINITY;
    let mut fr: Vec<_> = e.fractions.iter().collect();
    fr.sort_by(|x, y| x.position.total_cmp(&y.position));
    for f in fr {
        let x = a.left + a.w * f.position;
        let label = match e.total_protein {
            Some(tp) => format!(
                "{} {:.1}% ({:.2} g/dL)",
                f.name,
                f.percent,
                tp * f.percent / 100.0
            ),
            None => format!("{} {:.1}%", f.name, f.percent),
        };
        let half = approx_width(&label, 11.0) / 2.0;
        row = if x - half < last_end {
            (row + 1) % 3
        } else {
            0
        };
        last_end = x + half;
        text(
            &mut out,
            x,
            lane_y + 34.0 + 14.0 * row as f64,
            11,
            "middle",
            &label,
        );
    }
    let (l, r) = e.method.ends();
    text(&mut out, a.left, lane_y + 90.0, 11, "start", l);
    text(&mut out, a.left + a.w, lane_y + 90.0, 11, "end", r);
    (640, (lane_y + 100.0) as u32, out)
}

fn histogram(hg: &Histogram) -> (u32, u32, String) {
    let a = Area {
        left: 40.0,
        top: 40.0,
        w: 570.0,
        h: 200.0,
    };
    let (lo, hi) = hg.range;
    let at = |t: f64| lo + t * (hi - lo);
    let samples = 400;
    let top = (0..=samples)
        .map(|i| hg.density(at(i as f64 / samples as f64)))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.05;
    let mut out = String::new();
    curve_path(&mut out, &a, &|t| hg.density(at(t)), top);
    for m in &hg.markers {
        let x = a.left + a.w * (m.at - lo) / (hi - lo);
        line(
            &mut out,
            (x, a.top),
            (x, a.top + a.h),
            "stroke=\"#b00\" stroke-dasharray=\"4 3\"",
        );
        text(&mut out, x, a.top - 4.0, 11, "middle", &m.label);
    }
    let step = super::axis_ticks(lo, hi, 6);
    for t in step {
        let x = a.left + a.w * (t - lo) / (hi - lo);
        line(
            &mut out,
            (x, a.top + a.h),
            (x, a.top + a.h + 5.0),
            "stroke=\"black\"",
        );
        text(
            &mut out,
            x,
            a.top + a.h + 18.0,
            11,
            "middle",
            &super::short_number(t),
        );
    }
    text(
        &mut out,
        a.left + a.w / 2.0,
        a.top + a.h + 34.0,
        12,
        "middle",
        &hg.x_label,
    );
    let mut y = a.top + a.h + 54.0;
    for f in &hg.flags {
        text(&mut out, a.left, y, 12, "start", &format!("Flag: {f}"));
        y += 16.0;
    }
    (640, y as u32, out)
}

fn scatter(s: &Scatter, canonical: &str) -> (u32, u32, String) {
    let a = Area {
        left: 60.0,
        top: 40.0,
        w: 420.0,
        h: 420.0,
    };
    let (xl, xh) = s.x_range;
    let (yl, yh) = s.y_range;
    let px = |x: f64| a.left + a.w * (x - xl) / (xh - xl);
    let py = |y: f64| a.top + a.h * (1.0 - (y - yl) / (yh - yl));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>",
        a.left, a.top, a.w, a.h
    );
    out.push_str("<g fill=\"#1f5fa8\" fill-opacity=\"0.6\">\n");
    for (x, y) in s.events(canonical) {
        if (xl..xh).contains(&x) && (yl..yh).contains(&y) {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.3\"/>",
                px(x),
                py(y)
            );
        }
    }
    out.push_str("</g>\n");
    if let (Some((gx, gy)), Some(q)) = (s.quadrants, s.quadrant_percents()) {
        let style = "stroke=\"#b00\" stroke-width=\"1.2\"";
        line(&mut out, (px(gx), a.top), (px(gx), a.top + a.h), style);
        line(&mut out, (a.left, py(gy)), (a.left + a.w, py(gy)), style);
        let pct = |v: f64| format!("{v:.1}%");
        text(
            &mut out,
            a.left + 6.0,
            a.top + 16.0,
            12,
            "start",
            &pct(q[0]),
        );
        text(
            &mut out,
            a.left + a.w - 6.0,
            a.top + 16.0,
            12,
            "end",
            &pct(q[1]),
        );
        text(
            &mut out,
            a.left + 6.0,
            a.top + a.h - 8.0,
            12,
            "start",
            &pct(q[2]),
        );
        text(
            &mut out,
            a.left + a.w - 6.0,
            a.top + a.h - 8.0,
            12,
            "end",
            &pct(q[3]),
        );
    }
    for c in s.populations.iter().filter(|c| !c.label.trim().is_empty()) {
        text(&mut out, px(c.x), py(c.y) - 4.0, 12, "middle", &c.label);
    }
    for t in super::axis_ticks(xl, xh, 5) {
        text(
            &mut out,
            px(t),
            a.top + a.h + 16.0,
            11,
            "middle",
            &super::short_number(t),
        );
    }
    for t in super::axis_ticks(yl, yh, 5) {
        text(
            &mut out,
            a.left - 6.0,
            py(t) + 4.0,
            11,
            "end",
            &super::short_number(t),
        );
    }
    text(
        &mut out,
        a.left + a.w / 2.0,
        a.top + a.h + 34.0,
        12,
        "middle",
        &s.x_label,
    );
    let _ = writeln!(
        out,
        "<text x=\"14\" y=\"{:.1}\" {FONT} font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 {:.1})\">{}</text>",
        a.top + a.h / 2.0,
        a.top + a.h / 2.0,
        esc(&s.y_label)
    );
    (520, (a.top + a.h + 50.0) as u32, out)
}
