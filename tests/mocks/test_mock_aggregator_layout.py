"""The MockAggregator keeps Chainlink's packed latest-round layout: values beyond 192-bit answers or 64-bit
timestamps are rejected with OpenZeppelin's SafeCast errors and leave the feed unchanged."""

import ape


def test_feed_rejects_answers_and_timestamps_it_cannot_pack(project, deployer):
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    too_big = 2**191
    with ape.reverts(feed.SafeCastOverflowedIntDowncast, bits=192, value=too_big):
        feed.setAnswer(too_big, sender=deployer)
    with ape.reverts(feed.SafeCastOverflowedUintDowncast, bits=64, value=2**64):
        feed.setAnswerAt(2_100 * 10**8, 2**64, sender=deployer)
    round_id, answer, _, updated_at, _ = feed.latestRoundData()
    assert (round_id, answer) == (1, 2_000 * 10**8)
    feed.setAnswerAt(2**191 - 1, 2**64 - 1, sender=deployer)
    assert feed.latestRoundData()[1] == 2**191 - 1
    assert feed.latestRoundData()[3] == 2**64 - 1
