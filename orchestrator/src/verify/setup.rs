//! The setup group: what an app folder must hold before anything runs — a finished manifest, a
//! Dockerfile that follows apps/README.md, and a README with the sections every app README has.
//! These are read from the files, so a newcomer learns what is missing before the first build.

use std::path::Path;

use dockerfile_parser::{Dockerfile, Instruction, ShellOrExecExpr};

use super::outcome::{AppOutcome, GroupOutcome};
use crate::images::apps::{AppManifest, Unfinished};

/// The group's name in the matrix.
pub const GROUP: &str = "setup";

/// The sections every app README has (a heading containing one of the words, any case).
const README_SECTIONS: &[(&str, &[&str])] = &[
    ("how to run it by hand", &["run it"]),
    ("how workers, threads and the pool are sized", &["worker", "thread", "runtime", "pool"]),
    ("the access log and metrics (RULES.md §8)", &["metrics", "observability"]),
    ("what makes it idiomatic", &["what makes it"]),
    ("the files and what each holds", &["files"]),
];

/// The setup checks of a ready app.
pub fn check(app: &AppManifest, base_tag: &str) -> GroupOutcome {
    let mut group = GroupOutcome::new(GROUP);
    group.check_value("app.yaml is finished", true, "", "");
    let touch = app.dir.join(&app.touch_file);
    group.check_value(
        format!("touch_file {} exists", app.touch_file.display()),
        touch.is_file(),
        "a source file of the app's folder that the build copies (the deploy scenario changes it by one line)",
        format!("no file {}", touch.display()),
    );
    files(&mut group, &app.dir, Some(app.port), base_tag);
    group
}

/// What verify says of an app whose manifest is unfinished: each problem of `app.yaml`, and the
/// checks of its Dockerfile and README that need no manifest. Nothing is built or started.
pub fn unfinished(app: &Unfinished, base_tag: &str) -> AppOutcome {
    let mut group = GroupOutcome::new(GROUP);
    for problem in &app.problems {
        group.check_value("app.yaml is finished", false, "every value filled in (apps/README.md, \"The manifest\")", problem.clone());
    }
    files(&mut group, &app.dir, None, base_tag);
    let error = format!("apps/{}/app.yaml is not finished: nothing was built or started", app.id);
    AppOutcome { app: app.id.clone(), error: Some(error), build_ms: None, groups: vec![group], build_cached: false }
}

/// The Dockerfile and README checks.
fn files(group: &mut GroupOutcome, dir: &Path, port: Option<u16>, base_tag: &str) {
    match std::fs::read_to_string(dir.join("Dockerfile")) {
        Ok(text) => dockerfile(group, &text, port, base_tag),
        Err(e) => group.check_value("the folder has a Dockerfile", false, "apps/<id>/Dockerfile (apps/README.md, \"Adding a framework\")", e.to_string()),
    }
    match std::fs::read_to_string(dir.join("README.md")) {
        Ok(text) => readme(group, &text),
        Err(e) => group.check_value("the folder has a README.md", false, "apps/<id>/README.md", e.to_string()),
    }
}

/// The conventions of apps/README.md that can be read from the Dockerfile itself.
pub fn dockerfile(group: &mut GroupOutcome, text: &str, port: Option<u16>, base_tag: &str) {
    left_todo(group, "Dockerfile", text);
    let parsed = match Dockerfile::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => return group.check_value("the Dockerfile parses", false, "a valid Dockerfile", e.to_string()),
    };
    let mut stages: Vec<String> = Vec::new();
    let mut strangers = Vec::new();
    for from in parsed.instructions.iter().filter_map(Instruction::as_from) {
        let image = from.image.content.as_str();
        if image != base_tag && !stages.iter().any(|s| s == image) {
            strangers.push(image.to_string());
        }
        stages.push(from.alias.as_ref().map(|a| a.content.clone()).unwrap_or_default());
    }
    group.check_value(
        format!("every stage builds FROM {base_tag}"),
        !stages.is_empty() && strangers.is_empty(),
        format!("FROM {base_tag} (or an earlier stage): there is no registry, and every app starts from the same base"),
        if stages.is_empty() { "no FROM line".to_string() } else { format!("FROM {}", strangers.join(", FROM ")) },
    );
    let last = parsed.stages().stages.last().map(|s| s.instructions.clone()).unwrap_or_default();
    let misc = |name: &str| {
        last.iter()
            .filter_map(|i| i.as_misc())
            .filter(|m| m.instruction.content.eq_ignore_ascii_case(name))
            .map(|m| m.arguments.to_string().trim().to_string())
            .collect::<Vec<_>>()
    };
    let user = misc("USER").pop();
    let non_root = user.as_deref().is_some_and(|u| !matches!(u.split(':').next(), Some("root" | "0")));
    group.check_value(
        "the final stage runs as a user other than root",
        non_root,
        "a USER line naming a non-root user",
        user.unwrap_or_else(|| "no USER line: the app would run as root".into()),
    );
    let exposed = misc("EXPOSE");
    let wanted = port.map_or("8080".to_string(), |p| p.to_string());
    let exposes = exposed.iter().flat_map(|e| e.split_whitespace()).any(|p| p.split('/').next() == Some(wanted.as_str()));
    group.check_value(
        format!("the final stage EXPOSEs {wanted}"),
        exposes,
        format!("EXPOSE {wanted} (the manifest's port)"),
        if exposed.is_empty() { "no EXPOSE line".into() } else { format!("EXPOSE {}", exposed.join(", ")) },
    );
    exec_form(group, &last);
    dependency_layer(group, &parsed);
}

