"""Structured logs (structlog) to stderr: key=value for people, JSON lines for machines."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog


def configure_logging(json_lines: bool = False, level: str = "info") -> None:
    renderer: Any = structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper(), logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger() -> Any:
    return structlog.get_logger("hedgekeeper.keeper")
