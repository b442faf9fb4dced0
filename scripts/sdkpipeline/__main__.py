"""`python -m sdkpipeline`: the same command line as `sdkpipeline`."""

import sys

from .cli import main

sys.exit(main())
