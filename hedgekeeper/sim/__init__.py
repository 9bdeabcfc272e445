"""Simulation scenarios (price paths) and the report writer, shared by the model backtest and the
on-chain simulator."""
