"""Talking to another WHMCS (a real one, or another mockwhmcs): import, record, compare."""
