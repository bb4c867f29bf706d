//! compose/apps.yaml, checked against what bakeoff itself starts: every app's image, port and
//! variables from its manifest, the limits of a measured app, and PostgreSQL's settings.

use serde_json::Value;

use crate::config::Config;
use crate::images::apps::discover;

fn compose() -> Value {
    serde_saphyr::from_str(include_str!("../../../compose/apps.yaml")).expect("compose/apps.yaml is YAML")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_app_has_a_profile_with_its_image_port_variables_and_the_limits_of_a_run() {
    let config = Config::defaults();
    let services = &compose()["services"];
    let apps = discover(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
    assert!(apps.len() >= 9);
    for app in &apps {
        let s = &services[&app.id];
        assert_eq!(s["profiles"], serde_json::json!([app.id]), "{}", app.id);
        assert_eq!(text(&s["image"]), app.image_tag());
        assert_eq!(text(&s["environment"]["PORT"]), app.port.to_string());
        assert_eq!(text(&s["environment"]["DATABASE_URL"]), "postgres://bakeoff:bakeoff@postgres:5432/bakeoff");
        assert!(text(&s["ports"][0]).ends_with(&format!(":{}", app.port)), "{}", app.id);
        assert_eq!(text(&s["mem_limit"]), format!("{}g", config.run.app_memory_mb / 1024));
        assert_eq!(s["cpus"].as_f64(), Some(config.run.app_cpus));
        assert_eq!(text(&s["cpuset"]), config.run.app_cpuset);
        assert_eq!(text(&s["labels"]["bakeoff.app"]), app.id);
    }
}

#[test]
fn the_database_has_the_settings_and_limits_bakeoff_gives_it() {
    let config = Config::defaults();
    let pg = &compose()["services"]["postgres"];
    let command: Vec<String> = pg["command"].as_array().unwrap().iter().map(text).collect();
    for (key, value) in super::postgres_settings(config.postgres.memory_mb, config.postgres.max_connections) {
        assert!(command.contains(&format!("{key}={value}")), "compose/apps.yaml lacks {key}={value}");
    }
    assert_eq!(text(&pg["mem_limit"]), format!("{}g", config.postgres.memory_mb / 1024));
    assert_eq!(text(&pg["cpuset"]), config.postgres.cpuset);
    assert!(pg.get("name").is_none() && compose().get("name").is_none(), "docker-compose 1.29 refuses a top-level name");
}
