"""The plugin's tests run pytest inside pytest (pytester). An inline run forgets every module it
imported, so the heavy ones are imported here, once, instead of again in every run."""

import hypothesis  # noqa: F401  (its pytest plugin imports it at the end of each run)

import mockwhmcs.mock  # noqa: F401
