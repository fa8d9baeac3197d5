"""One check per claim of THEORY.md, installed as ``wnproofs.checks``.

Every module here is imported by :func:`wnproofs.registry.load_plugins`; a module adds
checks with the :func:`wnproofs.registry.check` decorator.  A check takes a concrete
:class:`~wnproofs.registry.Instance` and returns a :class:`~wnproofs.registry.CheckResult`
(holds / fails / inconclusive, with the margin bound ÷ observed).
"""