/// The final stage starts the server with an exec-form CMD (or ENTRYPOINT), so SIGTERM reaches it.
fn exec_form(group: &mut GroupOutcome, last: &[&Instruction]) {
    let start = last.iter().rev().find_map(|i| match i {
        Instruction::Cmd(c) => Some(("CMD", &c.expr)),
        Instruction::Entrypoint(e) => Some(("ENTRYPOINT", &e.expr)),
        _ => None,
    });
    let (ok, found) = match start {
        Some((what, ShellOrExecExpr::Exec(args))) => (true, format!("{what} {:?}", args.as_str_vec())),
        Some((what, ShellOrExecExpr::Shell(line))) => (false, format!("{what} {line} (shell form: sh -c gets SIGTERM, not the server)")),
        None => (false, "no CMD or ENTRYPOINT in the final stage".into()),
    };
    group.check_value(
        "the final stage starts the server with an exec-form CMD",
        ok,
        "CMD [\"program\", \"arg\", …] running the framework's production server",
        found,
    );
}

/// The first file the Dockerfile copies from the app's folder is not the whole folder: the
/// dependency files come first and are installed in their own layer, so a source change does not
/// reinstall every dependency.
fn dependency_layer(group: &mut GroupOutcome, parsed: &Dockerfile) {
    let first = parsed.instructions.iter().filter_map(Instruction::as_copy).find(|c| c.flags.iter().all(|f| f.name.content != "from"));
    let whole = |c: &dockerfile_parser::CopyInstruction| c.sources.iter().any(|s| matches!(s.content.as_str(), "." | "./" | "*"));
    let (ok, found) = match first {
        Some(copy) if whole(copy) => (false, "the first COPY takes the whole folder".to_string()),
        Some(copy) => (true, format!("COPY {}", copy.sources.iter().map(|s| s.content.as_str()).collect::<Vec<_>>().join(" "))),
        None => (false, "nothing is copied from the app's folder".to_string()),
    };
    group.check_value(
        "dependency files are copied and installed before the source",
        ok,
        "COPY the lock/dependency files, RUN the install, then COPY the source",
        found,
    );
}

/// The README has the sections every app README has, and no TODO left.
pub fn readme(group: &mut GroupOutcome, text: &str) {
    left_todo(group, "README.md", text);
    let headings: Vec<String> = text.lines().filter(|l| l.starts_with("## ")).map(str::to_lowercase).collect();
    for (what, words) in README_SECTIONS {
        let found = headings.iter().any(|h| words.iter().any(|w| h.contains(w)));
        group.check_value(format!("README.md has a section on {what}"), found, format!("a `## ` heading containing {}", words.join(" or ")), "no such heading");
    }
}

fn left_todo(group: &mut GroupOutcome, file: &str, text: &str) {
    let todo: Vec<String> = text.lines().enumerate().filter(|(_, l)| l.contains("TODO")).map(|(n, l)| format!("line {}: {}", n + 1, l.trim())).collect();
    group.check_value(format!("{file} has no TODO left"), todo.is_empty(), "every TODO that `bakeoff new` wrote replaced", todo.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "bakeoff/base:trixie";

    fn failures(text: &str) -> Vec<String> {
        let mut group = GroupOutcome::new(GROUP);
        dockerfile(&mut group, text, Some(8080), BASE);
        group.failures.into_iter().map(|f| f.check).collect()
    }

    #[test]
    fn every_apps_folder_passes_the_setup_group() {
        let apps = crate::images::apps::discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        assert!(apps.len() >= 9);
        for app in &apps {
            let group = check(app, BASE);
            assert!(group.passed(), "{}: {:?}", app.id, group.failures);
        }
    }

    #[test]
    fn a_dockerfile_that_breaks_each_convention_fails_each_check_by_name() {
        let found = failures("FROM debian:trixie\nCOPY . .\nRUN make\nCMD make run\n");
        for check in [
            "every stage builds FROM bakeoff/base:trixie",
            "the final stage runs as a user other than root",
            "the final stage EXPOSEs 8080",
            "the final stage starts the server with an exec-form CMD",
            "dependency files are copied and installed before the source",
        ] {
            assert!(found.iter().any(|f| f == check), "{check} not in {found:?}");
        }
    }

    #[test]
    fn a_multi_stage_dockerfile_may_build_from_its_own_earlier_stages() {
        let text = "FROM bakeoff/base:trixie AS deps\nCOPY go.mod ./\nRUN go mod download\nFROM deps AS build\nCOPY . .\nFROM bakeoff/base:trixie\nCOPY --from=build /out/app /app\nUSER app\nEXPOSE 8080\nCMD [\"/app\"]\n";
        assert_eq!(failures(text), Vec::<String>::new());
    }

    #[test]
    fn root_as_the_user_and_a_todo_line_are_reported() {
        let text = "FROM bakeoff/base:trixie\nCOPY go.mod ./\n# TODO: install the runtime\nUSER root\nEXPOSE 8080\nCMD [\"/app\"]\n";
        assert_eq!(failures(text), vec!["Dockerfile has no TODO left", "the final stage runs as a user other than root"]);
    }

    #[test]
    fn a_readme_without_the_usual_sections_names_each_missing_one() {
        let mut group = GroupOutcome::new(GROUP);
        readme(&mut group, "# Foo\n\n## Run it\n\n## Files\n");
        let missing: Vec<&str> = group.failures.iter().map(|f| f.check.as_str()).collect();
        assert_eq!(missing.len(), 3, "{missing:?}");
        assert!(missing.iter().any(|m| m.contains("metrics")));
    }
}
