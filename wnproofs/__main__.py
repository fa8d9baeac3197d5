"""`python -m wnproofs` is the `wnproofs` command."""

from .cli import main

raise SystemExit(main())
