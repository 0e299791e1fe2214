//! Durations as authors write them: `45s`, `10m`, `1h30m`, `2d`.

/// Seconds in a duration written as digits-and-unit parts in the order d, h, m, s, each at
/// most once; `None` for anything else, including zero.
pub fn parse_duration(text: &str) -> Option<u64> {
    const UNITS: [(char, u64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    let mut rest = text;
    let mut total: u64 = 0;
    let mut next_unit = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let amount: u64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let position = UNITS[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        total = total.checked_add(amount.checked_mul(UNITS[position].1)?)?;
        next_unit = position + 1;
        rest = &rest[digits + unit.len_utf8()..];
    }
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_table() {
        for (text, want) in [
            ("10m", Some(600)),
            ("1h30m", Some(5400)),
            ("2d", Some(172_800)),
            ("45s", Some(45)),
            ("1d2h3m4s", Some(93_784)),
            ("", None),
            ("0m", None),
            ("10", None),
            ("m", None),
            ("30m1h", None),
            ("1h1h", None),
            ("10 m", None),
            ("1w", None),
            ("99999999999999999999d", None),
        ] {
            assert_eq!(parse_duration(text), want, "{text:?}");
        }
    }
}
