"""Settings for bench/public_load.py: production's, with a trivial floor page beside the app.

Not for serving anything but the benchmark: HTTPS redirects stay off (the script sets
SECURE_SSL_REDIRECT=false) because wrk speaks plain HTTP on loopback.
"""

from sendplan.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.public_load_urls"
