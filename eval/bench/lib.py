"""Shared setup and helpers of the eval/bench*.py scripts (benchmarks, never timed unit tests).

Importing this module pins the BLAS/OpenMP pools to the machine's 2 cores, so import it before numpy,
faiss or torch. It holds what every benchmark needs: the load average (the machine is shared, so every
figure carries it), percentiles and ratios, a per-stage clock that wraps the objects the app calls,
RSS and peak-RSS readings per stage, the noisy-copy stand-in vectors, machine facts, and the result
rows printed as one rich table and written as JSON.
"""

from __future__ import annotations

import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CORES = 2
# Thread pools size themselves when numpy/torch/faiss load, so these must be set before that.
os.environ.setdefault("OMP_NUM_THREADS", str(CORES))
os.environ.setdefault("MKL_NUM_THREADS", str(CORES))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "eval" / "reports"
DIM = 384  # multilingual-e5-small


def loadavg() -> tuple[float, float, float]:
    return os.getloadavg()


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*loadavg())


def pct(xs: Sequence[float], q: float) -> float:
    """The q-th percentile (linear interpolation, numpy's default); 0.0 for no data."""
    if not xs:
        return 0.0
    s = sorted(xs)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary(ms: Sequence[float]) -> dict[str, float]:
    return {"p50": pct(ms, 50), "p95": pct(ms, 95), "mean": sum(ms) / len(ms) if ms else 0.0, "n": len(ms)}


def speedup(baseline: float | None, ours: float | None, higher_is_better: bool) -> float | None:
    """How many times better ours is than the baseline (> 1: ours wins), for rates or for times."""
    if baseline is None or ours is None or baseline <= 0 or ours <= 0:
        return None
    return ours / baseline if higher_is_better else baseline / ours


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def per_call_ms(fn: Callable[[Any], Any], args: Sequence[Any], budget_s: float | None = None) -> list[float]:
    """Milliseconds of fn(a) for each a, stopping early once `budget_s` is spent (slow baselines)."""
    out: list[float] = []
    start = time.perf_counter()
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t0) * 1000)
        if budget_s is not None and time.perf_counter() - start > budget_s and len(out) >= 3:
            break
    return out


class StageClock:
    """Accumulates time spent in wrapped methods while `active` (e.g. inside Pipeline.search), so a
    benchmark times the objects the shipped code path calls instead of a copy of that path."""

    def __init__(self) -> None:
        self.acc: dict[str, float] = defaultdict(float)
        self.active = False
        self._wrapped: list[tuple[Any, str]] = []

    def wrap(self, obj: Any, method: str, stage: str) -> None:
        inner: Callable[..., Any] = getattr(obj, method)

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return inner(*args, **kwargs)
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.acc[stage] += time.perf_counter() - t0

        setattr(obj, method, timed_call)  # an instance attribute shadows the method for this object only
        self._wrapped.append((obj, method))

    def restore(self) -> None:
        """Remove the wrappers (shared objects such as the cached embedder outlive one benchmark)."""
        for obj, method in reversed(self._wrapped):
            if method in vars(obj):
                delattr(obj, method)
        self._wrapped.clear()


# -- memory ---------------------------------------------------------------------------------------

def _status_kb(field_name: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return kb / 1024 if kb is not None else peak_mb()


def peak_mb() -> float:
    """Peak RSS since the last reset_peak() (Linux VmHWM), else since the process started."""
    kb = _status_kb("VmHWM")
    if kb is None:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def reset_peak() -> bool:
    """Writing 5 to clear_refs resets VmHWM to the current RSS, so each stage gets its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@dataclass
class Span:
    seconds: float = 0.0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    peak_mb: float = 0.0
    load: str = ""

    @property
    def peak_delta_mb(self) -> float:
        """Memory the stage needed on top of what the process held when it started."""
        return self.peak_mb - self.rss_before_mb


@contextmanager
def span() -> Iterator[Span]:
    """Wall time, RSS before/after and the stage's own peak RSS of the block."""
    s = Span(rss_before_mb=rss_mb())
    reset_peak()
    t0 = time.perf_counter()
    try:
        yield s
    finally:
        s.seconds = time.perf_counter() - t0
        s.rss_after_mb = rss_mb()
        s.peak_mb = max(peak_mb(), s.rss_after_mb)
        s.load = load()


# -- vectors --------------------------------------------------------------------------------------

def unit(rng: Any, n: int, dim: int = DIM) -> Any:
    """n random L2-normalised float32 vectors."""
    x = rng.standard_normal((n, dim), dtype="float32")
    return x / (x * x).sum(axis=1, keepdims=True) ** 0.5


def noisy_copies(src: Any, noise: float, rng: Any) -> Any:
    """Normalised copies of the rows of `src` with per-dimension Gaussian noise: cosine to the source
    ≈ 1/sqrt(1 + noise² · dim) (0.95 at noise 0.017, dim 384). A stand-in for near-duplicate letters."""
    copies = src + noise * rng.standard_normal(src.shape, dtype="float32")
    return copies / (copies * copies).sum(axis=1, keepdims=True) ** 0.5


def augment(base: Any, n: int, noise: float, rng: Any) -> Any:
    """base followed by noisy copies of its rows (cycling through them) up to n rows."""
    import numpy as np

    src = base[np.arange(n - len(base)) % len(base)]
    return np.concatenate([base, noisy_copies(src, noise, rng)])


def real_vectors(index_dir: Path) -> Any:
    """The chunk vectors of a built index (flat and HNSW-flat both store them)."""
    from rag.index import generation as index_mod

    gen = index_mod.load(index_dir, None)
    return gen.dense.index.reconstruct_n(0, gen.dense.index.ntotal)


def topk(scores: Any, k: int) -> Any:
    """Rows of the k highest scores, best first (ties in row order): what a brute-force search returns."""
    import numpy as np

    k = min(k, len(scores))
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.argsort(-scores[idx], kind="stable")]


