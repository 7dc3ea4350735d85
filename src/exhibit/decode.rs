//! Reading an item's `exhibits: [...]` with a located error for every mistake: a panel
//! row of the wrong length, an empty QC series, fractions that do not add up to 100%,
//! an unknown Westgard rule, a marker outside its histogram.

use crate::doc::decode::{Cx, StructView, suggest};
use crate::doc::diagnostic::Diagnostic;
use crate::doc::ron::{Node, NodeKind, Span};

use super::{
    Cloud, Electrophoresis, Exhibit, Fraction, Histogram, HistogramData, Marker, Method,
    Population, QcChart, Scatter, Shape, Table, WestgardRule,
};

/// Most exhibits one item may carry.
pub const MAX_EXHIBITS: usize = 4;
/// Most columns and rows of a table.
pub const MAX_COLUMNS: usize = 40;
pub const MAX_ROWS: usize = 60;
/// Most results on one QC chart.
pub const MAX_POINTS: usize = 60;
/// Most histogram bins, scan fractions and scatter clouds.
pub const MAX_BINS: usize = 200;
pub const MAX_FRACTIONS: usize = 12;
pub const MAX_CLOUDS: usize = 12;

const KINDS: [&str; 5] = [
    "Table",
    "LeveyJennings",
    "Electrophoresis",
    "Histogram",
    "Scatter",
];

/// Decodes the list of exhibits of `what` (e.g. "item `bb-1001`").
pub fn exhibits(cx: &mut Cx, node: &Node, what: &str) -> Option<Vec<Exhibit>> {
    let list = cx.list(
        node,
        Some("`exhibits` is a list: exhibits: [ Table(...), LeveyJennings(...) ]"),
    )?;
    if list.len() > MAX_EXHIBITS {
        cx.push(
            Diagnostic::error(
                "exhibit-count",
                cx.file,
                format!("{what} has {} exhibits", list.len()),
            )
            .at(list[MAX_EXHIBITS].span.clone(), "one too many from here")
            .hint(format!(
                "an item shows at most {MAX_EXHIBITS} exhibits; split the item or merge tables"
            )),
        );
        return None;
    }
    let before = cx.errors();
    let out: Vec<Exhibit> = list.iter().filter_map(|n| exhibit(cx, n)).collect();
    (cx.errors() == before).then_some(out)
}

fn exhibit(cx: &mut Cx, node: &Node) -> Option<Exhibit> {
    let (kind, kind_span) = match &node.kind {
        NodeKind::Struct { name: Some(n), .. } => (n.name, n.span.clone()),
        NodeKind::Tuple { name: Some(n), .. } | NodeKind::Unit { name: Some(n) } => {
            (n.name, n.span.clone())
        }
        _ => {
            cx.wrong_type(
                node,
                "an exhibit such as `Table(...)`",
                Some("the kinds are Table, LeveyJennings, Electrophoresis, Histogram and Scatter"),
            );
            return None;
        }
    };
    if !KINDS.contains(&kind) {
        let hint = match suggest(kind, KINDS) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the kinds are: {}", KINDS.join(", ")),
        };
        cx.push(
            Diagnostic::error(
                "unknown-exhibit",
                cx.file,
                format!("unknown exhibit kind `{kind}`"),
            )
            .at(kind_span, "not an exhibit kind")
            .hint(hint),
        );
        return None;
    }
    let what = format!("the {kind} exhibit");
    let mut s = cx.structure(node, kind, &what)?;
    let before = cx.errors();
    let out = match kind {
        "Table" => table(cx, &mut s).map(Exhibit::Table),
        "LeveyJennings" => qc_chart(cx, &mut s).map(Exhibit::LeveyJennings),
        "Electrophoresis" => electrophoresis(cx, &mut s).map(Exhibit::Electrophoresis),
        "Histogram" => histogram(cx, &mut s).map(Exhibit::Histogram),
        _ => scatter(cx, &mut s).map(Exhibit::Scatter),
    };
    let fields: &[&str] = match kind {
        "Table" => &["caption", "header", "rows", "note"],
        "LeveyJennings" => &["title", "unit", "mean", "sd", "points", "rules"],
        "Electrophoresis" => &["title", "method", "fractions", "total_protein"],
        "Histogram" => &[
            "title",
            "x_label",
            "range",
            "populations",
            "bins",
            "markers",
            "flags",
        ],
        _ => &[
            "title",
            "x_label",
            "y_label",
            "x_range",
            "y_range",
            "populations",
            "quadrants",
        ],
    };
    s.finish(cx, fields);
    if cx.errors() > before {
        return None;
    }
    out
}

