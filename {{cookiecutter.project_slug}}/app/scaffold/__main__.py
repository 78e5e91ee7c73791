"""`python -m app.scaffold`: see `app.scaffold.cli`."""

import sys

from app.scaffold.cli import main

sys.exit(main())
