"""scholarpages: a static site generator for researcher pages."""

__version__ = "0.1.0"
