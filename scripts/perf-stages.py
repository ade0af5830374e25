#!/usr/bin/env python3
"""Where a claim's CPU goes, by stage: the per-claim cost table of PERFORMANCE.md.

Reads the flat profile of an end-to-end run and adds each symbol's share to the stage its
name belongs to (the first pattern that matches), then turns the shares into microseconds
of CPU per claim.

    cargo build --release -p kongtun-cli
    perf record -F 2000 -o /tmp/perf.data target/release/kongtun evaluate --rules rules \\
        --as-of 2025-10-15 --format json /tmp/claims-1m.jsonl > /dev/null
    perf report -i /tmp/perf.data --no-children --sort sym --stdio > /tmp/perf.txt
    scripts/perf-stages.py /tmp/perf.txt 8.1     # 8.1: µs of CPU per claim (user + sys / claims)

A sampling profile: each figure is good to about ±0.1 µs at 20,000 samples.
"""

import re
import sys

# Order matters: a symbol counts in the first stage whose pattern it matches.
STAGES = [
    ("reading (kernel copies, line ends, UTF-8 check)",
     r"_copy_to_iter|memchr|from_utf8|kongtun_cli::input|\[k\] (?!.*(write|pipe))"),
    ("the duplicate-id check", r"duplicates|sip::Hasher"),
    ("rendering the JSON record", r"outcome::json|itoa|kongtun_core::outcome::(?!Outcome::clear)"),
    ("evaluating", r"kongtun_rules|Line::charged|Money::times|exact_scaled|Outcome::clear"),
    ("parsing into Claim",
     r"serde|kongtun_core::claim|kongtun_core::decimal|ExactDecimal|Money::new|FundId|split_date|"
     r"from_ymd|document::|trim_matches|CharSearcher|parse_|rust_decimal|calendar|chrono"),
    ("freeing records", r"drop_in_place|mi_free|free"),
    ("allocating", r"mi_|malloc"),
    ("copying", r"memmove|memcpy|memcmp|clear_page"),
]
LINE = re.compile(r"\s*([\d.]+)%\s+\[(.)\]\s+(.*)")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    report, cpu_per_claim = sys.argv[1], float(sys.argv[2])
    shares = {name: 0.0 for name, _ in STAGES}
    other = 0.0
    with open(report, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            share, symbol = float(m.group(1)), f"[{m.group(2)}] {m.group(3)}"
            stage = next((name for name, pattern in STAGES if re.search(pattern, symbol)), None)
            if stage is None:
                other += share
            else:
                shares[stage] += share
    for name, share in [*shares.items(), ("other", other)]:
        print(f"{name:50s} {share:6.2f}%  {share * cpu_per_claim / 100:5.2f} µs")


if __name__ == "__main__":
    main()
