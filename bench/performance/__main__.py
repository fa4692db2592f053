"""``python -m bench.performance``: see ``bench.performance.cli``."""

from bench.performance.cli import main

raise SystemExit(main())
