"""Realized variance: the EWMA against an independent mpmath computation on a price path, the per-update
manipulation bound under a one-block price spike, once-per-block updates, and bad feed answers."""

from __future__ import annotations

import ape
import mpmath as mp
import numpy as np
import pytest
from eth_abi import encode
from eth_utils import keccak

from oracle_env import (
    FEED_DECIMALS,
    INITIAL_REALIZED_VOL,
    MAX_SPOT_AGE,
    PARAMS,
    WAD,
    answer,
    at,
    deploy_oracle,
)
from oracle_reference import ewma_variance

H = PARAMS.realizedHalfLife
VMAX = mp.mpf(PARAMS.maxRealizedVol) / WAD


def _state(oracle):
    """(last price, its feed time, realized vol, block of the last fold)."""
    price, observed_at, vol, block = oracle.realizedState()
    return int(price), int(observed_at), int(vol), int(block)


def _variance(vol_wad: int) -> mp.mpf:
    return (mp.mpf(vol_wad) / WAD) ** 2


def _post_and_update(chain, feed, oracle, deployer, t: int, price_answer: int):
    """The feed posts `price_answer` at time t; update() is mined one second later."""
    at(chain, t)
    feed.setAnswer(price_answer, sender=deployer)
    at(chain, t + 1)
    return oracle.update(sender=deployer)


def test_ewma_matches_reference_on_a_price_path(chain, feed, oracle, deployer):
    rng = np.random.default_rng(20261121)
    _, t, vol0, _ = _state(oracle)
    observations = [(t, int(feed.latestRoundData()[1]))]
    log_price = float(np.log(observations[0][1]))
    clamped_seen = False
    on_chain = []
    for step in range(36):
        dt = int(rng.integers(30, 6 * 3_600))
        t += dt
        shock = 0.9 * np.sqrt(dt / (365 * 86_400)) * rng.standard_normal()
        if step in (11, 25):  # jumps large enough for the clamp to bind
            shock = 0.12 if step == 11 else -0.2
        log_price += shock
        price_answer = int(round(np.exp(log_price)))
        receipt = _post_and_update(chain, feed, oracle, deployer, t, price_answer)
        event = receipt.events[0]
        clamped_seen |= bool(event.clamped)
        observations.append((t, price_answer))
        on_chain.append(_state(oracle)[2])
    reference = ewma_variance(observations, _variance(vol0), H, VMAX)
    assert clamped_seen
    for got, want in zip(on_chain, reference):
        assert abs(mp.mpf(got) / WAD - mp.sqrt(want)) <= mp.sqrt(want) * mp.mpf("1e-12")
    assert oracle.realizedVol() == on_chain[-1]


@pytest.mark.parametrize("factor", [2, 0.5])
def test_single_block_spike_moves_vol_by_at_most_the_bound(chain, feed, oracle, deployer, factor):
    """The feed jumps x2 (or x0.5) for one block then returns; each update can move the variance by at most
    (1 - 2^(-dt/H)) * maxRealizedVol^2, so the vol moves by at most the bound computed from the parameters."""
    _, t, _, _ = _state(oracle)
    # a quiet hour of honest updates every ten minutes
    for _ in range(6):
        t += 600
        _post_and_update(chain, feed, oracle, deployer, t, answer(2_000))
    _, t0, vol0, _ = _state(oracle)
    # attack: x2 for one block, then back
    spike = _post_and_update(chain, feed, oracle, deployer, t0 + 600, answer(2_000 * factor))
    _, t1, vol1, _ = _state(oracle)
    back = _post_and_update(chain, feed, oracle, deployer, t1 + 12, answer(2_000))
    _, t2, vol2, _ = _state(oracle)
    assert spike.events[0].clamped and back.events[0].clamped

    cap = VMAX**2
    w1 = 1 - mp.power(2, -mp.mpf(t1 - t0) / H)
    w2 = 1 - mp.power(2, -mp.mpf(t2 - t1) / H)
    v0, v1, v2 = _variance(vol0), _variance(vol1), _variance(vol2)
    # per-update bound on the variance, then on the vol after both updates
    bound1 = w1 * cap
    bound2 = w2 * cap
    assert v1 - v0 <= bound1 * (1 + mp.mpf("1e-12"))
    assert abs(v2 - v1) <= bound2 * (1 + mp.mpf("1e-12"))
    vol_bound = mp.sqrt(v0 + bound1 + bound2) - mp.sqrt(v0)
    moved = mp.mpf(vol2 - vol0) / WAD
    assert 0 < moved <= vol_bound
    # without the clamp the same two observations would have pushed the vol far beyond the bound
    unclamped = ewma_variance([(t0, 1), (t1, factor), (t2, 1)], v0, H, mp.mpf(10) ** 9)
    assert mp.sqrt(unclamped[-1]) - mp.sqrt(v0) > 10 * vol_bound
    # and the pricing floor moves by at most realizedFloorRatio times that
    assert PARAMS.realizedFloorRatio * vol_bound / WAD < mp.mpf("0.15")


