//! PostgreSQL COPY text encoding of catalogue rows.

use super::catalog::{CategoryRow, ProductRow};

pub const CATEGORIES_COPY: &str = "COPY categories (id, name, parent_id) FROM STDIN";
pub const PRODUCTS_COPY: &str = "COPY products (id, sku, name, description, brand, category_id, price_cents, stock, created_at) FROM STDIN";

pub fn category_line(row: &CategoryRow, out: &mut Vec<u8>) {
    let parent = row.parent_id.map_or_else(|| "\\N".to_string(), |p| p.to_string());
    out.extend_from_slice(format!("{}\t{}\t{parent}\n", row.id, escape(&row.name)).as_bytes());
}

pub fn product_line(row: &ProductRow, out: &mut Vec<u8>) {
    let line = format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        row.id,
        escape(&row.sku),
        escape(&row.name),
        escape(&row.description),
        escape(&row.brand),
        row.category_id,
        row.price_cents,
        row.stock,
        utc_timestamp(row.created_at_epoch_s),
    );
    out.extend_from_slice(line.as_bytes());
}

/// Escapes the characters COPY's text format gives meaning to.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// `YYYY-MM-DD HH:MM:SS+00` for epoch seconds (UTC, proleptic Gregorian).
pub fn utc_timestamp(epoch_s: u64) -> String {
    let (days, secs) = ((epoch_s / 86_400) as i64, epoch_s % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}+00", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The current time as `YYYY-MM-DD HH:MM:SS+00`.
pub fn utc_now() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    utc_timestamp(now.as_secs())
}

/// Days since 1970-01-01 to (year, month, day) — Howard Hinnant's civil calendar algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(utc_timestamp(0), "1970-01-01 00:00:00+00");
        assert_eq!(utc_timestamp(1_704_067_200), "2024-01-01 00:00:00+00");
        assert_eq!(utc_timestamp(1_709_210_096), "2024-02-29 12:34:56+00");
    }

    #[test]
    fn special_characters_are_escaped_for_copy() {
        assert_eq!(escape("a\tb\\c\nd"), "a\\tb\\\\c\\nd");
    }

    #[test]
    fn a_category_without_parent_writes_null() {
        let mut out = Vec::new();
        category_line(&CategoryRow { id: 3, name: "Toys".into(), parent_id: None }, &mut out);
        assert_eq!(out, b"3\tToys\t\\N\n");
    }
}
