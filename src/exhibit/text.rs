//! Exhibits drawn for the terminal at a given width: tables aligned (split into column
//! groups when too wide), charts in Unicode braille and box characters with labelled
//! axes. Everything reads without colour; with colour, marks and curves stand out.

use unicode_width::UnicodeWidthStr;

use super::{
    Electrophoresis, Exhibit, Histogram, Method, QcChart, Scatter, Table, WestgardRule, axis_ticks,
    short_number, violations,
};

/// Draws exhibit number `number` (1-based) in at most `width` columns.
pub fn draw(e: &Exhibit, number: usize, width: usize, color: bool) -> String {
    let width = width.max(40);
    let mut out = Vec::new();
    out.push(paint(
        color,
        "1",
        &clip(&format!("Exhibit {number}: {}", e.title()), width),
    ));
    match e {
        Exhibit::Table(t) => table(&mut out, t, width),
        Exhibit::LeveyJennings(c) => qc_chart(&mut out, c, width, color),
        Exhibit::Electrophoresis(s) => scan(&mut out, s, width, color),
        Exhibit::Histogram(h) => histogram(&mut out, h, width, color),
        Exhibit::Scatter(s) => scatter(&mut out, s, &e.canonical(), width, color),
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn cols(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to `width` columns (with an ellipsis when cut).
fn clip(s: &str, width: usize) -> String {
    if cols(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if cols(&out) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Words of `s` in lines of at most `width` columns (a longer word is broken across
/// lines: a table cell's value is never cut short).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut pieces = Vec::new();
    for word in s.split_whitespace() {
        pieces.clear();
        let mut piece = String::new();
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if !piece.is_empty() && cols(&piece) + w > width {
                pieces.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        pieces.push(piece);
        for word in &pieces {
            if !line.is_empty() && cols(&line) + 1 + cols(word) > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(cols(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(cols(s))))
}

fn looks_numeric(s: &str) -> bool {
    let t = s
        .trim()
        .trim_start_matches(['<', '>', '≤', '≥', '+', '-', '−']);
    !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | 'H' | 'L' | '*'))
}

// ---- Table ---------------------------------------------------------------------------

/// Widest a column may be before its cells wrap.
const MAX_CELL: usize = 24;

fn table(out: &mut Vec<String>, t: &Table, width: usize) {
    let n = t.header.len();
    // Two columns (the first and one more) always fit side by side.
    let cap = MAX_CELL.min(width.saturating_sub(2) / 2).max(1);
    let mut w: Vec<usize> = t.header.iter().map(|h| cols(h).min(cap)).collect();
    for row in &t.rows {
        for (i, c) in row.iter().enumerate() {
            w[i] = w[i].max(cols(c).min(cap));
        }
    }
    // A column is right-aligned when every cell in it is a number.
    let numeric: Vec<bool> = (0..n)
        .map(|i| {
            t.rows
                .iter()
                .all(|r| r[i].trim().is_empty() || looks_numeric(&r[i]))
        })
        .collect();
    let gap = 2;
    // Column groups that fit the width, each starting with the first column.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current = vec![0];
    let mut used = w[0];
    for i in 1..n {
        if used + gap + w[i] > width && current.len() > 1 {
            groups.push(std::mem::replace(&mut current, vec![0, i]));
            used = w[0] + gap + w[i];
        } else {
            current.push(i);
            used += gap + w[i];
        }
    }
    groups.push(current);
    let split = groups.len() > 1;
    for (g, group) in groups.iter().enumerate() {
        if split {
            let first = group.get(1).copied().unwrap_or(0);
            let last = *group.last().unwrap_or(&0);
            out.push(format!(
                "(columns {}-{} of {n}{})",
                first + 1,
                last + 1,
                if g + 1 < groups.len() {
                    "; continued below"
                } else {
                    ""
                }
            ));
        }
        let line = |cells: &[&str], numeric_row: bool| -> Vec<String> {
            let wrapped: Vec<Vec<String>> = group
                .iter()
                .zip(cells)
                .map(|(&i, c)| wrap(c, w[i]))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            (0..height)
                .map(|k| {
                    let parts: Vec<String> = group
                        .iter()
                        .zip(&wrapped)
                        .map(|(&i, lines)| {
                            let s = lines.get(k).map_or("", String::as_str);
                            if numeric_row && numeric[i] {
                                pad_left(s, w[i])
                            } else {
                                pad_right(s, w[i])
                            }
                        })
                        .collect();
                    parts.join(&" ".repeat(gap)).trim_end().to_string()
                })
                .collect()
        };
        let head: Vec<&str> = group.iter().map(|&i| t.header[i].as_str()).collect();
        out.extend(line(&head, false));
        let rule: usize = group.iter().map(|&i| w[i]).sum::<usize>() + gap * (group.len() - 1);
        out.push("─".repeat(rule.min(width)));
        for row in &t.rows {
            let cells: Vec<&str> = group.iter().map(|&i| row[i].as_str()).collect();
            out.extend(line(&cells, true));
        }
        if split && g + 1 < groups.len() {
            out.push(String::new());
        }
    }
    if let Some(note) = &t.note {
        out.extend(wrap(&format!("Note: {note}"), width));
    }
}

// ---- Levey-Jennings ------------------------------------------------------------------

/// The chart's rows, top to bottom: the SD lines (`Some(k)`: the line at k SD) and the
/// bands between them (`None`, with the band's bounds).
fn lj_rows() -> Vec<(Option<i32>, f64, f64)> {
    let mut rows = vec![(None, 3.0, f64::INFINITY)];
    for k in (-3..=3).rev() {
        rows.push((Some(k), k as f64, k as f64));
        if k > -3 {
            rows.push((None, (k - 1) as f64, k as f64));
        }
    }
    rows.push((None, f64::NEG_INFINITY, -3.0));
    rows
}

fn qc_chart(out: &mut Vec<String>, c: &QcChart, width: usize, color: bool) {
    let z = c.z_scores();
    let n = z.len();
    let decimals = decimals_for(c.sd);
    let label = |k: i32| -> String {
        let value = c.mean + f64::from(k) * c.sd;
        let name = match k {
            0 => "Mean".to_string(),
            k if k > 0 => format!("+{k}SD"),
            k => format!("{k}SD"),
        };
        format!("{name:>5} {value:>w$.decimals$}", w = 7)
    };
    let gutter = cols(&label(-3)).max(cols(&label(3))) + 1;
    let room = width.saturating_sub(gutter + 2).max(1);
    // On a narrow terminal the most recent runs are drawn; all are listed below.
    let first = n.saturating_sub(room);
    let shown = n - first;
    let step = (room / shown.max(1)).clamp(1, 4);
    // Marked runs: those in a violation of a rule the exhibit names.
    let mut marked = vec![false; n];
    let mut found: Vec<(WestgardRule, Vec<usize>)> = Vec::new();
    for &rule in &c.rules {
        for v in violations(rule, &z) {
            for &r in &v.runs {
                marked[r] = true;
            }
            found.push((rule, v.runs));
        }
    }
    out.extend(wrap(
        &format!(
            "One result per run (numbered along the bottom), in {}; a dot between two lines lies between those limits.",
            c.unit
        ),
        width,
    ));
    if first > 0 {
        out.extend(wrap(
            &format!(
                "Runs {}-{n} of {n} are drawn (the window is narrow); every result is listed below.",
                first + 1
            ),
            width,
        ));
    }
    for (line, lo, hi) in lj_rows() {
        let mut row = String::new();
        let (head, fill) = match line {
            Some(k) => (
                format!("{} ┼", pad_right(&label(k), gutter - 1)),
                if k == 0 { '─' } else { '·' },
            ),
            None if hi.is_infinite() => (format!("{}│", pad_right("  >+3SD", gutter)), ' '),
            None if lo.is_infinite() => (format!("{}│", pad_right("  <-3SD", gutter)), ' '),
            None => (format!("{}│", " ".repeat(gutter)), ' '),
        };
        row.push_str(&head);
        for (i, &v) in z.iter().enumerate().skip(first) {
            let inside = match line {
                Some(_) => (v - lo).abs() < 1e-9,
                None => v > lo + 1e-9 && v < hi - 1e-9,
            };
            let pad: String = std::iter::repeat_n(fill, step - 1).collect();
            row.push_str(&pad);
            if inside {
                let glyph = if marked[i] { "◆" } else { "●" };
                row.push_str(&paint(color, if marked[i] { "1;31" } else { "36" }, glyph));
            } else {
                row.push(fill);
            }
        }
        out.push(row);
    }
    // The run axis: a tick every 5 runs.
    let mut axis = format!("{}└", " ".repeat(gutter));
    let mut ticks = " ".repeat(gutter + 1);
    for i in first..n {
        axis.push_str(&"─".repeat(step - 1));
        let run = i + 1;
        let tick = run == first + 1 || run % 5 == 0;
        axis.push(if tick { '┬' } else { '─' });
        let at = gutter + 1 + (i - first) * step + step - 1;
        let text = run.to_string();
        if tick && cols(&ticks) <= at && at + cols(&text) <= width {
            ticks.push_str(&" ".repeat(at - cols(&ticks)));
            ticks.push_str(&text);
        }
    }
    out.push(axis);
    out.push(ticks);
    if z.iter().any(|v| v.abs() > 4.0) {
        out.extend(wrap(
            "Results beyond 3 SD are drawn in the outer rows.",
            width,
        ));
    }
    let values: Vec<String> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}) {v:.decimals$}", i + 1))
        .collect();
    out.extend(wrap(&format!("Results: {}", values.join("  ")), width));
    if !c.rules.is_empty() {
        let names: Vec<&str> = c.rules.iter().map(|r| r.name()).collect();
        if found.is_empty() {
            out.push(format!("Marked rules ({}): no violation", names.join(", ")));
        } else {
            let list: Vec<String> = found
                .iter()
                .map(|(r, runs)| {
                    let runs: Vec<String> = runs.iter().map(|r| (r + 1).to_string()).collect();
                    let word = if runs.len() == 1 { "run" } else { "runs" };
                    format!("{} at {word} {}", r.name(), runs.join(", "))
                })
                .collect();
            out.extend(wrap(&format!("◆ violation: {}", list.join("; ")), width));
        }
    }
}

/// Decimals that show a value to a tenth of an SD.
fn decimals_for(sd: f64) -> usize {
    let d = -(sd / 10.0).log10().floor();
    d.clamp(0.0, 4.0) as usize
}

// ---- braille canvas ------------------------------------------------------------------

/// A grid of braille cells, 2 dots wide and 4 high, with text laid over it.
struct Canvas {
    w: usize,
    h: usize,
    dots: Vec<u8>,
    text: Vec<Option<char>>,
}

impl Canvas {
    fn new(w: usize, h: usize) -> Self {
        Canvas {
            w,
            h,
            dots: vec![0; w * h],
            text: vec![None; w * h],
        }
    }

    /// Sets the dot at (x, y) of the 2w x 4h dot grid; y = 0 is the top.
    fn dot(&mut self, x: usize, y: usize) {
        if x >= self.w * 2 || y >= self.h * 4 {
            return;
        }
        const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
        self.dots[(y / 4) * self.w + x / 2] |= BITS[x % 2][y % 4];
    }

    /// A vertical run of dots in column x from y0 to y1.
    fn column(&mut self, x: usize, y0: usize, y1: usize) {
        for y in y0.min(y1)..=y0.max(y1) {
            self.dot(x, y);
        }
    }

    fn put(&mut self, cx: usize, cy: usize, c: char) {
        if cx < self.w && cy < self.h {
            self.text[cy * self.w + cx] = Some(c);
        }
    }

    fn label(&mut self, cx: usize, cy: usize, s: &str) {
        for (i, c) in s.chars().enumerate() {
            self.put(cx + i, cy, c);
        }
    }

    fn free(&self, cx: usize, cy: usize, len: usize) -> bool {
        cx + len <= self.w && (cx..cx + len).all(|x| self.text[cy * self.w + x].is_none())
    }

    fn rows(&self, color: bool, code: &str) -> Vec<String> {
        (0..self.h)
            .map(|y| {
                let mut s = String::new();
                for x in 0..self.w {
                    match self.text[y * self.w + x] {
                        Some(c) => s.push(c),
                        None => {
                            let m = self.dots[y * self.w + x];
                            if m == 0 {
                                s.push(' ');
                            } else {
                                let ch = char::from_u32(0x2800 + u32::from(m)).unwrap_or('⣿');
                                s.push_str(&paint(color, code, &ch.to_string()));
                            }
                        }
                    }
                }
                s
            })
            .collect()
    }
}

/// Draws `f` (0..1 along x, heights relative to `top`) as a continuous curve.
fn curve(canvas: &mut Canvas, f: &dyn Fn(f64) -> f64, top: f64) {
    let dw = canvas.w * 2;
    let dh = canvas.h * 4;
    let mut prev: Option<usize> = None;
    for x in 0..dw {
        let t = (x as f64 + 0.5) / dw as f64;
        let v = (f(t) / top).clamp(0.0, 1.0);
        let y = ((1.0 - v) * (dh - 1) as f64).round() as usize;
        match prev {
            Some(p) => canvas.column(x, p, y),
            None => canvas.dot(x, y),
        }
        prev = Some(y);
    }
}

/// The x axis under a plot of `w` cells starting at column `left`: a line with ticks
/// and the tick values, placed so they do not overlap.
fn x_axis(out: &mut Vec<String>, left: usize, w: usize, lo: f64, hi: f64, label: &str) {
    let mut line: Vec<char> = "─".repeat(w).chars().collect();
    let mut values = String::new();
    for t in axis_ticks(lo, hi, (w / 10).max(2)) {
        let at = (((t - lo) / (hi - lo)) * (w - 1) as f64).round() as usize;
        if at < w {
            line[at] = '┬';
        }
        let s = short_number(t);
        // Centred under its tick, but never past the plot's right edge.
        let start = at
            .saturating_sub(cols(&s) / 2)
            .min(w.saturating_sub(cols(&s)));
        if start >= cols(&values) + usize::from(!values.is_empty()) {
            values.push_str(&" ".repeat(start - cols(&values)));
            values.push_str(&s);
        }
    }
    out.push(format!(
        "{}└{}",
        " ".repeat(left - 1),
        line.into_iter().collect::<String>()
    ));
    // The axis label follows the values when it fits, else goes under them.
    if cols(&values) + 2 + cols(label) <= w + 1 {
        out.push(format!("{}{values}  {label}", " ".repeat(left)));
    } else {
        out.push(format!("{}{values}", " ".repeat(left)));
        for line in wrap(label, w) {
            out.push(format!("{}{line}", " ".repeat(left)));
        }
    }
}

// ---- Electrophoresis -----------------------------------------------------------------

fn scan(out: &mut Vec<String>, e: &Electrophoresis, width: usize, color: bool) {
    let left = 2;
    let w = (width - left - 1).min(72);
    let h = 8;
    let mut canvas = Canvas::new(w, h);
    let samples = w * 2;
    let top = (0..samples)
        .map(|i| e.density((i as f64 + 0.5) / samples as f64))
        .fold(0.0, f64::max)
        * 1.05;
    curve(&mut canvas, &|t| e.density(t), top);
    for row in canvas.rows(color, "36") {
        out.push(format!("{}│{row}", " ".repeat(left - 1)));
    }
    out.push(format!("{}└{}", " ".repeat(left - 1), "─".repeat(w)));
    // The lane: each column shaded by how much protein runs there.
    let shades = [' ', '░', '▒', '▓', '█'];
    let lane: String = (0..w)
        .map(|i| {
            let v = e.density((i as f64 + 0.5) / w as f64) / top;
            shades[((v * 4.0).ceil() as usize).min(4)]
        })
        .collect();
    out.push(format!("{}[{lane}]", " ".repeat(left - 1)));
    // The fractions' names under their places, staggered onto a second line if crowded.
    let mut lines = [String::new(), String::new()];
    let mut placed: Vec<(usize, String)> = e
        .fractions
        .iter()
        .map(|f| ((f.position * w as f64) as usize, f.name.clone()))
        .collect();
    placed.sort_by_key(|(at, _)| *at);
    for (at, name) in placed {
        let start = (left + at).saturating_sub(cols(&name) / 2);
        for line in lines.iter_mut() {
            let used = cols(line);
            if used == 0 || start > used {
                line.push_str(&" ".repeat(start.saturating_sub(used)));
                line.push_str(&name);
                break;
            }
        }
    }
    for line in lines.iter().filter(|l| !l.is_empty()) {
        out.push(clip(line, width));
    }
    let (l, r) = e.method.ends();
    out.push(format!(
        "{}{l}{}{r}",
        " ".repeat(left),
        " ".repeat((w + 1).saturating_sub(cols(l) + cols(r)))
    ));
    if e.method != Method::Serum {
        let zones = match e.method {
            Method::HemoglobinAlkaline => "Zones: C/A2/E/O-Arab | S/D/G | F | A | Bart's | H",
            _ => "Zones: F | A (A2, D, E, G) | S | C",
        };
        out.push(zones.to_string());
    }
    let rows: Vec<String> = e
        .fractions
        .iter()
        .map(|f| match e.total_protein {
            Some(tp) => format!(
                "{} {:.1}% ({:.2} g/dL)",
                f.name,
                f.percent,
                tp * f.percent / 100.0
            ),
            None => format!("{} {:.1}%", f.name, f.percent),
        })
        .collect();
    let mut text = rows.join(" · ");
    if let Some(tp) = e.total_protein {
        text.push_str(&format!(" · total protein {tp:.1} g/dL"));
    }
    out.extend(wrap(&text, width));
}

// ---- Histogram -----------------------------------------------------------------------

fn histogram(out: &mut Vec<String>, hg: &Histogram, width: usize, color: bool) {
    let left = 2;
    let w = (width - left - 1).min(72);
    let h = 8;
    let (lo, hi) = hg.range;
    let at = |t: f64| lo + t * (hi - lo);
    let samples = w * 2;
    let top = (0..samples)
        .map(|i| hg.density(at((i as f64 + 0.5) / samples as f64)))
        .fold(0.0, f64::max)
        * 1.05;
    let mut canvas = Canvas::new(w, h);
    curve(
        &mut canvas,
        &|t| hg.density(at(t)),
        top.max(f64::MIN_POSITIVE),
    );
    // Discriminators: dotted lines with their labels at the top.
    for m in &hg.markers {
        let cx = (((m.at - lo) / (hi - lo)) * (w - 1) as f64).round() as usize;
        for y in 1..h {
            canvas.put(cx, y, '┊');
        }
        let start = cx
            .saturating_sub(cols(&m.label) / 2)
            .min(w.saturating_sub(cols(&m.label)));
        if canvas.free(start, 0, cols(&m.label)) {
            canvas.label(start, 0, &m.label);
        } else {
            canvas.put(cx, 0, '┊');
        }
    }
    for row in canvas.rows(color, "36") {
        out.push(format!("{}│{row}", " ".repeat(left - 1)));
    }
    x_axis(out, left, w, lo, hi, &hg.x_label);
    if !hg.markers.is_empty() {
        let list: Vec<String> = hg
            .markers
            .iter()
            .map(|m| format!("{} at {}", m.label, short_number(m.at)))
            .collect();
        out.extend(wrap(&format!("Lines: {}", list.join(", ")), width));
    }
    for f in &hg.flags {
        out.extend(wrap(&format!("Flag: {f}"), width));
    }
}

// ---- Scatter -------------------------------------------------------------------------

fn scatter(out: &mut Vec<String>, s: &Scatter, canonical: &str, width: usize, color: bool) {
    let y_ticks = [s.y_range.1, (s.y_range.0 + s.y_range.1) / 2.0, s.y_range.0];
    let left = y_ticks
        .iter()
        .map(|v| cols(&short_number(*v)))
        .max()
        .unwrap_or(1)
        + 2;
    let w = (width - left - 1).min(60);
    let h = 14;
    let mut canvas = Canvas::new(w, h);
    let (xl, xh) = s.x_range;
    let (yl, yh) = s.y_range;
    let to_dot = |x: f64, y: f64| -> Option<(usize, usize)> {
        let tx = (x - xl) / (xh - xl);
        let ty = (y - yl) / (yh - yl);
        ((0.0..1.0).contains(&tx) && (0.0..1.0).contains(&ty)).then(|| {
            (
                (tx * (w * 2) as f64) as usize,
                ((1.0 - ty) * (h * 4) as f64) as usize,
            )
        })
    };
    for (x, y) in s.events(canonical) {
        if let Some((dx, dy)) = to_dot(x, y) {
            canvas.dot(dx, dy);
        }
    }
    let gate = s.quadrants.map(|(gx, gy)| {
        let cx = (((gx - xl) / (xh - xl)) * w as f64) as usize;
        let cy = (((1.0 - (gy - yl) / (yh - yl)) * h as f64) as usize).min(h - 1);
        (cx.min(w - 1), cy)
    });
    if let Some((cx, cy)) = gate {
        for y in 0..h {
            canvas.put(cx, y, '│');
        }
        for x in 0..w {
            canvas.put(x, cy, if x == cx { '┼' } else { '─' });
        }
    }
    for c in s.populations.iter().filter(|c| !c.label.trim().is_empty()) {
        if let Some((dx, dy)) = to_dot(c.x, c.y) {
            let len = cols(&c.label);
            let cy = dy / 4;
            let cx = (dx / 2).saturating_sub(len / 2).min(w.saturating_sub(len));
            if canvas.free(cx, cy, len) {
                canvas.label(cx, cy, &c.label);
            } else if cy + 1 < h && canvas.free(cx, cy + 1, len) {
                canvas.label(cx, cy + 1, &c.label);
            }
        }
    }
    let rows = canvas.rows(color, "36");
    for (i, row) in rows.iter().enumerate() {
        let tick = if i == 0 {
            short_number(y_ticks[0])
        } else if i == h / 2 {
            short_number(y_ticks[1])
        } else if i == h - 1 {
            short_number(y_ticks[2])
        } else {
            String::new()
        };
        out.push(format!("{} │{row}", pad_left(&tick, left - 2)));
    }
    x_axis(out, left, w, xl, xh, &s.x_label);
    for line in wrap(&format!("y: {}", s.y_label), width - left) {
        out.push(format!("{}{line}", " ".repeat(left)));
    }
    if let Some(q) = s.quadrant_percents() {
        out.extend(wrap(
            &format!(
                "Quadrants (% of events): upper left {:.1} · upper right {:.1} · lower left {:.1} · lower right {:.1}",
                q[0], q[1], q[2], q[3]
            ),
            width,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_numbers() {
        assert_eq!(
            axis_ticks(0.0, 250.0, 5),
            vec![0.0, 50.0, 100.0, 150.0, 200.0, 250.0]
        );
        assert_eq!(axis_ticks(0.0, 4.0, 4), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    }

    /// Random exhibits of every kind, within what `banks check` allows, drawn at every
    /// width from 40 to 100: no panic and no line wider than the width.
    #[test]
    fn random_exhibits_fit_every_width() {
        use super::super::{
            Cloud, Electrophoresis, Fraction, Histogram, HistogramData, Marker, Method, Population,
            QcChart, Scatter, Shape,
        };
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let word = |rng: &mut rand::rngs::StdRng, max: usize| -> String {
            let n = rng.random_range(1..=max);
            (0..n)
                .map(|_| ['a', 'Ω', '+', '0', 'µ', ' ', 'Z', '9'][rng.random_range(0..8)])
                .collect()
        };
        for case in 0..200 {
            let e = match case % 5 {
                0 => {
                    let cols_n = rng.random_range(1..=40);
                    Exhibit::Table(Table {
                        caption: word(&mut rng, 90),
                        header: (0..cols_n).map(|_| word(&mut rng, 30)).collect(),
                        rows: (0..rng.random_range(1..=8))
                            .map(|_| (0..cols_n).map(|_| word(&mut rng, 40)).collect())
                            .collect(),
                        note: Some(word(&mut rng, 200)),
                    })
                }
                1 => {
                    let mean = rng.random_range(-1e6..1e6);
                    let sd = rng.random_range(0.001..1000.0);
                    Exhibit::LeveyJennings(QcChart {
                        title: word(&mut rng, 90),
                        unit: word(&mut rng, 10),
                        mean,
                        sd,
                        points: (0..rng.random_range(2..=60))
                            .map(|_| mean + sd * rng.random_range(-6.0..6.0))
                            .collect(),
                        rules: vec![WestgardRule::R13s, WestgardRule::Trend7],
                    })
                }
                2 => Exhibit::Electrophoresis(Electrophoresis {
                    title: word(&mut rng, 90),
                    method: Method::HemoglobinAcid,
                    fractions: (0..rng.random_range(1..=12))
                        .map(|_| Fraction {
                            name: word(&mut rng, 12),
                            percent: rng.random_range(0.0..100.0),
                            shape: Shape::Spike,
                            position: rng.random_range(0.0..=1.0),
                        })
                        .collect(),
                    total_protein: Some(rng.random_range(1.0..20.0)),
                }),
                3 => Exhibit::Histogram(Histogram {
                    title: word(&mut rng, 90),
                    x_label: word(&mut rng, 40),
                    range: (0.0, rng.random_range(1.0..1e5)),
                    data: if rng.random_bool(0.5) {
                        HistogramData::Bins(
                            (0..rng.random_range(4..=200))
                                .map(|_| rng.random_range(0.0..9.0))
                                .collect(),
                        )
                    } else {
                        HistogramData::Populations(vec![Population {
                            center: 0.5,
                            sd: 0.1,
                            share: 1.0,
                        }])
                    },
                    markers: vec![Marker {
                        at: 0.0,
                        label: word(&mut rng, 20),
                    }],
                    flags: vec![word(&mut rng, 120)],
                }),
                _ => Exhibit::Scatter(Scatter {
                    title: word(&mut rng, 90),
                    x_label: word(&mut rng, 40),
                    y_label: word(&mut rng, 40),
                    x_range: (-1e4, 1e4),
                    y_range: (0.0, 0.001),
                    populations: (0..rng.random_range(1..=12))
                        .map(|_| Cloud {
                            label: word(&mut rng, 20),
                            x: rng.random_range(-1e4..1e4),
                            y: rng.random_range(0.0..0.001),
                            x_sd: 100.0,
                            y_sd: 0.0001,
                            share: 1.0,
                        })
                        .collect(),
                    quadrants: Some((0.0, 0.0005)),
                }),
            };
            for width in (40..=100).step_by(7) {
                for line in draw(&e, 1, width, false).lines() {
                    assert!(cols(line) <= width, "case {case} at {width}: {line}");
                }
            }
        }
    }

    #[test]
    fn every_line_fits_the_width() {
        let t = Table {
            caption: "Panel".into(),
            header: (0..30).map(|i| format!("Ag{i}")).collect(),
            rows: vec![(0..30).map(|_| "+".to_string()).collect(); 3],
            note: Some("a long footnote ".repeat(12)),
        };
        for width in [60, 80] {
            let s = draw(&Exhibit::Table(t.clone()), 1, width, false);
            for line in s.lines() {
                assert!(cols(line) <= width, "{width}: {line}");
            }
            assert!(s.contains("continued below"));
        }
    }
}
