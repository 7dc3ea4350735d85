//! Plain-text formatting for an 80-column terminal: word wrapping and durations.

use std::time::Duration;

/// Wraps `text` to `width` columns, indenting every line with `indent`. Words longer than
/// a line are left whole. Existing line breaks are kept.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    wrap_hanging(text, width, indent, indent)
}

/// Wraps like [`wrap`], but the first line of each paragraph starts with `first` and the
/// lines after it with `rest`: a lettered choice ("  A. ...") keeps its continuation lines
/// under its text rather than under its letter.
pub fn wrap_hanging(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (k, para) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let mut indent = first;
        let mut room = width.saturating_sub(indent.chars().count()).max(10);
        let mut line = String::new();
        let mut len = 0;
        for word in para.split_whitespace() {
            let w = word.chars().count();
            if len > 0 && len + 1 + w > room {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
                len = 0;
                indent = rest;
                room = width.saturating_sub(indent.chars().count()).max(10);
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            line.push_str(word);
            len += w;
        }
        out.push_str(indent);
        out.push_str(&line);
    }
    out
}

/// `text` on one line (each run of whitespace one space), cut to at most `max`
/// characters with an ellipsis when it is longer.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let room = max.saturating_sub(1);
    let mut cut: String = one_line.chars().take(room).collect();
    // End on a whole word when that keeps most of the room.
    let mid_word = one_line.chars().nth(room).is_some_and(|c| c != ' ');
    if let Some(space) = cut.rfind(' ')
        && mid_word
        && cut[..space].chars().count() > room / 2
    {
        cut.truncate(space);
    }
    cut.truncate(cut.trim_end().len());
    if max > 0 {
        cut.push('…');
    }
    cut
}

/// How the candidate started labcert, for hints such as "Continue with: ... exam
/// --resume": `cargo run --release --` when cargo ran this binary from its target folder
/// (the README's first command), else `labcert`.
pub fn invocation() -> String {
    let via_cargo = std::env::var_os("CARGO").is_some();
    let exe = std::env::current_exe().ok();
    let profile = exe
        .as_deref()
        .and_then(std::path::Path::parent)
        .and_then(|dir| dir.file_name())
        .and_then(|name| name.to_str().map(str::to_owned));
    match (via_cargo, profile.as_deref()) {
        (true, Some("release")) => "cargo run --release --".to_string(),
        (true, Some("debug")) => "cargo run --".to_string(),
        _ => "labcert".to_string(),
    }
}

/// "1 item", "3 items".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `h:mm:ss`, or `m:ss` under an hour.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The shortest time limit an exam may be given.
pub const MIN_TIME_LIMIT: Duration = Duration::from_secs(1);
/// The longest time limit an exam may be given (the longest real exam is 3.5 hours).
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// Reads a time limit: `90s`, `2m`, `1h30m`, `2h 30m`, `1:30:00`, or a bare number of
/// minutes (`150`), through jiff's duration formats; between [`MIN_TIME_LIMIT`] and
/// [`MAX_TIME_LIMIT`].
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("\"{text}\" is not a duration; write e.g. 90s, 45m, 2h30m or 1:30:00");
    let parsed: jiff::SignedDuration = match t.parse::<f64>() {
        Ok(minutes) if minutes.is_finite() && minutes.abs() <= 1e9 => {
            jiff::SignedDuration::try_from_secs_f64(minutes * 60.0).map_err(|_| bad())?
        }
        Ok(_) => return Err(bad()),
        Err(_) => t.parse().map_err(|_| bad())?,
    };
    let in_range = Duration::try_from(parsed)
        .ok()
        .filter(|d| (MIN_TIME_LIMIT..=MAX_TIME_LIMIT).contains(d));
    in_range.ok_or_else(|| {
        format!("the time limit must be from 1 second to 24 hours; \"{text}\" is not")
    })
}

/// A stored number of seconds as a duration, whatever was stored: negative, NaN or
/// absurdly large values (from an old or damaged database) are brought into range
/// rather than trusted.
pub fn stored_seconds(seconds: f64) -> Duration {
    if seconds.is_nan() || seconds <= 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f64(seconds.min(1e9)).unwrap_or(Duration::ZERO)
}

/// A stored time limit, kept within the limits `--time-limit` allows.
pub fn stored_time_limit(seconds: f64) -> Duration {
    stored_seconds(seconds).clamp(MIN_TIME_LIMIT, MAX_TIME_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_fits_with_an_ellipsis() {
        let table = [
            ("Which cell?", 20, "Which cell?"),
            ("Which  red\ncell index?", 30, "Which red cell index?"),
            ("Which red cell index is low?", 12, "Which red…"),
            ("Which red cell index is low?", 11, "Which red…"),
            ("abc", 1, "…"),
            ("abc", 0, ""),
        ];
        for (text, max, expected) in table {
            let got = shorten(text, max);
            assert_eq!(got, expected, "{text:?} in {max}");
            assert!(got.chars().count() <= max);
        }
    }

    #[test]
    fn hanging_wrap_keeps_continuations_under_the_text() {
        let s = wrap_hanging("A. one two three four five", 16, "  ", "     ");
        assert_eq!(s, "  A. one two\n     three four\n     five");
    }

    #[test]
    fn wraps_at_the_width_with_indent() {
        let w = wrap("the quick brown fox jumps over the lazy dog", 20, "  ");
        for line in w.lines() {
            assert!(
                line.chars().count() <= 20 || !line.trim().contains(' '),
                "{line:?}"
            );
            assert!(line.starts_with("  "));
        }
        assert_eq!(w.split_whitespace().count(), 9);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h30m"), Ok(Duration::from_secs(9000)));
        assert_eq!(parse_duration("1:30:00"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0:00:05"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2h 30m"), Ok(Duration::from_secs(9000)));
        assert_eq!(parse_duration("150"), Ok(Duration::from_secs(9000)));
        assert_eq!(parse_duration("24h"), Ok(MAX_TIME_LIMIT));
        for bad in [
            "soon",
            "5x",
            "",
            "-5m",
            "1e300",
            "9223372036854775000s",
            "25h",
            "0s",
            "0:0:0",
            "0",
            "NaN",
            "inf",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert!(
            parse_duration("0s")
                .unwrap_err()
                .contains("1 second to 24 hours")
        );
        assert_eq!(
            parse_duration("0s"),
            parse_duration("0:0:0").map_err(|e| e.replace("0:0:0", "0s"))
        );
        assert_eq!(stored_time_limit(9.2e18), MAX_TIME_LIMIT);
        assert_eq!(stored_time_limit(f64::NAN), MIN_TIME_LIMIT);
        assert_eq!(stored_seconds(-4.0), Duration::ZERO);
        assert_eq!(
            stored_seconds(f64::INFINITY),
            Duration::try_from_secs_f64(1e9).unwrap()
        );
        assert_eq!(clock(Duration::from_secs(9000)), "2:30:00");
        assert_eq!(clock(Duration::from_secs(65)), "1:05");
    }
}
