//! What `bakeoff new` wrote, and the checklist that takes the folder to a verified app.

use crate::scaffold::Created;

pub fn checklist(created: &Created) -> String {
    let id = &created.id;
    let lang = created.language;
    let mut text = format!("created {}/ for {} ({} {}):\n", created.dir.display(), lang.id, lang.runtime_name, lang.runtime_version);
    for file in &created.files {
        text.push_str(&format!("  {}\n", file.display()));
    }
    match &created.compose {
        Some((file, port)) => text.push_str(&format!("  {}: service `{id}` on 127.0.0.1:{port} (profile {id})\n", file.display())),
        None => text.push_str("  no compose service added (no compose/apps.yaml here, or it has one already)\n"),
    }
    let steps = [
        "read apps/contract/openapi.yaml and RULES.md, and apps/README.md (\"Adding a framework\")".to_string(),
        format!("write the app in {}/, laid out as the framework's own documentation lays it out; dependencies from {}", created.dir.display(), lang.registry),
        format!(
            "replace every TODO in app.yaml, the Dockerfile and README.md (the Dockerfile's first guesses: {} for the dependencies, CMD {})",
            lang.install, lang.cmd
        ),
        format!("bakeoff verify {id}   — says group by group what is still missing; repeat until every column passes"),
        format!("bakeoff fuzz {id}     — schemathesis against the contract finds nothing"),
        format!("scripts/lint-apps {id} — add the app to ALL_APPS there, its linter ({}), and a row to apps/README.md's \"Linting\" table", lang.lint),
        "add the app to README.md's framework table (`bakeoff apps` prints its row) and its host port to the header of compose/apps.yaml".to_string(),
    ];
    text.push_str("\nnext:\n");
    for (n, step) in steps.iter().enumerate() {
        text.push_str(&format!("  {}. {step}\n", n + 1));
    }
    text
}
