"""Readers: the only stage that turns content files into records."""
