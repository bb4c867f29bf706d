//! One generator's exact share of a schedule: generator `index` of `count` sends request `j` of
//! the single-generator schedule exactly when `j mod count == index`, at the same intended
//! instant and with the same contents, so the union of the shares is the schedule itself.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::schedule::Schedule;

/// Which requests of a schedule one generator sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// This generator's number, `0..count`.
    pub index: u32,
    /// How many generators share the schedule.
    pub count: u32,
}

#[derive(Debug, Error, PartialEq)]
pub enum ShareError {
    #[error("share {index}/{count} does not exist: give a share count of at least 1 and an index below it (0/2 and 1/2 for two generators)")]
    Invalid { index: u32, count: u32 },
    #[error("cannot read the share {0:?}: write it as INDEX/COUNT, e.g. 0/2")]
    Syntax(String),
}

impl Share {
    /// The whole schedule (one generator).
    pub const WHOLE: Share = Share { index: 0, count: 1 };

    pub fn new(index: u32, count: u32) -> Result<Share, ShareError> {
        if count == 0 || index >= count {
            return Err(ShareError::Invalid { index, count });
        }
        Ok(Share { index, count })
    }

    /// The schedule's number of the share's `m`-th request (0-based).
    pub fn request(&self, m: u64) -> u64 {
        u64::from(self.index) + u64::from(self.count) * m
    }

    /// How many of a schedule's `total` requests fall in this share.
    pub fn len(&self, total: u64) -> u64 {
        let (index, count) = (u64::from(self.index), u64::from(self.count));
        if total <= index {
            0
        } else {
            (total - index).div_ceil(count)
        }
    }

    /// True when the share holds no request of a schedule of `total`.
    pub fn is_empty(&self, total: u64) -> bool {
        self.len(total) == 0
    }

    /// The share's requests: each one's number in the schedule and its intended start.
    pub fn requests<'a>(&self, schedule: &'a Schedule) -> impl Iterator<Item = (u64, Duration)> + 'a {
        let share = *self;
        (0..).map(move |m| share.request(m)).map_while(move |j| schedule.at(j).map(|at| (j, at)))
    }
}

impl std::str::FromStr for Share {
    type Err = ShareError;

    /// `INDEX/COUNT`, e.g. `1/3`.
    fn from_str(text: &str) -> Result<Share, ShareError> {
        let syntax = || ShareError::Syntax(text.to_string());
        let (index, count) = text.split_once('/').ok_or_else(syntax)?;
        Share::new(index.trim().parse().map_err(|_| syntax())?, count.trim().parse().map_err(|_| syntax())?)
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::schedule::{Profile, Stage};
    use crate::load::workload::{Catalogue, MixShares, Workload, WorkloadKind};

    fn profiles() -> Vec<Profile> {
        vec![
            Profile::Constant { rps: 137.0, duration_s: 3.0 },
            Profile::Ramp { from_rps: 5.0, to_rps: 333.0, duration_s: 4.0 },
            Profile::Steps { stages: vec![Stage { rps: 50.0, duration_s: 1.5 }, Stage { rps: 0.0, duration_s: 1.0 }, Stage { rps: 210.0, duration_s: 2.0 }] },
            Profile::Spike { base_rps: 20.0, peak_rps: 700.0, duration_s: 6.0, at_s: 2.0, spike_s: 0.7 },
        ]
    }

    fn workload() -> Workload {
        let catalogue = Catalogue { products: 5_000, brands: vec!["Acme".into(), "Borel".into()], categories: vec![1, 2, 3], ..Default::default() };
        Workload::new(WorkloadKind::Mixed, catalogue, MixShares { search: 0.5, product_view: 0.3, add_to_cart: 0.1, checkout: 0.1 })
    }

    #[test]
    fn the_union_of_the_shares_is_exactly_the_single_schedule_in_instants_and_contents() {
        let w = workload();
        for profile in profiles() {
            let schedule = profile.schedule().unwrap();
            let single: Vec<_> = Share::WHOLE.requests(&schedule).map(|(j, at)| (j, at, w.request(42, j, "run"))).collect();
            assert_eq!(single.len() as u64, schedule.total());
            for count in [2, 3, 7] {
                let mut union: Vec<_> = (0..count)
                    .flat_map(|i| {
                        let share = Share::new(i, count).unwrap();
                        assert_eq!(share.requests(&schedule).count() as u64, share.len(schedule.total()), "{profile:?} {share}");
                        share.requests(&schedule).map(|(j, at)| (j, at, w.request(42, j, "run"))).collect::<Vec<_>>()
                    })
                    .collect();
                union.sort_by_key(|(j, _, _)| *j);
                assert_eq!(union, single, "{count} shares of {profile:?}");
            }
        }
    }

    #[test]
    fn a_share_holds_every_count_th_request_from_its_index() {
        let share: Share = "1/3".parse().unwrap();
        let schedule = Profile::Constant { rps: 10.0, duration_s: 1.0 }.schedule().unwrap();
        assert_eq!(share.requests(&schedule).map(|(j, _)| j).collect::<Vec<_>>(), [1, 4, 7]);
        assert_eq!((share.len(10), Share::new(2, 3).unwrap().len(2), Share::WHOLE.len(10)), (3, 0, 10));
    }

    #[test]
    fn a_share_outside_its_count_is_refused() {
        assert_eq!(Share::new(2, 2), Err(ShareError::Invalid { index: 2, count: 2 }));
        assert!("0/0".parse::<Share>().is_err());
        assert!(matches!("1-2".parse::<Share>(), Err(ShareError::Syntax(_))));
    }
}
