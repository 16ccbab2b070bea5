"""Medians of wrk runs (files wrk.<variant>.<round> in a directory, with the gateway's CPU ticks during each
run in cpu.<variant>.<round>) and the ratios load.sh reports."""
import glob
import os
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def latency_ms(text, percentile):
    match = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % percentile, text, re.M)
    return float(match.group(1)) * UNITS[match.group(2)]


def gateway_cpu_us_per_request(wrk_path, text, ticks_per_second):
    """The gateway's CPU time per request in one run: steadier than throughput when the cores are shared."""
    directory, wrk_file = os.path.split(wrk_path)
    ticks = int(open(os.path.join(directory, "cpu" + wrk_file[len("wrk"):])).read())
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return ticks * 1e6 / ticks_per_second / requests


def main(directory, ticks_per_second, variants):
    rows = {}
    for name in variants:
        paths = sorted(glob.glob("%s/wrk.%s.*" % (directory, name)))
        runs = [open(path).read() for path in paths]
        rps = [float(re.search(r"Requests/sec:\s+([\d.]+)", run).group(1)) for run in runs]
        cpu = [gateway_cpu_us_per_request(path, run, ticks_per_second) for path, run in zip(paths, runs)]
        errors = sum(1 for run in runs if "Non-2xx" in run or "Socket errors" in run)
        rows[name] = (statistics.median(rps), statistics.median(latency_ms(r, 50) for r in runs),
                      statistics.median(latency_ms(r, 99) for r in runs), len(runs), min(rps), max(rps), errors,
                      statistics.median(cpu))
    print("%-10s %10s %10s %10s %6s %19s %16s" % ("variant", "req/s", "p50 ms", "p99 ms", "runs", "req/s min..max",
                                                  "gateway CPU us"))
    for name, (rps, p50, p99, runs, low, high, errors, cpu) in rows.items():
        print("%-10s %10.0f %10.2f %10.2f %6d %9.0f..%-9.0f %16s%s" % (
            name, rps, p50, p99, runs, low, high, "-" if name == "direct" else "%.1f" % cpu,
            "  (runs with errors: %d)" % errors if errors else ""))
    for wasm in ("wasm-c", "wasm-as", "wasm-body"):
        if wasm in rows:
            for base in ("java", "plain"):
                if base in rows:
                    print("%s / %s throughput: %.3f, gateway CPU per request: %+.1f us" % (
                        wasm, base, rows[wasm][0] / rows[base][0], rows[wasm][7] - rows[base][7]))
    if "wasm-c" in rows and "java" in rows:
        ratio = rows["wasm-c"][0] / rows["java"][0]
        print("target wasm-c >= 95%% of java: %s (%.1f%%)" % ("met" if ratio >= 0.95 else "NOT met", 100 * ratio))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
