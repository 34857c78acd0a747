"""The Dutch words a kept search phrase may consist of (the privacy rule of the usage figures).

wordfreq is pinned and already gives the site its search lexicon (`site/search.py`). Here only the common
words count (`policy.USAGE_MIN_ZIPF`): the full list holds surnames and place names too.
"""

from __future__ import annotations

import functools

from ..policy import USAGE_MIN_ZIPF
from .synonyms import fold


@functools.cache
def common_dutch_words() -> frozenset[str]:
    """Folded Dutch words at least as common as `USAGE_MIN_ZIPF` (about 29,000 words; loaded once, ~0.3 s)."""
    import wordfreq  # imported here: loading its data takes a moment and only usage files need it

    minimum = 10 ** (USAGE_MIN_ZIPF - 9)  # Zipf = log10(frequency per word) + 9
    frequencies = wordfreq.get_frequency_dict("nl", wordlist="large")
    return frozenset(fold(word) for word, frequency in frequencies.items() if frequency >= minimum)
