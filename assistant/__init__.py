"""投诉应对助手: a complaint-reply assistant for bank branches and real-estate after-sales."""

from assistant import offline as _offline  # noqa: F401  (must run before heavy imports)

__version__ = "0.1.0"
