"""The hedging keeper's runtime: settings, chain reader, executor with nonce manager and journal, the
cycle loop, metrics and status view. The decisions themselves are pure and live in hedgekeeper.strategy."""
