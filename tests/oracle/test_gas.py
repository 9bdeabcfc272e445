"""Gas budgets: an update() transaction <= 50,000 gas in steady state (21,000 base included) and a pricing read
<= 10,000 execution gas as the first read of a transaction (storage cold), at strikes where the realized floor
binds and where it does not."""

from __future__ import annotations

from oracle_env import PARAMS, WAD, at, refresh_spot

UPDATE_TX_BUDGET = 50_000
READ_BUDGET = 10_000


def test_update_transaction_within_budget(chain, feed, oracle, deployer):
    t = chain.pending_timestamp + 10
    for i in range(3):
        at(chain, t)
        feed.setAnswer((2_000 + 7 * i) * 10**8, sender=deployer)
        at(chain, t + 1)
        receipt = oracle.update(sender=deployer)
        assert receipt.events[0].observedAt == t
        assert receipt.gas_used <= UPDATE_TX_BUDGET, receipt.gas_used
        t += 600


def test_reads_within_budget(chain, feed, oracle, deployer, keeper, probe):
    t = refresh_spot(chain, feed, oracle, deployer, chain.pending_timestamp + 10) + 1
    expiry = t + 30 * 86_400
    at(chain, t)
    oracle.postSurface(expiry, 6 * 10**17, -3 * 10**17, sender=keeper)
    floor = PARAMS.realizedFloorRatio * oracle.realizedVol() // WAD
    floor_bound = surface_bound = False
    for strike_usd in (500, 2_000, 2_600, 4_000):
        vol, gas = probe.measureImpliedVol(oracle, expiry, strike_usd * WAD)
        assert vol == oracle.impliedVol(expiry, strike_usd * WAD)
        assert gas <= READ_BUDGET, (strike_usd, gas)
        floor_bound |= vol == floor
        surface_bound |= vol > floor
        vol, gas = probe.measureSmoothedImpliedVol(oracle, expiry, strike_usd * WAD)
        assert vol == oracle.smoothedImpliedVol(expiry, strike_usd * WAD)
        assert gas <= READ_BUDGET, ("smoothed", strike_usd, gas)
    assert floor_bound and surface_bound
    spot, gas = probe.measureSpotPrice(oracle)
    assert spot == oracle.spotPrice()[0] == 2_000 * WAD
    assert gas <= READ_BUDGET, gas
    realized, gas = probe.measureRealizedVol(oracle)
    assert realized == oracle.realizedVol()
    assert gas <= READ_BUDGET, gas


def test_smoothed_read_within_budget_while_smoothing(chain, feed, oracle, deployer, keeper, probe):
    """The smoothed read while the smoothed pair is between two posts (nonzero decay, nonzero gap), as
    valuation and liquidation read it."""
    t = refresh_spot(chain, feed, oracle, deployer, chain.pending_timestamp + 10) + 1
    expiry = t + 30 * 86_400
    at(chain, t)
    oracle.postSurface(expiry, 6 * 10**17, -3 * 10**17, sender=keeper)
    t += PARAMS.minPostInterval
    at(chain, t)
    oracle.postSurface(expiry, 6 * 10**17 + PARAMS.maxAtmChangePerPost, -2 * 10**17, sender=keeper)
    for elapsed in (1, 60, PARAMS.smoothingHalfLife):
        t = refresh_spot(chain, feed, oracle, deployer, t + elapsed) + 1
        chain.mine(timestamp=t)
        view = oracle.surface(expiry)
        assert view.smoothedAtmVol != view.atmVol
        for strike_usd in (500, 2_000, 2_600, 4_000):
            vol, gas = probe.measureSmoothedImpliedVol(oracle, expiry, strike_usd * WAD)
            assert vol == oracle.smoothedImpliedVol(expiry, strike_usd * WAD)
            assert gas <= READ_BUDGET, (elapsed, strike_usd, gas)


def test_reads_as_transactions_within_budget(chain, feed, oracle, deployer, keeper):
    """The same budget by the other measure: a read sent as a transaction, minus the 21,000 base and the
    calldata (the oracle is the transaction's target, so its account is warm and its storage cold)."""
    t = refresh_spot(chain, feed, oracle, deployer, chain.pending_timestamp + 10) + 1
    expiry = t + 30 * 86_400
    at(chain, t)
    oracle.postSurface(expiry, 6 * 10**17, -3 * 10**17, sender=keeper)
    reads = (
        (oracle.impliedVol, (expiry, 2_600 * WAD)),
        (oracle.smoothedImpliedVol, (expiry, 2_600 * WAD)),
        (oracle.spotPrice, ()),
        (oracle.realizedVol, ()),
    )
    for handler, args in reads:
        receipt = handler.transact(*args, sender=deployer)
        calldata = bytes(handler.as_transaction(*args).data)
        execution = receipt.gas_used - 21_000 - sum(16 if b else 4 for b in calldata)
        assert execution <= READ_BUDGET, (handler, execution)
