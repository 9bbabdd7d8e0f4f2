//! Numbers as the reports and the policy's messages write them.

/// Points as text: whole numbers without decimals, others rounded to two (as in JSON).
pub fn points_text(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 {
        "0".to_owned()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let text = format!("{rounded:.2}");
        text.trim_end_matches('0').to_owned()
    }
}

/// 700000000 → 700,000,000
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_compact() {
        assert_eq!(points_text(25.0), "25");
        assert_eq!(points_text(12.5), "12.5");
        assert_eq!(points_text(1.0 / 3.0), "0.33");
        assert_eq!(points_text(-0.0), "0");
        assert_eq!(group_digits(700_000_000), "700,000,000");
        assert_eq!(group_digits(-1234), "-1,234");
    }
}