def recall_at(approx: Sequence[Sequence[int]], exact: Sequence[Sequence[int]], k: int = 10) -> float:
    """Mean share of the exact top k that the approximate top k finds (pairs with an empty exact list skipped)."""
    pairs = [(set(a[:k]), set(e[:k])) for a, e in zip(approx, exact, strict=False) if e[:k]]
    return sum(len(a & e) / len(e) for a, e in pairs) / len(pairs) if pairs else 1.0


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20 if path.exists() else 0.0


# -- machine --------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    """What the figures were measured on: CPU, cores, RAM, library versions, commit."""
    import importlib.metadata as md
    import subprocess

    cpu = platform.processor() or "?"
    flags: list[str] = []
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name"))
        line = next(ln for ln in info.splitlines() if ln.startswith("flags"))
        flags = sorted({f for f in line.split() if f.startswith(("avx", "fma", "amx")) or "vnni" in f})
    except (OSError, StopIteration):
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for pkg in ("torch", "faiss-cpu", "sentence-transformers", "transformers", "bm25s", "rank-bm25", "numpy",
                "onnxruntime", "optimum", "openvino", "llama_cpp_python"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            continue
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "?"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"), "cpu": cpu, "cpu_flags": flags, "cores": os.cpu_count(),
        "ram_gb": round(mem_gb, 1), "python": platform.python_version(), "versions": versions,
        "threads_env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        "commit": commit,
    }  # fmt: skip


# -- result rows ----------------------------------------------------------------------------------

@dataclass
class Fig:
    """One row of the results table: our figure, the same-run baseline and the ratio between them."""

    section: str
    name: str
    size: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    higher_is_better: bool = True
    p95: float | None = None  # latencies: value is the p50
    baseline_p95: float | None = None
    target: str = ""  # e.g. "≤ 50 ms", "≥ 20x"
    passed: bool | None = None
    note: str = ""
    load: str = field(default_factory=load)  # when the figure was measured (pass it when known)

    @property
    def ratio(self) -> float | None:
        return speedup(self.baseline, self.value, self.higher_is_better)

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio}


def num(x: float | None) -> str:
    """Short human number: 3 significant digits, thousands separators for big ones."""
    if x is None:
        return "—"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if a >= 0.001 else f"{x:.1e}" if x else "0"


def _cell(value: float | None, p95: float | None, unit_: str) -> str:
    body = num(value) if p95 is None else f"{num(value)} / {num(p95)}"
    return f"{body} {unit_}" if value is not None else "—"


def table(figs: Sequence[Fig], title: str, width: int = 230) -> str:
    """The results as a rich table rendered to plain text (printed, and pasteable into a README)."""
    from rich.box import SIMPLE_HEAD
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, box=SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for col, kw in (("section", {}), ("figure", {"max_width": 46}), ("size", {"max_width": 34}),
                    ("ours", {"justify": "right", "no_wrap": True}), ("baseline", {"justify": "right"}),
                    ("ratio", {"justify": "right"}), ("target", {"no_wrap": True}), ("load 1/5/15", {"no_wrap": True}),
                    ("note", {"max_width": 60})):  # fmt: skip
        t.add_column(col, **kw)
    last = None
    for f in figs:
        base = _cell(f.baseline, f.baseline_p95, f.unit) if f.baseline is not None else ""
        if f.baseline_name:
            base = f"{base} {f.baseline_name}" if base else f.baseline_name
        r = f.ratio
        verdict = "" if f.passed is None else (" pass" if f.passed else " MISS")
        t.add_row(f.section if f.section != last else "", f.name, f.size, _cell(f.value, f.p95, f.unit), base,
                  f"{num(r)}x" if r is not None else "", f.target + verdict, f.load.removeprefix("load "), f.note)
        last = f.section
    console = Console(width=width, record=True, color_system=None, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(t)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())
