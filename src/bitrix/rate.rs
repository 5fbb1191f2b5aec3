//! The client-side leaky bucket, mirroring the portal's own limiter.
//!
//! Bitrix24 counts requests per portal and source IP in a bucket that drains at a fixed
//! rate (2/s on standard plans, 5/s on Enterprise) and refuses requests once it holds more
//! than the burst (50 or 250) — see `limits.md` in the REST docs. Waiting here before the
//! bucket overflows costs the same time as being refused, without the 503 round trips.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RatePlan;

/// A leaky bucket: `level` grows by one per request and drains at `per_sec`.
#[derive(Debug)]
pub(crate) struct LeakyBucket {
    per_sec: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl LeakyBucket {
    /// The bucket for a plan; `None` for [`RatePlan::Off`].
    pub(crate) fn for_plan(plan: RatePlan) -> Option<LeakyBucket> {
        let (per_sec, burst) = match plan {
            RatePlan::Standard => (2.0, 50.0),
            RatePlan::Enterprise => (5.0, 250.0),
            RatePlan::Off => return None,
        };
        Some(LeakyBucket::new(per_sec, burst))
    }

    /// The same bucket draining `factor` times faster.
    pub(crate) fn scaled(&self, factor: f64) -> LeakyBucket {
        LeakyBucket::new(self.per_sec * factor, self.burst)
    }

    pub(crate) fn new(per_sec: f64, burst: f64) -> LeakyBucket {
        LeakyBucket {
            per_sec,
            burst,
            state: Mutex::new((0.0, Instant::now())),
        }
    }

    /// Takes a slot, returning how long the caller must wait before sending.
    ///
    /// The slot is reserved at once, so concurrent callers queue up fairly.
    pub(crate) fn reserve(&self) -> Duration {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(state.1).as_secs_f64();
        let level = (state.0 - elapsed * self.per_sec).max(0.0) + 1.0;
        state.0 = level;
        state.1 = now;
        if level <= self.burst {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((level - self.burst) / self.per_sec)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_is_free_then_requests_are_spaced() {
        let bucket = LeakyBucket::new(2.0, 5.0);
        for _ in 0..5 {
            assert_eq!(bucket.reserve(), Duration::ZERO);
        }
        let wait = bucket.reserve();
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        let wait2 = bucket.reserve();
        assert!(wait2 > wait);
    }

    #[test]
    fn off_means_no_bucket() {
        assert!(LeakyBucket::for_plan(RatePlan::Off).is_none());
        assert!(LeakyBucket::for_plan(RatePlan::Enterprise).is_some());
    }
}