// ---- Table ---------------------------------------------------------------------------

fn table(cx: &mut Cx, s: &mut StructView) -> Option<Table> {
    let caption = s
        .required(cx, "caption", "\"Antibody identification panel\"")
        .and_then(|n| cx.text(n, "caption"));
    let header_node = s.required(cx, "header", "[\"Cell\", \"D\", \"C\", ...]");
    let header = header_node.and_then(|n| {
        let h = cx.string_list(n)?;
        if h.is_empty() {
            cx.error(
                "exhibit-empty",
                n.span.clone(),
                "the table has no columns",
                "an empty header",
            );
            return None;
        }
        if h.len() > MAX_COLUMNS {
            cx.error(
                "exhibit-size",
                n.span.clone(),
                format!("the table has {} columns, more than {MAX_COLUMNS}", h.len()),
                "too wide to read",
            );
            return None;
        }
        Some(h.into_iter().map(|(t, _)| t).collect::<Vec<_>>())
    });
    let rows = s
        .required(cx, "rows", "[[\"1\", \"+\", \"0\", ...], ...]")
        .and_then(|n| {
            let list = cx.list(n, Some("`rows` is a list of rows, each a list of cells"))?;
            if list.is_empty() {
                cx.error(
                    "exhibit-empty",
                    n.span.clone(),
                    "the table has no rows",
                    "an empty list",
                );
                return None;
            }
            if list.len() > MAX_ROWS {
                cx.error(
                    "exhibit-size",
                    list[MAX_ROWS].span.clone(),
                    format!("the table has {} rows, more than {MAX_ROWS}", list.len()),
                    "one too many from here",
                );
                return None;
            }
            let mut rows = Vec::with_capacity(list.len());
            let mut ok = true;
            for (i, row) in list.iter().enumerate() {
                let Some(cells) = cx.string_list(row) else {
                    ok = false;
                    continue;
                };
                if let Some(h) = &header
                    && cells.len() != h.len()
                {
                    let d = Diagnostic::error(
                        "exhibit-row-length",
                        cx.file,
                        format!(
                            "row {} has {} cells but the header has {} columns",
                            i + 1,
                            cells.len(),
                            h.len()
                        ),
                    )
                    .at(row.span.clone(), format!("{} cells", cells.len()))
                    .hint(if cells.len() < h.len() {
                        "add the missing cells (an empty cell is \"\")"
                    } else {
                        "remove the extra cells, or add a column to the header"
                    });
                    let d = match header_node {
                        Some(hn) => {
                            d.also(cx.file, hn.span.clone(), format!("{} columns", h.len()))
                        }
                        None => d,
                    };
                    cx.push(d);
                    ok = false;
                    continue;
                }
                rows.push(cells.into_iter().map(|(t, _)| t).collect());
            }
            ok.then_some(rows)
        });
    let note = s.optional("note").and_then(|n| cx.text(n, "note"));
    Some(Table {
        caption: caption?,
        header: header?,
        rows: rows?,
        note,
    })
}

// ---- LeveyJennings -------------------------------------------------------------------

