//! Memory and CPU time of a process, read from Linux's `/proc` (zero where it cannot be read:
//! another system, or a process that has ended).

/// A `kB` field of `/proc/<pid>/status` (such as `"VmRSS:"` or `"VmHWM:"`), in KiB.
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Resident memory of a process (`VmRSS`), in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// Peak resident memory of a process (`VmHWM`, the high-water mark), in KiB.
pub fn peak_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

/// Proportional set size of a process (`Pss` of `/proc/<pid>/smaps_rollup`), in KiB: its resident
/// memory with each page shared among N processes counted 1/N. Summed over a process and its
/// forked workers (nginx), it counts shared pages once, where a sum of RSS counts them N times.
pub fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The direct children of a process (from `/proc/<pid>/task/<pid>/children`), such as an nginx
/// master's workers; empty where the kernel does not list them.
pub fn children(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// Resident memory of this process, in KiB.
pub fn own_rss_kib() -> u64 {
    rss_kib(std::process::id())
}

/// CPU time of a process so far, in milliseconds: `(user, system)`, from `utime` and `stime` of
/// `/proc/<pid>/stat` (clock ticks of 10 ms: `USER_HZ` is 100 on Linux).
pub fn cpu_split_ms(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name, field 2, is in parentheses and may hold spaces: count from after it.
    // Then state is field 3, so utime (14) and stime (15) are the 12th and 13th after it.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let mut fields = after_name.split_whitespace().skip(11);
    let mut ticks = || {
        fields
            .next()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let user = ticks();
    let system = ticks();
    (user * 10.0, system * 10.0)
}

/// CPU time (user + system) of a process so far, in milliseconds.
pub fn cpu_ms(pid: u32) -> f64 {
    let (user, system) = cpu_split_ms(pid);
    user + system
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_cpu_time() {
        assert!(own_rss_kib() > 0);
        assert!(pss_kib(std::process::id()) > 0);
        // The current size first: the peak read after it covers it, while the process (its
        // other test threads) may grow between the two reads.
        let rss = own_rss_kib();
        assert!(peak_rss_kib(std::process::id()) >= rss);
        // Burn a little CPU so that at least one tick is counted.
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while started.elapsed() < std::time::Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        assert!(cpu_ms(std::process::id()) > 0.0);
    }

    #[test]
    fn an_unknown_process_reads_as_zero() {
        assert_eq!(rss_kib(u32::MAX), 0);
        assert_eq!(cpu_split_ms(u32::MAX), (0.0, 0.0));
    }
}
