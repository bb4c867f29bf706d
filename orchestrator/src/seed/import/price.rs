//! Exact decimal strings to whole numbers: prices to cents ("19.99" → 1999) and stock counts,
//! without floating point.

/// Highest price a product may have, in cents (`integer` in PostgreSQL).
pub const MAX_PRICE_CENTS: i64 = i32::MAX as i64;
/// Highest stock a product may have (`integer` in PostgreSQL).
pub const MAX_STOCK: i64 = i32::MAX as i64;

/// What a price must look like, for error messages.
pub const PRICE_EXPECTED: &str = "a price above 0 like 19.99 (digits, at most 2 decimals, at most 21474836.47)";
/// What a stock count must look like, for error messages.
pub const STOCK_EXPECTED: &str = "a whole number of items from 0 to 2147483647";

/// Cents of a decimal price: digits, optionally `.` and one or two more digits. Refuses signs,
/// exponents, more than two decimals, zero and anything above [`MAX_PRICE_CENTS`].
pub fn cents(text: &str) -> Option<u32> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 || (text.contains('.') && fraction.is_empty()) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 10 {
        return None;
    }
    let mut value: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    value *= 100;
    let padded = format!("{fraction:0<2}");
    value += padded.parse::<i64>().ok()?;
    (1..=MAX_PRICE_CENTS).contains(&value).then_some(value as u32)
}

/// A stock count: a whole number from 0 to [`MAX_STOCK`] (`"12"`, and `"12.0"` as spreadsheets write it).
pub fn stock(text: &str) -> Option<u32> {
    let text = text.trim();
    let whole = text.strip_suffix(".0").unwrap_or(text);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.trim_start_matches('0').len() > 10 {
        return None;
    }
    let value: i64 = whole.parse().ok()?;
    (0..=MAX_STOCK).contains(&value).then_some(value as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_become_exact_cents() {
        assert_eq!(cents("19.99"), Some(1999));
        assert_eq!(cents("0.29"), Some(29));
        assert_eq!(cents("1.1"), Some(110));
        assert_eq!(cents("7"), Some(700));
        assert_eq!(cents(" 12.30 "), Some(1230));
        assert_eq!(cents("0.01"), Some(1));
        assert_eq!(cents("21474836.47"), Some(2_147_483_647));
        assert_eq!(cents("00042.50"), Some(4250));
    }

    #[test]
    fn prices_with_more_than_two_decimals_signs_zero_or_too_large_are_refused() {
        for bad in ["19.999", "-1.00", "+1", "0", "0.00", "21474836.48", "1e3", "1,99", "", ".5", "5.", "abc", "99999999999999999999"] {
            assert_eq!(cents(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn stock_is_a_whole_number_from_zero() {
        assert_eq!(stock("0"), Some(0));
        assert_eq!(stock("12"), Some(12));
        assert_eq!(stock("12.0"), Some(12));
        for bad in ["-3", "1.5", "", "many", "2147483648"] {
            assert_eq!(stock(bad), None, "{bad:?}");
        }
    }
}
