//! The framework table (README's status table is pasted from this).

use crate::images::apps::AppManifest;

/// A Markdown table of the apps' manifests.
pub fn table(apps: &[AppManifest]) -> String {
    let mut out = String::from("| app | framework | runtime | server | data layer | key versions |\n|---|---|---|---|---|---|\n");
    for app in apps {
        let versions: Vec<String> = app.versions.iter().take(4).map(|(k, v)| format!("{k} {v}")).collect();
        out.push_str(&format!(
            "| {} | {} {} | {} {} | {} | {} | {} |\n",
            app.id,
            app.framework.name,
            app.framework.version,
            app.runtime.name,
            app.runtime.version,
            app.server.replace('|', "/"),
            app.orm_or_driver.replace('|', "/"),
            versions.join(", ")
        ));
    }
    out
}
