"""Self-tests shipped with wnproofs: a quick subset of the toolkit's own property tests.

They run against the installed package, so a user can check an environment (NumPy, SciPy,
SymPy, mpmath, python-flint versions, installed plugins) before trusting its verdicts::

    wnproofs selftest              # or: python -m pytest --pyargs wnproofs

Each test draws its examples with the derandomized profile (``wnproofs.testing``), so a
run is the same on every machine; each compares two independent routes and has a planted
twin that must fail.  The full suite lives in the repository's ``tests/``.
"""
