//! `summary.csv`: one row per app and workload.

use super::Exporter;
use crate::collect::RunResults;

pub struct Csv;

const HEADER: &str = "app,framework,framework_version,workload,target_rps,achieved_rps,throughput_rps,asked,answered,ok,dropped,timeouts,retries,p50_us,p95_us,p99_us,p999_us,max_us,error_rate,app_cpu_cores_mean,app_cpu_quota_share,app_memory_peak_bytes,postgres_cpu_cores_mean,postgres_cpu_quota_share,image_size_bytes,build_ms,cold_start_ms,saturated,db_saturated,generator_limited,host_steal,max_cpu_steal_share,capacity_rps,capacity_bound";

impl Exporter for Csv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn export(&self, results: &RunResults) -> Vec<u8> {
        let mut out = format!("{HEADER}\n");
        for app in &results.apps {
            for w in &app.workloads {
                let l = &w.load;
                let r = &l.response_time;
                let capacity = app.capacity.iter().find(|c| c.workload == w.workload);
                let fields = [
                    app.app.clone(),
                    app.framework.clone(),
                    app.framework_version.clone(),
                    w.workload.name().to_string(),
                    l.target_rps.map(|t| format!("{t:.1}")).unwrap_or_default(),
                    format!("{:.1}", l.achieved_rps),
                    format!("{:.1}", l.throughput_rps),
                    l.asked.to_string(),
                    l.answered.to_string(),
                    l.ok.to_string(),
                    l.dropped.to_string(),
                    l.timeouts.to_string(),
                    l.retries.to_string(),
                    r.p50_us.to_string(),
                    r.p95_us.to_string(),
                    r.p99_us.to_string(),
                    r.p999_us.to_string(),
                    r.max_us.to_string(),
                    format!("{:.6}", l.error_rate),
                    format!("{:.3}", w.app_resources.cpu_cores_mean),
                    format!("{:.3}", w.app_resources.cpu_quota_share_mean),
                    w.app_resources.memory_peak_bytes.to_string(),
                    format!("{:.3}", w.postgres_resources.cpu_cores_mean),
                    format!("{:.3}", w.postgres_resources.cpu_quota_share_mean),
                    app.image_size_bytes.map(|v| v.to_string()).unwrap_or_default(),
                    app.build_ms.map(|v| v.to_string()).unwrap_or_default(),
                    app.cold_start_ms.map(|v| v.to_string()).unwrap_or_default(),
                    l.saturated.to_string(),
                    w.db_saturated.to_string(),
                    l.generator_limited.to_string(),
                    w.host_steal_reason.is_some().to_string(),
                    format!("{:.3}", w.cpu_steal.iter().map(|s| s.share).fold(0.0, f64::max)),
                    capacity.and_then(|c| c.capacity_rps).map(|r| r.to_string()).unwrap_or_default(),
                    capacity.map(|c| serde_json::to_value(c.bound).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()).unwrap_or_default(),
                ];
                out.push_str(&fields.map(|f| quote(&f)).join(","));
                out.push('\n');
            }
        }
        out.into_bytes()
    }
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
