//! The load generator's wire format: everything the orchestrator needs from one generator of a
//! distributed run, as plain serde data (JSON on `bakeoff loadgen`'s stdout). Histograms travel
//! in HdrHistogram's compressed V2 encoding (the one its interval logs use), base64-encoded, so
//! decoding gives back the very bucket counts that were recorded and merging is exact.
//! docs/distributed.md, "Load generator wire format", describes every field.

use std::collections::BTreeMap;

use base64::Engine as _;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::share::Share;
use super::stats::{Percentiles, Recorder, Second, ThreadUse};

/// The version of this format; a reader refuses any other.
pub const WIRE_VERSION: u32 = 1;

/// What one generator measured of its share (plain data; formatted only by `report/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorResult {
    /// [`WIRE_VERSION`] of the generator that wrote it.
    pub wire_version: u32,
    /// The share it sent (index and count).
    pub share: Share,
    /// The common start instant, in nanoseconds since the Unix epoch.
    pub start_unix_ns: u64,
    /// Requests of the whole (single-generator) schedule.
    pub schedule_requests: u64,
    /// The generator's host name (as its container or machine calls itself).
    pub host: String,
    /// Every histogram of its recorder.
    pub histograms: EncodedHistograms,
    /// Its counters.
    pub counters: Counters,
    /// Per second of the phase, by intended start.
    pub seconds: Vec<EncodedSecond>,
    /// Its own scheduling lag (intended → hand-over), derived from `histograms.lag_us`.
    pub scheduling_lag: Percentiles,
    /// CPU use of each of its load threads.
    pub threads: Vec<ThreadUse>,
}

/// A recorder's histograms, each in base64 of HdrHistogram's compressed V2 encoding
/// (microseconds, 1 µs – 60 s, 3 significant digits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodedHistograms {
    /// Intended start → end of every request due.
    pub response_us: String,
    /// Actual send → end of every request sent.
    pub service_us: String,
    /// Intended start → hand-over by the pacer.
    pub lag_us: String,
    /// Hand-over → a free connection.
    pub connection_wait_us: String,
}

/// A recorder's counters (meanings as in [`Recorder`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counters {
    pub asked: u64,
    pub sent: u64,
    pub sent_on_time: u64,
    pub waited_past_bound: u64,
    pub answered: u64,
    pub answered_in_window: u64,
    pub ok: u64,
    pub dropped: u64,
    /// Failures by class (timeouts and drops included).
    pub errors: BTreeMap<String, u64>,
    pub expected_conflicts: u64,
    pub retries: u64,
    /// This generator's most requests outstanding at once.
    pub max_outstanding: u64,
}

/// One second of the phase (requests due in it), as in [`Second`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodedSecond {
    pub asked: u64,
    pub sent: u64,
    pub ok: u64,
    pub errors: BTreeMap<String, u64>,
    /// Response times of the requests due this second (encoded like the others).
    pub response_us: String,
}

#[derive(Debug, Error)]
pub enum WireError {
    #[error("cannot encode a histogram: {0}")]
    Encode(String),
    #[error("the {which} histogram of generator {share} cannot be decoded ({reason}): the result was cut or altered; run that generator again")]
    Decode { which: &'static str, share: Share, reason: String },
    #[error("generator {share} speaks wire version {got}, this bakeoff {WIRE_VERSION}: use the same bakeoff version for the orchestrator and the loadgen image (rebuild it with `bakeoff images loadgen`)")]
    Version { share: Share, got: u32 },
}

/// Where a result came from: the parts of a share's run that are not in its recorder.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub share: Share,
    pub start_unix_ns: u64,
    pub schedule_requests: u64,
    pub host: String,
}

