//! The client core driven by a script decoded from the input: any statuses, headers, body bytes
//! and clock jumps. It must never panic, never ask for a wait above `MAX_DELAY`, and never issue
//! a second `Connect` while one is in flight.
//!
//! Input: two configuration bytes, then operations (see `Op`); `fuzz/seed.py` writes seeds in
//! this encoding.

#![no_main]

use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use sse_client::sansio::{Action, Config, Core, ReadyState};
use sse_client::retry::{Backoff, MAX_DELAY};

const NAMES: [&str; 5] = ["content-type", "retry-after", "retry-after-ms", "date", "location"];

struct Script<'a>(&'a [u8]);

impl Script<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn bytes(&mut self, n: usize) -> &[u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    fn u32(&mut self) -> u32 {
        let mut buf = [0; 4];
        let got = self.bytes(4);
        buf[..got.len()].copy_from_slice(got);
        u32::from_le_bytes(buf)
    }
}

fn config(a: u8, b: u8) -> Config {
    let durations = [
        Duration::ZERO,
        Duration::from_millis(1),
        Duration::from_secs(3),
        Duration::from_secs(60),
        Duration::MAX,
    ];
    let pick = |bits: u8| durations[usize::from(bits) % durations.len()];
    let mut config = Config::default();
    config.reconnect = a & 1 == 0;
    config.reconnection_time = pick(a >> 1);
    config.idle_timeout = (a & 0x10 == 0).then(|| pick(a >> 5));
    config.connect_timeout = (b & 1 == 0).then(|| pick(b >> 1));
    config.max_retries = (b & 0x10 != 0).then_some(u32::from(b >> 5));
    config.backoff = Backoff {
        multiplier: f64::from(b >> 4),
        max_delay: pick(b >> 2),
        jitter: f64::from(a >> 6) / 2.0,
    };
    config.jitter_seed = Some(u64::from(a) << 8 | u64::from(b));
    config
}

fuzz_target!(|data: &[u8]| {
    let mut script = Script(data);
    let (Some(a), Some(b)) = (script.byte(), script.byte()) else {
        return;
    };
    let mut core = Core::new(config(a, b));
    let mut now = Instant::now();
    let mut in_flight = false;
    while let Some(op) = script.byte() {
        match op % 7 {
            0 => {
                let status = 100 + (u16::from(script.byte().unwrap_or(0)) << 8
                    | u16::from(script.byte().unwrap_or(0)))
                    % 900;
                let mut headers = HeaderMap::new();
                for _ in 0..script.byte().unwrap_or(0) % 4 {
                    let name = NAMES[usize::from(script.byte().unwrap_or(0)) % NAMES.len()];
                    let len = usize::from(script.byte().unwrap_or(0) % 32);
                    if let Ok(value) = HeaderValue::from_bytes(script.bytes(len)) {
                        headers.append(HeaderName::from_static(name), value);
                    }
                }
                core.handle_response(StatusCode::from_u16(status).unwrap(), &headers, now);
            }
            1 => {
                let len = usize::from(script.byte().unwrap_or(0));
                let chunk = script.bytes(len).to_vec();
                core.handle_bytes(&chunk, now);
            }
            2 => core.handle_eof(now),
            3 => core.handle_error(now),
            4 => {
                let ms = u64::from(script.u32()) * u64::from(script.byte().unwrap_or(1));
                if let Some(later) = now.checked_add(Duration::from_millis(ms)) {
                    now = later;
                }
                core.handle_timeout(now);
            }
            5 => {
                if let Some(deadline) = core.poll_timeout() {
                    now = now.max(deadline);
                    core.handle_timeout(now);
                }
            }
            _ => core.close(),
        }
        while core.poll_output().is_some() {}
        while let Some(action) = core.poll_action(now) {
            match action {
                Action::Connect(_) => {
                    assert!(!in_flight, "a second Connect while one is in flight");
                    in_flight = true;
                }
                Action::Wait { delay, until, .. } => {
                    assert!(delay <= MAX_DELAY, "{delay:?}");
                    assert!(until >= now);
                    in_flight = false;
                }
                _ => in_flight = false,
            }
        }
        if core.ready_state() != ReadyState::Connecting {
            in_flight = false;
        }
    }
});
