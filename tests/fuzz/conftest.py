"""Hypothesis profiles for the fuzz tests.

    pytest tests/fuzz                                   # "ci": 300 examples per test, the same each run
    HYPOTHESIS_PROFILE=long pytest tests/fuzz -n auto   # "long": 12,000 per test, over 100,000 in all

(The fifteen actions share their test's budget: a third of it each.)

Add ``--hypothesis-show-statistics`` to see how many inputs each test tried.
"""

import os

from hypothesis import HealthCheck, settings

# Examples are big on purpose (200 KB values, 300-deep names): the health checks that flag slow or
# large data generation would only get in the way.
_HOSTILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                                        HealthCheck.large_base_example]}
# CI tries the same inputs every run, so that the suite stays green or red for a reason; a long run
# draws new ones every time.
settings.register_profile("ci", max_examples=300, derandomize=True, **_HOSTILE)
settings.register_profile("long", max_examples=12_000, **_HOSTILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