def test_update_without_new_round_is_a_noop(chain, feed, oracle, deployer):
    before = _state(oracle)
    receipt = oracle.update(sender=deployer)
    assert not receipt.failed
    assert len(receipt.events) == 0
    assert _state(oracle) == before


def test_backdated_round_is_not_folded(chain, feed, oracle, deployer):
    before = _state(oracle)
    feed.setAnswerAt(answer(2_500), before[1] - 10, sender=deployer)
    oracle.update(sender=deployer)
    assert _state(oracle) == before


def test_second_update_in_a_block_reverts(chain, feed, oracle, probe, deployer):
    _, t, _, _ = _state(oracle)
    at(chain, t + 60)
    feed.setAnswer(answer(2_010), sender=deployer)
    at(chain, t + 61)
    receipt = probe.updateTwice(oracle, sender=deployer)
    event = receipt.events[-1]
    selector = keccak(text="AlreadyUpdatedThisBlock(uint256)")[:4]
    assert event.reverted
    assert bytes(event.data) == selector + encode(["uint256"], [receipt.block_number])
    price, observed_at, _, block = _state(oracle)
    assert (price, observed_at, block) == (2_010 * WAD, t + 60, receipt.block_number)


def test_update_rejects_future_dated_round(chain, feed, oracle, deployer):
    before = _state(oracle)
    future = chain.pending_timestamp + 1_000
    feed.setAnswerAt(answer(2_100), future, sender=deployer)
    with ape.reverts(oracle.FeedTimestampInFuture, updatedAt=future):
        oracle.update(sender=deployer)
    assert _state(oracle) == before


@pytest.fixture(scope="module")
def raw_setup(project, deployer, chain):
    raw = deployer.deploy(project.RawAggregator, FEED_DECIMALS)
    raw.set(answer(2_000), chain.pending_timestamp - 5, sender=deployer)
    return raw, deploy_oracle(project, deployer, raw)


@pytest.mark.parametrize("bad", [0, -answer(1)])
def test_update_and_spot_reject_non_positive_answers(chain, raw_setup, deployer, bad):
    raw, oracle = raw_setup
    before = _state(oracle)
    raw.set(bad, chain.pending_timestamp - 1, sender=deployer)
    with ape.reverts(oracle.NonPositivePrice, answer=bad):
        oracle.update(sender=deployer)
    with ape.reverts(oracle.NonPositivePrice, answer=bad):
        oracle.spotPrice()
    assert _state(oracle) == before


def test_update_and_spot_reject_oversized_answers(chain, raw_setup, deployer):
    raw, oracle = raw_setup
    before = _state(oracle)
    huge = (2**128 - 1) // 10**10 + 1
    raw.set(huge, chain.pending_timestamp - 1, sender=deployer)
    with ape.reverts(oracle.PriceTooLarge, answer=huge):
        oracle.update(sender=deployer)
    with ape.reverts(oracle.PriceTooLarge, answer=huge):
        oracle.spotPrice()
    assert _state(oracle) == before


def test_spot_price_is_wad_and_goes_stale(chain, feed, oracle, deployer):
    at(chain, chain.pending_timestamp)
    receipt = feed.setAnswer(answer(1_987.654321), sender=deployer)
    stamp = chain.blocks[receipt.block_number].timestamp
    spot, updated_at = oracle.spotPrice()
    assert (spot, updated_at) == (198_765_432_100 * 10**10, stamp)
    chain.mine(timestamp=stamp + MAX_SPOT_AGE)
    assert oracle.spotPrice()[0] == spot
    chain.mine(timestamp=stamp + MAX_SPOT_AGE + 1)
    with ape.reverts(oracle.StaleSpot, updatedAt=stamp, maxAge=MAX_SPOT_AGE):
        oracle.spotPrice()


def test_spot_price_rejects_future_dated_round(chain, feed, oracle, deployer):
    future = chain.pending_timestamp + 100
    feed.setAnswerAt(answer(2_000), future, sender=deployer)
    with ape.reverts(oracle.FeedTimestampInFuture, updatedAt=future):
        oracle.spotPrice()


def test_initial_state(oracle, feed):
    price, observed_at, vol, _ = _state(oracle)
    assert price == 2_000 * WAD
    assert observed_at == feed.latestRoundData()[3]
    assert vol == oracle.realizedVol() == INITIAL_REALIZED_VOL
