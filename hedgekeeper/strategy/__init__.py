"""Pure decision code: snapshots in, typed actions out. No I/O anywhere in this package."""
