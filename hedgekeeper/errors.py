"""The package's exceptions. Every error the package raises on purpose derives from `HedgekeeperError`,
so the command line can print it as one clear line."""


class HedgekeeperError(Exception):
    """Base class of every error raised on purpose by hedgekeeper."""


class ToolchainError(HedgekeeperError):
    """A required tool (anvil, the compiler, node) is missing or unusable."""


class ChainError(HedgekeeperError):
    """The local chain could not be started or reached."""


class DeploymentError(HedgekeeperError):
    """A deployment file is missing, malformed or belongs to another chain."""


class ConfigError(HedgekeeperError):
    """Settings are invalid."""
