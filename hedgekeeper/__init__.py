"""hedgekeeper: an on-chain options AMM, its perp-DEX hedge venue, the keeper that hedges it, and a simulator."""

from hedgekeeper.errors import HedgekeeperError

__all__ = ["HedgekeeperError"]
__version__ = "0.1.0"
