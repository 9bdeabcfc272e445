"""Chain-free model of the hedged option book: Black-Scholes greeks, price paths, PnL attribution and a
vectorised backtester that drives the same hedging policies the keeper uses."""
