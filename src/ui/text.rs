//! Plain-text formatting for an 80-column terminal: word wrapping and durations.

use std::time::Duration;

/// Wraps `text` to `width` columns, indenting every line with `indent`. Words longer than
/// a line are left whole. Existing line breaks are kept.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let room = width.saturating_sub(indent.chars().count()).max(10);
    for (k, para) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
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

/// Reads a duration: `90s`, `2m`, `1h30m`, `150` (minutes), or `h:mm:ss` / `m:ss`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("\"{text}\" is not a duration; write e.g. 90s, 45m, 2h30m or 1:30:00");
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let mut secs = 0u64;
        for p in parts {
            let v: u64 = p.parse().map_err(|_| bad())?;
            secs = secs * 60 + v;
        }
        return Ok(Duration::from_secs(secs));
    }
    if let Ok(minutes) = t.parse::<f64>() {
        return if minutes > 0.0 && minutes.is_finite() {
            Ok(Duration::from_secs_f64(minutes * 60.0))
        } else {
            Err(bad())
        };
    }
    let mut total = 0.0;
    let mut number = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let v: f64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total += v * match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return Err(bad()),
        };
    }
    if !number.is_empty() || total <= 0.0 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(parse_duration("0:05"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("150"), Ok(Duration::from_secs(9000)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5x").is_err());
        assert_eq!(clock(Duration::from_secs(9000)), "2:30:00");
        assert_eq!(clock(Duration::from_secs(65)), "1:05");
    }
}