impl GeneratorResult {
    /// Encodes `recorder` (acknowledged orders are not carried).
    pub fn encode(recorder: &Recorder, origin: Origin) -> Result<GeneratorResult, WireError> {
        let histograms = EncodedHistograms {
            response_us: encode(&recorder.response_us)?,
            service_us: encode(&recorder.service_us)?,
            lag_us: encode(&recorder.lag_us)?,
            connection_wait_us: encode(&recorder.connection_wait_us)?,
        };
        let seconds = recorder.seconds.iter().map(encode_second).collect::<Result<_, _>>()?;
        Ok(GeneratorResult {
            wire_version: WIRE_VERSION,
            share: origin.share,
            start_unix_ns: origin.start_unix_ns,
            schedule_requests: origin.schedule_requests,
            host: origin.host,
            histograms,
            counters: counters(recorder),
            seconds,
            scheduling_lag: Percentiles::of(&recorder.lag_us),
            threads: recorder.threads.clone(),
        })
    }

    /// The recorder this result was encoded from (without acknowledged orders).
    pub fn decode(&self) -> Result<Recorder, WireError> {
        if self.wire_version != WIRE_VERSION {
            return Err(WireError::Version { share: self.share, got: self.wire_version });
        }
        let h = &self.histograms;
        let c = &self.counters;
        let mut r = Recorder::default();
        for (which, mine, text) in [
            ("response_us", &mut r.response_us, &h.response_us),
            ("service_us", &mut r.service_us, &h.service_us),
            ("lag_us", &mut r.lag_us, &h.lag_us),
            ("connection_wait_us", &mut r.connection_wait_us, &h.connection_wait_us),
        ] {
            self.decode_into(which, mine, text)?;
        }
        for s in &self.seconds {
            let mut second = Second { asked: s.asked, sent: s.sent, ok: s.ok, errors: s.errors.clone(), ..Second::default() };
            self.decode_into("per-second response_us", &mut second.response_us, &s.response_us)?;
            r.seconds.push(second);
        }
        (r.asked, r.sent, r.sent_on_time, r.waited_past_bound) = (c.asked, c.sent, c.sent_on_time, c.waited_past_bound);
        (r.answered, r.answered_in_window, r.ok, r.dropped) = (c.answered, c.answered_in_window, c.ok, c.dropped);
        (r.errors, r.expected_conflicts, r.retries, r.max_outstanding) = (c.errors.clone(), c.expected_conflicts, c.retries, c.max_outstanding);
        r.threads = self.threads.clone();
        Ok(r)
    }

    /// Adds the decoded histogram `text` to `into` (a recorder's, with its bounds).
    fn decode_into(&self, which: &'static str, into: &mut Histogram<u64>, text: &str) -> Result<(), WireError> {
        let failed = |reason: String| WireError::Decode { which, share: self.share, reason };
        let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| failed(e.to_string()))?;
        let decoded: Histogram<u64> = Deserializer::new().deserialize(&mut bytes.as_slice()).map_err(|e| failed(format!("{e:?}")))?;
        into.add(&decoded).map_err(|e| failed(format!("{e:?}")))
    }
}

fn encode(h: &Histogram<u64>) -> Result<String, WireError> {
    let mut bytes = Vec::new();
    V2DeflateSerializer::new().serialize(h, &mut bytes).map_err(|e| WireError::Encode(format!("{e:?}")))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn encode_second(s: &Second) -> Result<EncodedSecond, WireError> {
    Ok(EncodedSecond { asked: s.asked, sent: s.sent, ok: s.ok, errors: s.errors.clone(), response_us: encode(&s.response_us)? })
}

fn counters(r: &Recorder) -> Counters {
    Counters {
        asked: r.asked,
        sent: r.sent,
        sent_on_time: r.sent_on_time,
        waited_past_bound: r.waited_past_bound,
        answered: r.answered,
        answered_in_window: r.answered_in_window,
        ok: r.ok,
        dropped: r.dropped,
        errors: r.errors.clone(),
        expected_conflicts: r.expected_conflicts,
        retries: r.retries,
        max_outstanding: r.max_outstanding,
    }
}
