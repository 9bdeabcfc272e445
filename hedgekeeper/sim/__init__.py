"""The simulator: scenarios (price paths) and the report writer, shared by the model backtest and the
on-chain simulation; the on-chain run itself (`engine`: deployment, agents, keeper, readings), its
transaction path (`sender`), event decoding (`events`), the report with attribution and theory checks
(`run`) and the chain-against-model check (`consistency`)."""
