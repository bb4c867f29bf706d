//! Waiting for each arrival's intended send time without burning the CPU it shares.
//!
//! tokio's timer wheel has a resolution of one millisecond, so the first generator slept to
//! 1.5 ms before each deadline and then spun. On a core shared with PostgreSQL the spin cost the
//! database up to a fifth of its core, and a spinning thread that had used up its CFS share woke
//! late (lag p99 4.8 ms beside a busy loop). A Linux `timerfd` armed for the remaining time wakes
//! the runtime's epoll precisely (hrtimer, no slack) and costs nothing while it waits; the load
//! thread's timer slack is set to 1 ns so its other sleeps are precise too.

use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::{Duration, Instant};

use nix::sys::time::TimeSpec;
use nix::sys::timerfd::{ClockId, Expiration, TimerFd, TimerFlags, TimerSetTimeFlags};
use tokio::io::unix::AsyncFd;

/// One load thread's pacer (create it inside the thread's runtime).
pub struct Pacer {
    timer: Option<AsyncFd<Timer>>,
}

/// The timerfd, owned; tokio needs its raw descriptor.
struct Timer(TimerFd);

impl AsRawFd for Timer {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_fd().as_raw_fd()
    }
}

impl Pacer {
    /// A timerfd-backed pacer; falls back to tokio's millisecond timer where no timerfd can be
    /// made (the fallback's lateness shows in the scheduling lag, and flags the run).
    pub fn new() -> Pacer {
        let _ = nix::sys::prctl::set_timerslack(1);
        let timer = TimerFd::new(ClockId::CLOCK_MONOTONIC, TimerFlags::TFD_NONBLOCK | TimerFlags::TFD_CLOEXEC).ok();
        // SAFETY: the descriptor is owned by the `Timer` inside the AsyncFd, so it stays open for
        // exactly as long as it is registered.
        let timer = timer.and_then(|fd| unsafe { AsyncFd::register(Timer(fd)) }.ok());
        Pacer { timer }
    }

    /// Returns at `deadline` (at once when it has passed), sleeping, never spinning.
    pub async fn until(&self, deadline: Instant) {
        let (now, monotonic) = (Instant::now(), monotonic_now());
        let Some(left) = deadline.checked_duration_since(now).filter(|d| !d.is_zero()) else { return };
        let Some(timer) = &self.timer else { return tokio::time::sleep_until(deadline.into()).await };
        // Armed for the absolute deadline on CLOCK_MONOTONIC (the clock `Instant` reads), so the
        // time the arming call itself takes is not added to the wait.
        let at = monotonic + left;
        if timer.get_ref().0.set(Expiration::OneShot(TimeSpec::from_duration(at)), TimerSetTimeFlags::TFD_TIMER_ABSTIME).is_err() {
            return tokio::time::sleep_until(deadline.into()).await;
        }
        loop {
            let Ok(mut ready) = timer.readable().await else { return tokio::time::sleep_until(deadline.into()).await };
            match ready.try_io(|fd| expired(&fd.get_ref().0)) {
                Ok(_) => return,
                Err(_would_block) => continue,
            }
        }
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new()
    }
}

/// CLOCK_MONOTONIC now, as a duration since its origin.
fn monotonic_now() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC).map(Duration::from).unwrap_or_default()
}

/// Reads the timer's expiry count; WouldBlock while it has not fired.
fn expired(timer: &TimerFd) -> io::Result<()> {
    match timer.wait() {
        Ok(()) => Ok(()),
        Err(nix::errno::Errno::EAGAIN) => Err(io::ErrorKind::WouldBlock.into()),
        Err(e) => Err(io::Error::from(e)),
    }
}

/// A hold on the kernel's CPU-latency QoS at 0 µs (`/dev/cpu_dma_latency`, the interface
/// cyclictest uses): while it is held, idle CPUs poll instead of halting, so a timer wakes its
/// thread without the exit from a halted (virtual) CPU. Measured on the 2-core VM at 150 wake-ups
/// a second: the generator's lag p50 131 → 87 µs, p99 1158 → 144 µs. The kernel drops the hold
/// when the file closes, on drop or when the process dies. It applies to every CPU alike, so
/// every app is measured under the same idle policy.
pub struct IdlePolling(Option<std::fs::File>);

impl IdlePolling {
    /// Takes the hold where the process may (root on Linux); `held()` says whether it did.
    pub fn hold() -> IdlePolling {
        use std::io::Write;
        let file = std::fs::OpenOptions::new().write(true).open("/dev/cpu_dma_latency");
        IdlePolling(file.ok().and_then(|mut f| f.write_all(&0i32.to_ne_bytes()).ok().map(|_| f)))
    }

    /// No hold (the generator was not asked to run real-time).
    pub fn none() -> IdlePolling {
        IdlePolling(None)
    }

    pub fn held(&self) -> bool {
        self.0.is_some()
    }
}

/// CPU time the calling thread has used so far.
pub fn thread_cpu_time() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID).map(Duration::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pacer_never_returns_early_and_a_past_deadline_returns_at_once() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let pacer = Pacer::new();
            for _ in 0..20 {
                let deadline = Instant::now() + Duration::from_micros(700);
                pacer.until(deadline).await;
                assert!(Instant::now() >= deadline, "woke before the deadline");
            }
            let past = Instant::now() - Duration::from_millis(5);
            let before = Instant::now();
            pacer.until(past).await;
            assert!(before.elapsed() < Duration::from_millis(5));
        });
    }

    /// The kernel's current CPU-latency target in µs (reading the device gives the aggregate).
    fn latency_target_us() -> Option<i32> {
        let bytes = std::fs::read("/dev/cpu_dma_latency").ok()?;
        Some(i32::from_ne_bytes(bytes.get(..4)?.try_into().ok()?))
    }

    #[test]
    fn holding_idle_polling_sets_the_kernels_latency_target_to_zero_until_dropped() {
        let before = latency_target_us();
        let hold = IdlePolling::hold();
        if !hold.held() {
            assert!(before.is_none() || nix::unistd::geteuid().as_raw() != 0, "root on Linux may take the hold");
            return;
        }
        assert_eq!(latency_target_us(), Some(0));
        drop(hold);
        assert_eq!(latency_target_us(), before, "the hold ends with the file");
    }

    #[test]
    fn sleeping_in_the_pacer_costs_almost_no_cpu() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let cpu = runtime.block_on(async {
            let pacer = Pacer::new();
            let start_cpu = thread_cpu_time();
            let start = Instant::now();
            for i in 1..=50 {
                pacer.until(start + Duration::from_millis(4 * i)).await;
            }
            thread_cpu_time() - start_cpu
        });
        // 200 ms of waiting; the spinning pacer used about 1.5 ms of CPU per deadline (75 ms).
        assert!(cpu < Duration::from_millis(30), "pacing used {cpu:?} of CPU");
    }
}