fn qc_chart(cx: &mut Cx, s: &mut StructView) -> Option<QcChart> {
    let title = s
        .required(cx, "title", "\"Glucose, control level 1\"")
        .and_then(|n| cx.text(n, "title"));
    let unit = s
        .required(cx, "unit", "\"mg/dL\"")
        .and_then(|n| cx.text(n, "unit"));
    let mean = s.required(cx, "mean", "100.0").and_then(|n| cx.number(n));
    let sd = s
        .required(cx, "sd", "2.5")
        .and_then(|n| positive(cx, n, "the SD"));
    let points = s
        .required(cx, "points", "[101.0, 98.5, ...]")
        .and_then(|n| {
            let v = numbers(cx, n)?;
            if v.len() < 2 {
                cx.error(
                    "exhibit-empty",
                    n.span.clone(),
                    format!("a QC chart needs at least 2 results, found {}", v.len()),
                    "too few results",
                );
                return None;
            }
            if v.len() > MAX_POINTS {
                cx.error(
                    "exhibit-size",
                    n.span.clone(),
                    format!("{} results, more than {MAX_POINTS}", v.len()),
                    "too many to read",
                );
                return None;
            }
            Some(v)
        });
    let rules = match s.optional("rules") {
        Some(n) => cx.string_list(n).and_then(|names| {
            let mut out = Vec::new();
            let mut ok = true;
            for (name, span) in names {
                match WestgardRule::from_name(&name) {
                    Some(r) => out.push(r),
                    None => {
                        let hint = match suggest(&name, WestgardRule::NAMES) {
                            Some(s) => format!("did you mean \"{s}\"?"),
                            None => format!("the rules are: {}", WestgardRule::NAMES.join(", ")),
                        };
                        cx.push(
                            Diagnostic::error(
                                "exhibit-rule",
                                cx.file,
                                format!("unknown Westgard rule \"{name}\""),
                            )
                            .at(span, "not a rule labcert knows")
                            .hint(hint),
                        );
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        }),
        None => Some(Vec::new()),
    };
    Some(QcChart {
        title: title?,
        unit: unit?,
        mean: mean?,
        sd: sd?,
        points: points?,
        rules: rules?,
    })
}

// ---- Electrophoresis -----------------------------------------------------------------

fn electrophoresis(cx: &mut Cx, s: &mut StructView) -> Option<Electrophoresis> {
    let title = s
        .required(cx, "title", "\"Serum protein electrophoresis\"")
        .and_then(|n| cx.text(n, "title"));
    let method = s
        .required(cx, "method", "Serum")
        .and_then(|n| variant(cx, n, "method", &Method::NAMES))
        .and_then(Method::from_name);
    let fractions_node = s.required(cx, "fractions", "[(name: \"albumin\", percent: 60.0), ...]");
    let fractions = match (fractions_node, method) {
        (Some(n), Some(m)) => fractions(cx, n, m),
        _ => None,
    };
    let total_protein = s
        .optional("total_protein")
        .and_then(|n| positive(cx, n, "total protein"));
    if let (Some(tp), Some(n)) = (total_protein, s.optional("total_protein"))
        && !(1.0..=20.0).contains(&tp)
    {
        cx.error(
            "exhibit-range",
            n.span.clone(),
            format!("a total protein of {tp} g/dL is not plausible"),
            "expected g/dL, between 1 and 20",
        );
    }
    if let (Some(m), Some(n)) = (method, s.optional("total_protein"))
        && m != Method::Serum
    {
        cx.error(
            "exhibit-range",
            n.span.clone(),
            "total protein belongs to a serum protein scan",
            "remove it, or use `method: Serum`",
        );
    }
    Some(Electrophoresis {
        title: title?,
        method: method?,
        fractions: fractions?,
        total_protein,
    })
}

fn fractions(cx: &mut Cx, node: &Node, method: Method) -> Option<Vec<Fraction>> {
    let list = cx.list(
        node,
        Some("`fractions` is a list: [(name: \"albumin\", percent: 60.0), ...]"),
    )?;
    if list.is_empty() {
        cx.error(
            "exhibit-empty",
            node.span.clone(),
            "the scan has no fractions",
            "an empty list",
        );
        return None;
    }
    if list.len() > MAX_FRACTIONS {
        cx.error(
            "exhibit-size",
            node.span.clone(),
            format!("{} fractions, more than {MAX_FRACTIONS}", list.len()),
            "too many",
        );
        return None;
    }
    let mut out = Vec::with_capacity(list.len());
    let mut ok = true;
    for f in list {
        let Some(mut s) = cx.structure(f, "Fraction", "a fraction") else {
            ok = false;
            continue;
        };
        let before = cx.errors();
        let name_node = s.required(cx, "name", "\"albumin\"");
        let name = name_node.and_then(|n| cx.text(n, "name"));
        let percent = s.required(cx, "percent", "60.0").and_then(|n| {
            let v = cx.number(n)?;
            if !(0.0..=100.0).contains(&v) {
                cx.error(
                    "exhibit-range",
                    n.span.clone(),
                    format!("{v}% is not a share of the total"),
                    "must be 0 to 100",
                );
                return None;
            }
            Some(v)
        });
        let shape = match s.optional("shape") {
            Some(n) => variant(cx, n, "shape", &Shape::NAMES).and_then(Shape::from_name),
            None => Some(Shape::Normal),
        };
        let position = match s.optional("position") {
            Some(n) => cx.number(n).and_then(|v| {
                if (0.0..=1.0).contains(&v) {
                    Some(v)
                } else {
                    cx.error(
                        "exhibit-range",
                        n.span.clone(),
                        format!("position {v} is off the lane"),
                        "must be 0.0 (left end) to 1.0 (right end)",
                    );
                    None
                }
            }),
            None => match (&name, name_node) {
                (Some(name), Some(n)) => {
                    let p = method.position_of(name);
                    if p.is_none() {
                        let known: &[&str] = match method {
                            Method::Serum => &[
                                "prealbumin",
                                "albumin",
                                "alpha-1",
                                "alpha-2",
                                "beta",
                                "beta-1",
                                "beta-2",
                                "gamma",
                            ],
                            Method::HemoglobinAlkaline => &[
                                "C", "A2", "E", "O-Arab", "S", "D", "G", "F", "A", "Bart's", "H",
                            ],
                            Method::HemoglobinAcid => &["C", "S", "A", "A2", "D", "E", "G", "F"],
                        };
                        cx.push(
                            Diagnostic::error(
                                "exhibit-position",
                                cx.file,
                                format!("{method:?} electrophoresis does not place \"{name}\""),
                            )
                            .at(n.span.clone(), "no known position")
                            .hint(format!(
                                "give `position: 0.0-1.0` along the lane, or use a name it places: {}",
                                known.join(", ")
                            )),
                        );
                    }
                    p
                }
                _ => None,
            },
        };
        s.finish(cx, &["name", "percent", "shape", "position"]);
        if cx.errors() > before {
            ok = false;
            continue;
        }
        if let (Some(name), Some(percent), Some(shape), Some(position)) =
            (name, percent, shape, position)
        {
            out.push(Fraction {
                name,
                percent,
                shape,
                position,
            });
        }
    }
    if !ok {
        return None;
    }
    let sum: f64 = out.iter().map(|f| f.percent).sum();
    if (sum - 100.0).abs() > 1.0 {
        let d = Diagnostic::error(
            "exhibit-sum",
            cx.file,
            format!("the fractions add up to {sum:.1}%, not 100%"),
        )
        .at(node.span.clone(), format!("{sum:.1}% in all"))
        .hint("each fraction is a percent of the whole scan; they must add up to 100 (within 1)");
        cx.push(d);
        return None;
    }
    Some(out)
}

// ---- Histogram -----------------------------------------------------------------------

fn histogram(cx: &mut Cx, s: &mut StructView) -> Option<Histogram> {
    let title = s
        .required(cx, "title", "\"RBC volume histogram\"")
        .and_then(|n| cx.text(n, "title"));
    let x_label = s
        .required(cx, "x_label", "\"fL\"")
        .and_then(|n| cx.text(n, "x_label"));
    let range = s
        .required(cx, "range", "(0.0, 250.0)")
        .and_then(|n| range(cx, n));
    let populations = s.optional("populations");
    let bins = s.optional("bins");
    let data = match (populations, bins) {
        (Some(p), None) => populations_of(cx, p, range).map(HistogramData::Populations),
        (None, Some(b)) => {
            let v = numbers(cx, b);
            v.and_then(|v| {
                if v.len() < 4 || v.len() > MAX_BINS {
                    cx.error(
                        "exhibit-size",
                        b.span.clone(),
                        format!("{} bins; a histogram needs 4 to {MAX_BINS}", v.len()),
                        "wrong number of bins",
                    );
                    None
                } else if v.iter().any(|&x| x < 0.0) {
                    cx.error(
                        "exhibit-range",
                        b.span.clone(),
                        "a bin count is negative",
                        "counts are 0 or more",
                    );
                    None
                } else if v.iter().all(|&x| x == 0.0) {
                    cx.error(
                        "exhibit-empty",
                        b.span.clone(),
                        "every bin is empty",
                        "nothing to draw",
                    );
                    None
                } else {
                    Some(HistogramData::Bins(v))
                }
            })
        }
        (Some(p), Some(_)) => {
            cx.error(
                "exhibit-data",
                p.span.clone(),
                "the histogram gives both `populations` and `bins`",
                "one of the two",
            );
            None
        }
        (None, None) => {
            cx.push(
                Diagnostic::error(
                    "exhibit-data",
                    cx.file,
                    "the histogram gives neither `populations` nor `bins`",
                )
                .at(s.head.clone(), "nothing to draw")
                .hint("add `populations: [(center: 90.0, sd: 12.0, share: 1.0)]` or `bins: [counts...]`"),
            );
            None
        }
    };
    let markers = match s.optional("markers") {
        Some(n) => markers(cx, n, range),
        None => Some(Vec::new()),
    };
    let flags = match s.optional("flags") {
        Some(n) => cx
            .string_list(n)
            .map(|v| v.into_iter().map(|(t, _)| t).collect()),
        None => Some(Vec::new()),
    };
    Some(Histogram {
        title: title?,
        x_label: x_label?,
        range: range?,
        data: data?,
        markers: markers?,
        flags: flags?,
    })
}

fn populations_of(cx: &mut Cx, node: &Node, range: Option<(f64, f64)>) -> Option<Vec<Population>> {
    let list = cx.list(
        node,
        Some("`populations` is a list: [(center: 90.0, sd: 12.0, share: 1.0)]"),
    )?;
    if list.is_empty() || list.len() > MAX_CLOUDS {
        cx.error(
            "exhibit-size",
            node.span.clone(),
            format!("{} populations; give 1 to {MAX_CLOUDS}", list.len()),
            "wrong number of populations",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for p in list {
        let Some(mut s) = cx.structure(p, "Population", "a population") else {
            ok = false;
            continue;
        };
        let center_node = s.required(cx, "center", "90.0");
        let center = center_node.and_then(|n| cx.number(n));
        let sd = s
            .required(cx, "sd", "12.0")
            .and_then(|n| positive(cx, n, "the SD"));
        let share = s
            .required(cx, "share", "1.0")
            .and_then(|n| positive(cx, n, "the share"));
        s.finish(cx, &["center", "sd", "share"]);
        if let (Some(c), Some(n), Some((lo, hi))) = (center, center_node, range)
            && !(lo..=hi).contains(&c)
        {
            cx.error(
                "exhibit-range",
                n.span.clone(),
                format!("centre {c} is outside the histogram's range {lo}-{hi}"),
                "off the chart",
            );
            ok = false;
        }
        match (center, sd, share) {
            (Some(center), Some(sd), Some(share)) => out.push(Population { center, sd, share }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn markers(cx: &mut Cx, node: &Node, range: Option<(f64, f64)>) -> Option<Vec<Marker>> {
    let list = cx.list(
        node,
        Some("`markers` is a list: [(at: 36.0, label: \"LD\")]"),
    )?;
    let mut out = Vec::new();
    let mut ok = true;
    for m in list {
        let Some(mut s) = cx.structure(m, "Marker", "a marker") else {
            ok = false;
            continue;
        };
        let at_node = s.required(cx, "at", "36.0");
        let at = at_node.and_then(|n| cx.number(n));
        let label = s
            .required(cx, "label", "\"LD\"")
            .and_then(|n| cx.text(n, "label"));
        s.finish(cx, &["at", "label"]);
        if let (Some(a), Some(n), Some((lo, hi))) = (at, at_node, range)
            && !(lo..=hi).contains(&a)
        {
            cx.error(
                "exhibit-range",
                n.span.clone(),
                format!("marker at {a} is outside the histogram's range {lo}-{hi}"),
                "off the chart",
            );
            ok = false;
        }
        match (at, label) {
            (Some(at), Some(label)) => out.push(Marker { at, label }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

// ---- Scatter -------------------------------------------------------------------------

fn scatter(cx: &mut Cx, s: &mut StructView) -> Option<Scatter> {
    let title = s
        .required(cx, "title", "\"CD45 / side scatter\"")
        .and_then(|n| cx.text(n, "title"));
    let x_label = s
        .required(cx, "x_label", "\"CD45\"")
        .and_then(|n| cx.text(n, "x_label"));
    let y_label = s
        .required(cx, "y_label", "\"SSC\"")
        .and_then(|n| cx.text(n, "y_label"));
    let x_range = s
        .required(cx, "x_range", "(0.0, 4.0)")
        .and_then(|n| range(cx, n));
    let y_range = s
        .required(cx, "y_range", "(0.0, 1000.0)")
        .and_then(|n| range(cx, n));
    let populations = s
        .required(
            cx,
            "populations",
            "[(label: \"Lymphocytes\", x: 3.4, y: 90.0, x_sd: 0.1, y_sd: 20.0, share: 1.0)]",
        )
        .and_then(|n| clouds(cx, n, x_range, y_range));
    let quadrants = match s.optional("quadrants") {
        Some(n) => {
            let q = cx
                .structure(n, "Gate", "the quadrant gate")
                .and_then(|mut g| {
                    let x = g.required(cx, "x", "2.0").and_then(|n| cx.number(n));
                    let y = g.required(cx, "y", "500.0").and_then(|n| cx.number(n));
                    g.finish(cx, &["x", "y"]);
                    Some((x?, y?))
                });
            if let (Some((x, y)), Some((xl, xh)), Some((yl, yh))) = (q, x_range, y_range)
                && (!(xl..=xh).contains(&x) || !(yl..=yh).contains(&y))
            {
                cx.error(
                    "exhibit-range",
                    n.span.clone(),
                    "the quadrant gate is outside the plot",
                    "x and y must lie within x_range and y_range",
                );
                None
            } else {
                q.map(Some)
            }
        }
        None => Some(None),
    };
    Some(Scatter {
        title: title?,
        x_label: x_label?,
        y_label: y_label?,
        x_range: x_range?,
        y_range: y_range?,
        populations: populations?,
        quadrants: quadrants?,
    })
}

fn clouds(
    cx: &mut Cx,
    node: &Node,
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
) -> Option<Vec<Cloud>> {
    let list = cx.list(node, Some("`populations` is a list of clouds"))?;
    if list.is_empty() || list.len() > MAX_CLOUDS {
        cx.error(
            "exhibit-size",
            node.span.clone(),
            format!("{} populations; give 1 to {MAX_CLOUDS}", list.len()),
            "wrong number of populations",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for c in list {
        let Some(mut s) = cx.structure(c, "Cloud", "a population") else {
            ok = false;
            continue;
        };
        let label = s
            .required(cx, "label", "\"Lymphocytes\"")
            .and_then(|n| cx.string(n, None));
        let x_node = s.required(cx, "x", "3.4");
        let x = x_node.and_then(|n| cx.number(n));
        let y_node = s.required(cx, "y", "90.0");
        let y = y_node.and_then(|n| cx.number(n));
        let x_sd = s
            .required(cx, "x_sd", "0.1")
            .and_then(|n| positive(cx, n, "x_sd"));
        let y_sd = s
            .required(cx, "y_sd", "20.0")
            .and_then(|n| positive(cx, n, "y_sd"));
        let share = s
            .required(cx, "share", "1.0")
            .and_then(|n| positive(cx, n, "the share"));
        s.finish(cx, &["label", "x", "y", "x_sd", "y_sd", "share"]);
        for (v, n, r, axis) in [(x, x_node, x_range, "x"), (y, y_node, y_range, "y")] {
            if let (Some(v), Some(n), Some((lo, hi))) = (v, n, r)
                && !(lo..=hi).contains(&v)
            {
                cx.error(
                    "exhibit-range",
                    n.span.clone(),
                    format!("the cloud's centre {axis} = {v} is outside {axis}_range {lo}-{hi}"),
                    "off the plot",
                );
                ok = false;
            }
        }
        match (label, x, y, x_sd, y_sd, share) {
            (Some(label), Some(x), Some(y), Some(x_sd), Some(y_sd), Some(share)) => {
                out.push(Cloud {
                    label,
                    x,
                    y,
                    x_sd,
                    y_sd,
                    share,
                })
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

// ---- shared --------------------------------------------------------------------------

fn numbers(cx: &mut Cx, node: &Node) -> Option<Vec<f64>> {
    let list = cx.list(node, Some("write a list of numbers: [1.0, 2.5, ...]"))?;
    let before = cx.errors();
    let v: Vec<f64> = list.iter().filter_map(|n| cx.number(n)).collect();
    (cx.errors() == before).then_some(v)
}

fn positive(cx: &mut Cx, node: &Node, what: &str) -> Option<f64> {
    let v = cx.number(node)?;
    if v > 0.0 {
        Some(v)
    } else {
        cx.error(
            "exhibit-range",
            node.span.clone(),
            format!("{what} must be above zero, found {v}"),
            "must be positive",
        );
        None
    }
}

/// `(low, high)` with low < high.
fn range(cx: &mut Cx, node: &Node) -> Option<(f64, f64)> {
    let items = match &node.kind {
        NodeKind::Tuple { name: None, items } | NodeKind::List(items) if items.len() == 2 => items,
        _ => {
            cx.wrong_type(
                node,
                "a range `(low, high)`",
                Some("write two numbers: (0.0, 250.0)"),
            );
            return None;
        }
    };
    let lo = cx.number(&items[0]);
    let hi = cx.number(&items[1]);
    let (lo, hi) = (lo?, hi?);
    if lo >= hi {
        cx.error(
            "exhibit-range",
            node.span.clone(),
            format!("the range {lo} to {hi} is empty"),
            "the first number must be below the second",
        );
        return None;
    }
    Some((lo, hi))
}

/// A unit variant such as `Serum`, also accepted as a string.
fn variant<'a>(cx: &mut Cx, node: &Node, field: &str, names: &[&'a str]) -> Option<&'a str> {
    let (given, span): (String, Span) = match &node.kind {
        NodeKind::Unit { name: Some(n) } => (n.name.to_string(), n.span.clone()),
        NodeKind::Str(s) => (s.to_string(), node.span.clone()),
        _ => {
            cx.wrong_type(node, &format!("one of {}", names.join(", ")), None);
            return None;
        }
    };
    if let Some(found) = names.iter().find(|n| **n == given) {
        return Some(found);
    }
    let hint = match suggest(&given, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the choices are: {}", names.join(", ")),
    };
    cx.push(
        Diagnostic::error(
            "exhibit-value",
            cx.file,
            format!("unknown {field} `{given}`"),
        )
        .at(span, format!("not a {field}"))
        .hint(hint),
    );
    None
}
