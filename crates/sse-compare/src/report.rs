//! The results as a Markdown table, a JSON document and an SVG chart.

use std::fmt::Write as _;

use crate::runner::{TransportResult, Workload};

/// The lesson's table with the measured columns added.
pub fn markdown(workload: &Workload, results: &[TransportResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} clients, {} messages at {}/s, {}-byte payloads, polling every {} ms, loopback\n",
        workload.clients,
        workload.messages,
        workload.rate,
        workload.payload,
        workload.poll_interval_ms
    );
    out.push_str("| transport | direction | connection | use case | p50 ms | p95 ms | p99 ms | max ms | bytes down/msg | bytes up/msg | requests | connections | lost | duplicated | server CPU ms |");
    out.push_str(if workload.drop_test {
        " after a drop: lost | after a drop: duplicated |\n"
    } else {
        "\n"
    });
    out.push_str("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.push_str(if workload.drop_test {
        "---:|---:|\n"
    } else {
        "\n"
    });
    for r in results {
        let s = &r.steady;
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {} | {} | {} | {} | {:.0} |",
            r.name,
            r.profile.direction,
            r.profile.connection,
            r.profile.use_case,
            s.latency.p50,
            s.latency.p95,
            s.latency.p99,
            s.latency.max,
            s.bytes_down_per_message,
            s.bytes_up_per_message,
            s.requests,
            s.connections,
            s.lost,
            s.duplicated,
            s.server_cpu_ms
        );
        match &r.dropped {
            Some(d) => {
                let _ = writeln!(out, " {} | {} |", d.lost, d.duplicated);
            }
            None => out.push('\n'),
        }
    }
    out
}

/// Every figure, as one JSON document.
pub fn json(workload: &Workload, results: &[TransportResult]) -> serde_json::Value {
    let transports: serde_json::Map<String, serde_json::Value> = results
        .iter()
        .map(|r| {
            let mut entry = serde_json::to_value(r).expect("serialisable");
            // The headline figures at the top level of each entry, as integers.
            entry["lost"] = r.steady.lost.into();
            entry["duplicated"] = r.steady.duplicated.into();
            (r.name.to_owned(), entry)
        })
        .collect();
    serde_json::json!({ "workload": workload, "transports": transports })
}

/// A chart of each transport's latency distribution: a box from p50 to p95, whiskers to p99
/// and max, on a logarithmic axis.
pub fn svg(results: &[TransportResult]) -> String {
    let (width, row, left, top) = (760.0, 56.0, 130.0, 40.0);
    let height = top + row * results.len() as f64 + 50.0;
    let max = results
        .iter()
        .map(|r| r.steady.latency.max)
        .fold(1.0_f64, f64::max);
    let min = results
        .iter()
        .map(|r| r.steady.latency.samples.first().copied().unwrap_or(0.1))
        .fold(f64::MAX, f64::min)
        .max(0.05);
    let (lo, hi) = (
        min.log10().floor(),
        max.log10().ceil().max(min.log10().floor() + 1.0),
    );
    // The right margin leaves room for the figures printed after each row.
    let x = |ms: f64| left + (ms.max(min).log10() - lo) / (hi - lo) * (width - left - 230.0);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="100%" height="100%" fill="white"/><text x="{left}" y="22" font-size="15">Delivery latency (publish to receive), ms, log scale</text>"#
    );
    let mut decade = lo;
    while decade <= hi {
        let value = 10f64.powf(decade);
        let px = x(value);
        let _ = writeln!(
            svg,
            r##"<line x1="{px:.1}" y1="{top}" x2="{px:.1}" y2="{:.1}" stroke="#ddd"/><text x="{px:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
            height - 40.0,
            height - 22.0,
            if value < 1.0 {
                format!("{value}")
            } else {
                format!("{value:.0}")
            }
        );
        decade += 1.0;
    }
    for (i, r) in results.iter().enumerate() {
        let l = &r.steady.latency;
        let cy = top + row * i as f64 + row / 2.0;
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            left - 10.0,
            cy + 4.0,
            r.name
        );
        // The samples as a faint strip, then the box and whiskers.
        for sample in &l.samples {
            let _ = writeln!(
                svg,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#4a7ab5" stroke-opacity="0.08"/>"##,
                x(*sample),
                cy - 16.0,
                cy + 16.0
            );
        }
        let _ = writeln!(
            svg,
            r##"<line x1="{:.1}" y1="{cy:.1}" x2="{:.1}" y2="{cy:.1}" stroke="#333"/>"##,
            x(l.p95),
            x(l.max)
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="20" fill="#9bbbe0" stroke="#333"/>"##,
            x(l.p50),
            cy - 10.0,
            (x(l.p95) - x(l.p50)).max(1.0)
        );
        let _ = writeln!(
            svg,
            r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#b00" stroke-width="2"/>"##,
            x(l.p99),
            cy - 12.0,
            cy + 12.0
        );
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" fill="#333">p50 {:.1} · p99 {:.1} · max {:.1}</text>"##,
            x(l.max) + 6.0,
            cy + 4.0,
            l.p50,
            l.p99,
            l.max
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="{:.1}" fill="#555" font-size="12">box: p50 to p95 · red: p99 · line: to max · strip: samples</text>"##,
        height - 6.0
    );
    svg.push_str("</svg>\n");
    svg
}
