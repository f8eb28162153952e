"""Settings for bench/pack_load.py: bench/public_load.py's (production's, with a floor
page) and a signed-in floor page."""

from bench.public_load_site import *  # noqa: F403

ROOT_URLCONF = "bench.pack_load_urls"
