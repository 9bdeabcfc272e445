"""From successive readings of the simulated market (chain or model) to report step records.

The on-chain simulator reads the protocol once per step, after the keeper's hedge, into a `Reading`,
and hands consecutive readings to `StepBuilder.add`, which returns the `StepRecord` for the report with
the PnL since the previous reading split by `hedgekeeper.model.attribution.attribute_step`:
greeks and hedge from the previous reading (they are what the pool held over the step), the spot and
implied-vol moves between the readings, and the money flows as differences of cumulative counters
(premium edge and fees, hedge trading costs, funding, interest), which the chain exposes through
events. Options written or closed during a step are priced in through `premium`; what they do within
the step itself lands in `residual`.

Units: as in hedgekeeper.sim.report (seconds, quote per unit, units of underlying, quote)."""

from __future__ import annotations

from dataclasses import dataclass

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.model.attribution import attribute_step
from hedgekeeper.sim.report import StepRecord

SECONDS_PER_YEAR = 365.0 * 86_400.0


class StepError(HedgekeeperError):
    """Readings arrive out of order or with counters going backwards."""


@dataclass(frozen=True)
class Reading:
    """The simulated market after a step's hedge. Greeks are the pool's book (signed, position-weighted);
    cumulative counters only grow (costs and funding as signed money: paid < 0)."""

    timestamp: float  # seconds
    index_price: float
    mark: float
    spot: float
    implied_vol: float  # per year
    options_delta: float
    options_gamma: float
    options_vega: float
    options_theta: float  # per year
    net_delta_before: float  # options + hedge, just before this step's hedge trade
    hedge_position: float  # after this step's hedge trade
    nav: float  # pool NAV, quote
    lp_share_price: float  # quote per LP share
    cum_premium: float = 0.0  # premium and fees received minus model value of the options written
    cum_hedge_cost: float = 0.0  # trading costs of the hedge (<= 0)
    cum_funding: float = 0.0  # funding received (+) or paid (-)
    cum_carry: float = 0.0  # interest on cash
    cum_option_liquidations: int = 0
    cum_perp_liquidations: int = 0

    @property
    def net_delta_after(self) -> float:
        return self.options_delta + self.hedge_position


class StepBuilder:
    """Turns readings, one per step in time order, into report records (the first has zero PnL)."""

    def __init__(self) -> None:
        self._prev: Reading | None = None
        self._step = 0

    def add(self, r: Reading) -> StepRecord:
        p = self._prev
        if p is None:
            pnl = {name: 0.0 for name in ("delta", "gamma", "theta", "vega", "premium", "hedge_cost", "funding", "carry", "residual")}
            liq_o, liq_p = r.cum_option_liquidations, r.cum_perp_liquidations
        else:
            if r.timestamp <= p.timestamp:
                raise StepError(f"reading at {r.timestamp:g} s does not follow the previous one at {p.timestamp:g} s")
            liq_o = r.cum_option_liquidations - p.cum_option_liquidations
            liq_p = r.cum_perp_liquidations - p.cum_perp_liquidations
            if liq_o < 0 or liq_p < 0:
                raise StepError(f"liquidation counters went backwards at {r.timestamp:g} s")
            parts = attribute_step(
                nav_before=p.nav, nav_after=r.nav, spot_before=p.spot, spot_after=r.spot, vol_before=p.implied_vol,
                vol_after=r.implied_vol, dt_years=(r.timestamp - p.timestamp) / SECONDS_PER_YEAR,
                options_delta=p.options_delta, options_gamma=p.options_gamma, options_vega=p.options_vega,
                options_theta=p.options_theta, hedge_size=p.hedge_position, premium=r.cum_premium - p.cum_premium,
                hedge_cost=r.cum_hedge_cost - p.cum_hedge_cost, funding=r.cum_funding - p.cum_funding, carry=r.cum_carry - p.cum_carry,
            )
            pnl = {k: float(v) for k, v in parts.items() if k != "total"}
        record = StepRecord(
            step=self._step, time=r.timestamp, index_price=r.index_price, mark=r.mark, spot=r.spot,
            net_delta_before=r.net_delta_before, net_delta_after=r.net_delta_after, hedge_position=r.hedge_position,
            nav=r.nav, lp_share_price=r.lp_share_price, pnl=pnl, option_liquidations=int(liq_o), perp_liquidations=int(liq_p),
        )
        self._prev = r
        self._step += 1
        return record
