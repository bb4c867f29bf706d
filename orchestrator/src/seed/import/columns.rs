//! A CSV header: which column holds what, and how errors name a column.

use std::collections::HashMap;

use super::ImportError;

/// The columns of a CSV file, found by header name.
pub struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    /// The header's columns; an error naming what is missing when `required` are not all there.
    pub fn new(file: &str, format: &str, header: csv::StringRecord, required: &[&str]) -> Result<Columns, ImportError> {
        let index: HashMap<String, usize> = header.iter().enumerate().map(|(i, h)| (h.trim().to_string(), i)).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|c| !index.contains_key(*c)).collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                file: file.into(),
                format: format.into(),
                missing: missing.join(", "),
                found: header.iter().collect::<Vec<_>>().join(", "),
            });
        }
        Ok(Columns { index })
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The value of column `name` in `record` ("" when the column or the value is absent).
    pub fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index.get(name).and_then(|&i| record.get(i)).unwrap_or("")
    }

    /// `column 21 (Variant Price)`: how errors name the column.
    pub fn label(&self, name: &str) -> String {
        match self.index.get(name) {
            Some(i) => format!("column {} ({name})", i + 1),
            None => format!("column {name}"),
        }
    }
}
