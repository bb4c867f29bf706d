//! The survey at the end of a session: ease and confidence from 1 to 5, what helped, what got in
//! the way, and free text — asked in the terminal, or read from an answers file for scripted use.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One developer's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// How easy the change was: 1 (very hard) to 5 (very easy).
    pub ease: u8,
    /// How sure the developer is the change is right: 1 (not at all) to 5 (fully).
    pub confidence: u8,
    #[serde(default)]
    pub helped: String,
    #[serde(default)]
    pub got_in_the_way: String,
    #[serde(default)]
    pub comments: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("cannot read the answers file {path}: {message}\n  it holds YAML or JSON: ease: 1-5, confidence: 1-5, helped, got_in_the_way, comments")]
    File { path: PathBuf, message: String },
    #[error("{field} is {value} in {path}: give a whole number from 1 to 5")]
    Range { path: PathBuf, field: &'static str, value: u8 },
    #[error("the survey was left ({0}); the session keeps everything else")]
    Left(String),
}

impl Survey {
    /// Reads and checks an answers file (YAML or JSON).
    pub fn from_file(path: &Path) -> Result<Survey, SurveyError> {
        let failed = |message: String| SurveyError::File { path: path.to_path_buf(), message };
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        let survey: Survey = serde_saphyr::from_str(&text).map_err(|e| failed(e.to_string()))?;
        for (field, value) in [("ease", survey.ease), ("confidence", survey.confidence)] {
            if !(1..=5).contains(&value) {
                return Err(SurveyError::Range { path: path.to_path_buf(), field, value });
            }
        }
        Ok(survey)
    }

    /// Asks in the terminal.
    pub fn ask() -> Result<Survey, SurveyError> {
        use dialoguer::{Input, Select};
        let left = |e: dialoguer::Error| SurveyError::Left(e.to_string());
        let scale = |prompt: &str, low: &str, high: &str| -> Result<u8, SurveyError> {
            let items = [format!("1 {low}"), "2".into(), "3".into(), "4".into(), format!("5 {high}")];
            Ok(Select::new().with_prompt(prompt).items(&items).default(2).interact().map_err(left)? as u8 + 1)
        };
        let text = |prompt: &str| -> Result<String, SurveyError> { Input::<String>::new().with_prompt(prompt).allow_empty(true).interact_text().map_err(left) };
        Ok(Survey {
            ease: scale("How easy was the change?", "very hard", "very easy")?,
            confidence: scale("How sure are you that it is right?", "not at all", "fully")?,
            helped: text("What helped?")?,
            got_in_the_way: text("What got in the way?")?,
            comments: text("Anything else?")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answers_file_is_read_and_a_score_outside_one_to_five_is_refused_by_name() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "ease: 4\nconfidence: 5\nhelped: the router docs\n").unwrap();
        let survey = Survey::from_file(file.path()).unwrap();
        assert_eq!((survey.ease, survey.confidence, survey.helped.as_str(), survey.comments.as_str()), (4, 5, "the router docs", ""));
        std::fs::write(file.path(), "ease: 0\nconfidence: 5\n").unwrap();
        let error = Survey::from_file(file.path()).unwrap_err().to_string();
        assert!(error.contains("ease is 0") && error.contains("1 to 5"), "{error}");
        std::fs::write(file.path(), "ease: 3\nconfidnce: 5\n").unwrap();
        assert!(Survey::from_file(file.path()).unwrap_err().to_string().contains("confidnce"));
    }
}
