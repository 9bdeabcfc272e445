"""Gas of the pricing library (NormalDist, BlackScholes), measured inside PricingHarness as the gasleft()
difference around the internal call: the mean over representative inputs and the maximum."""

from __future__ import annotations

from typing import Any

from hedgekeeper.benchmarks.pricing_reference import WAD, sample_domain


def _cdf_inputs() -> list[int]:
    """x from -6 to 6 in steps of 0.05: both the central polynomial and the tail continued fraction."""
    return [i * WAD // 20 for i in range(-120, 121)]


def measure(project: Any, accounts: Any) -> dict[str, int]:
    harness = accounts[0].deploy(project.PricingHarness)
    xs = _cdf_inputs()
    cdf = [int(g) for g in harness.gasCdfBatch(xs)]
    pdf = [int(g) for g in harness.gasPdfBatch(xs)]
    points = sample_domain(200, seed=1)
    columns = [[getattr(p, f) for p in points] for f in ("spot", "strike", "tau", "vol", "rate")]
    quote = [int(g) for g in harness.gasQuoteBatch(*columns)]
    return {
        "pricing.normal_cdf.internal": sum(cdf) // len(cdf),
        "pricing.normal_cdf.internal_max": max(cdf),
        "pricing.normal_pdf.internal": sum(pdf) // len(pdf),
        "pricing.normal_pdf.internal_max": max(pdf),
        "pricing.black_scholes_quote.internal": sum(quote) // len(quote),
        "pricing.black_scholes_quote.internal_max": max(quote),
    }
