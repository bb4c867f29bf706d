//! The labels bakeoff puts on everything it creates, and the filters that find them again.

use std::collections::HashMap;

/// Every container, network, volume and image bakeoff creates carries this label.
pub const MANAGED_BY: &str = "bakeoff.managed-by";
/// The value of [`MANAGED_BY`].
pub const MANAGER: &str = "bakeoff";
/// The id of the command invocation (session) that created the object.
pub const RUN_ID: &str = "bakeoff.run-id";
/// The kebab-case id of the app (or `postgres`) a container belongs to.
pub const APP: &str = "bakeoff.app";

/// Labels for an object created by session `run_id` for `app`.
pub fn for_object(run_id: &str, app: &str) -> HashMap<String, String> {
    HashMap::from([(MANAGED_BY.to_string(), MANAGER.to_string()), (RUN_ID.to_string(), run_id.to_string()), (APP.to_string(), app.to_string())])
}

/// Labels for an image built by session `run_id` for `app` only to be measured and removed (a
/// check build): the run id, so clean-up finds it, but never [`MANAGED_BY`], which only the
/// containers bakeoff starts may carry (a container inherits its image's labels).
pub fn for_image(run_id: &str, app: &str) -> HashMap<String, String> {
    HashMap::from([(RUN_ID.to_string(), run_id.to_string()), (APP.to_string(), app.to_string())])
}

/// Which labelled objects a clean-up removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything bakeoff ever created on this engine (`bakeoff down`).
    All,
    /// Only what one session created (clean-up on failure, Ctrl-C or completion).
    Run(String),
}

impl Scope {
    /// The engine's label filter for this scope.
    pub fn filters(&self) -> HashMap<String, Vec<String>> {
        let label = match self {
            Scope::All => format!("{MANAGED_BY}={MANAGER}"),
            Scope::Run(id) => format!("{RUN_ID}={id}"),
        };
        HashMap::from([("label".to_string(), vec![label])])
    }

    /// The label filter for check images: they carry the run id but never the manager label.
    pub fn image_filters(&self) -> HashMap<String, Vec<String>> {
        let label = match self {
            Scope::All => RUN_ID.to_string(),
            Scope::Run(id) => format!("{RUN_ID}={id}"),
        };
        HashMap::from([("label".to_string(), vec![label])])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_carry_manager_run_and_app_labels() {
        let labels = for_object("r1", "fastapi");
        assert_eq!(labels[MANAGED_BY], "bakeoff");
        assert_eq!(labels[RUN_ID], "r1");
        assert_eq!(labels[APP], "fastapi");
    }

    #[test]
    fn a_run_scope_filters_on_the_run_id_only() {
        let filters = Scope::Run("abc".into()).filters();
        assert_eq!(filters["label"], vec!["bakeoff.run-id=abc".to_string()]);
        assert_eq!(Scope::All.filters()["label"], vec!["bakeoff.managed-by=bakeoff".to_string()]);
        assert_eq!(Scope::All.image_filters()["label"], vec!["bakeoff.run-id".to_string()], "any check image, whatever its run");
    }
}
