"""jifen (积分): a command-line ledger for community volunteer points."""

__version__ = "0.1.0"
