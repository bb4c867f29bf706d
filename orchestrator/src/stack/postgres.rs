//! PostgreSQL settings derived from the container's memory limit.

/// `-c name=value` settings for a server with `memory_mb` MiB and `max_connections` connections.
/// Durability stays on (`fsync`, `synchronous_commit`): checkout durability is part of what is
/// measured.
pub fn settings(memory_mb: u64, max_connections: u32) -> Vec<(String, String)> {
    let shared_buffers_mb = memory_mb / 4;
    let effective_cache_mb = memory_mb * 3 / 4;
    let maintenance_mb = (memory_mb / 10).clamp(64, 1024);
    let work_mb = (memory_mb / (u64::from(max_connections) * 4)).clamp(4, 64);
    let pairs = [
        ("max_connections", max_connections.to_string()),
        ("shared_buffers", format!("{shared_buffers_mb}MB")),
        ("effective_cache_size", format!("{effective_cache_mb}MB")),
        ("maintenance_work_mem", format!("{maintenance_mb}MB")),
        ("work_mem", format!("{work_mb}MB")),
        ("fsync", "on".into()),
        ("synchronous_commit", "on".into()),
        ("random_page_cost", "1.1".into()),
        ("log_min_messages", "warning".into()),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The settings as server arguments.
pub fn args(settings: &[(String, String)]) -> Vec<String> {
    settings.iter().flat_map(|(k, v)| ["-c".to_string(), format!("{k}={v}")]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(settings: &'a [(String, String)], key: &str) -> &'a str {
        &settings.iter().find(|(k, _)| k == key).unwrap().1
    }

    #[test]
    fn shared_buffers_is_a_quarter_of_the_memory_limit() {
        let s = settings(2048, 200);
        assert_eq!(get(&s, "shared_buffers"), "512MB");
        assert_eq!(get(&s, "effective_cache_size"), "1536MB");
    }

    #[test]
    fn work_mem_stays_within_bounds_for_small_and_large_limits() {
        assert_eq!(get(&settings(512, 200), "work_mem"), "4MB");
        assert_eq!(get(&settings(65_536, 100), "work_mem"), "64MB");
    }

    #[test]
    fn durability_is_never_turned_off() {
        let s = settings(1024, 50);
        assert_eq!(get(&s, "fsync"), "on");
        assert_eq!(get(&s, "synchronous_commit"), "on");
    }

    #[test]
    fn the_compose_file_uses_the_settings_bakeoff_up_uses() {
        let compose = include_str!("../../../compose/postgres.yaml");
        for (key, value) in settings(2048, 200) {
            if ["fsync", "synchronous_commit", "random_page_cost", "log_min_messages"].contains(&key.as_str()) {
                continue;
            }
            assert!(compose.contains(&format!("- {key}={value}")), "compose/postgres.yaml lacks {key}={value}");
        }
    }

    #[test]
    fn settings_become_dash_c_arguments() {
        let a = args(&[("fsync".into(), "on".into())]);
        assert_eq!(a, ["-c", "fsync=on"]);
    }
}
