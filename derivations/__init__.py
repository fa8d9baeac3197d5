"""SymPy derivations of THEORY.md, one module per topic, installed as ``wnproofs.derivations``.

Every module here is imported by :func:`wnproofs.registry.load_plugins`; a module adds
derivations with the :func:`wnproofs.registry.derivation` decorator.
"""
