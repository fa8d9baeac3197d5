"""The pytest plugin of wnproofs (entry point ``pytest11``): fixtures for users' own tests.

Installed with wnproofs, pytest loads it by itself (``-p no:wnproofs`` turns it off).

Fixtures
--------
``wnproofs_seed``            the seed (``--wnproofs-seed``, ini ``wnproofs_seed``; default 0).
``wnproofs_datasets``        the built-in data sets (seeded random sphere, adversarial) and the
                             user's (``--wnproofs-data FILE``, repeatable, or ini ``wnproofs_data``;
                             ``--wnproofs-normalize`` to normalise rows), as a list.
``wnproofs_user_datasets``   only the user's data sets (possibly empty).
``wnproofs_dataset``         one data set: a test using it runs once per data set above.
``wnproofs_instance``        an :class:`~wnproofs.plugin.Instance` on that data set (quick mode).
``wnproofs_user_instance``   the same, on the user's data sets only (skipped when none).
``wnproofs_strategies``      the module :mod:`wnproofs.strategies` (Hypothesis strategies).
``wnproofs_data_strategy``   a strategy drawing the data sets above or random ones.
``wnproofs_check``           ``wnproofs_check("L1")`` → the registered checks of a claim
                             (built-in, entry-point plugins, and ``--wnproofs-plugin``).

Hypothesis profiles ``wnproofs-ci`` (derandomized), ``wnproofs-dev`` and ``wnproofs-thorough``
are registered; choose one with ``--hypothesis-profile=wnproofs-ci``.  The assertions live
in :mod:`wnproofs.testing`.

Loading the plugin imports only ``wnproofs`` (NumPy) and Hypothesis; data, checks and
plugins are loaded when a fixture first needs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: Ids of the built-in data sets in parametrized tests.
_BUILTIN = ("sphere", "adversarial")


def pytest_addoption(parser) -> None:
    group = parser.getgroup("wnproofs", "wnproofs: data and plugins for the wnproofs fixtures")
    group.addoption("--wnproofs-data", action="append", default=[], metavar="FILE",
                    help="a data set (.npz with X, y or .csv, last column y) added to the "
                         "wnproofs_dataset / wnproofs_instance fixtures (repeatable)")
    group.addoption("--wnproofs-normalize", action="store_true",
                    help="normalise the rows of --wnproofs-data to unit norm instead of rejecting them")
    group.addoption("--wnproofs-seed", type=int, default=None, metavar="S",
                    help="seed of the built-in data sets and the instances (default 0)")
    group.addoption("--wnproofs-plugin", action="append", default=[], metavar="MODULE_OR_PATH",
                    help="load a wnproofs plugin (module, .py file or folder) for wnproofs_check")
    parser.addini("wnproofs_data", type="paths", default=[],
                  help="data sets for the wnproofs fixtures (paths relative to the ini file)")
    parser.addini("wnproofs_seed", default="0", help="seed of the wnproofs fixtures (default 0)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config) -> None:
    # before Hypothesis' own plugin loads --hypothesis-profile
    from wnproofs.testing import register_profiles

    register_profiles("wnproofs-")
    if _user_paths(config):
        _datasets(config)  # a bad --wnproofs-data file is a usage error now, not in every test


def _seed(config) -> int:
    opt = config.getoption("wnproofs_seed")
    if opt is not None:
        return int(opt)
    try:
        return int(config.getini("wnproofs_seed"))
    except ValueError:
        raise pytest.UsageError(f"ini option wnproofs_seed must be an integer, "
                                f"got {config.getini('wnproofs_seed')!r}") from None


def _user_paths(config) -> list[Path]:
    return [Path(p) for p in config.getoption("wnproofs_data")] + \
        [Path(p) for p in config.getini("wnproofs_data")]


def _user_key(path: Path) -> str:
    return f"user:{path.name}"


_DATA_KEY = pytest.StashKey[dict]()


def _datasets(config) -> dict:
    """id -> Dataset, built once per session (built-in first, then the user's)."""
    cache = config.stash.get(_DATA_KEY, None)
    if cache is not None:
        return cache
    from wnproofs.data import load
    from wnproofs.errors import InputError
    from wnproofs.instances import default_datasets

    out = dict(zip(_BUILTIN, default_datasets(_seed(config))))
    for path in _user_paths(config):
        try:
            ds = load(path, normalize=config.getoption("wnproofs_normalize"))
        except InputError as exc:
            raise pytest.UsageError(f"--wnproofs-data {path}: {exc}") from None
        key = _user_key(path)
        if key in out:
            key = f"user:{path}"
        out[key] = ds
    config.stash[_DATA_KEY] = out
    return out


def pytest_generate_tests(metafunc) -> None:
    names = metafunc.fixturenames
    user_keys = [_user_key(p) for p in _user_paths(metafunc.config)]
    if "wnproofs_user_dataset" in names:
        metafunc.parametrize("wnproofs_user_dataset", list(range(len(user_keys))),
                             ids=user_keys, indirect=True)
    elif "wnproofs_dataset" in names:
        keys = list(_BUILTIN) + user_keys
        metafunc.parametrize("wnproofs_dataset", list(range(len(keys))), ids=keys, indirect=True)


@pytest.fixture(scope="session")
def wnproofs_seed(request) -> int:
    """The seed of the wnproofs fixtures (``--wnproofs-seed``, ini ``wnproofs_seed``, default 0)."""
    return _seed(request.config)


@pytest.fixture(scope="session")
def wnproofs_datasets(request) -> list:
    """The built-in data sets followed by the user's (``--wnproofs-data``)."""
    return list(_datasets(request.config).values())


@pytest.fixture(scope="session")
def wnproofs_user_datasets(request) -> list:
    """The user's data sets only (``--wnproofs-data`` / ini ``wnproofs_data``), possibly empty."""
    return list(_datasets(request.config).values())[len(_BUILTIN):]


@pytest.fixture
def wnproofs_dataset(request):
    """One data set; a test that uses it runs once per built-in and user data set."""
    return list(_datasets(request.config).values())[request.param]


@pytest.fixture
def wnproofs_user_dataset(request):
    """One of the user's data sets; the test is skipped when none was given."""
    return list(_datasets(request.config).values())[len(_BUILTIN) + request.param]


def _instance(ds, seed: int):
    from wnproofs.instances import default_instances

    (inst,) = default_instances(seed, "quick", ds)
    return inst


@pytest.fixture
def wnproofs_instance(wnproofs_dataset, wnproofs_seed):
    """An Instance (quick mode, no params) on each data set of ``wnproofs_dataset``."""
    return _instance(wnproofs_dataset, wnproofs_seed)


@pytest.fixture
def wnproofs_user_instance(wnproofs_user_dataset, wnproofs_seed):
    """An Instance on each of the user's data sets (skipped when none was given)."""
    return _instance(wnproofs_user_dataset, wnproofs_seed)


@pytest.fixture(scope="session")
def wnproofs_strategies():
    """The module :mod:`wnproofs.strategies` (Hypothesis strategies for data, networks, params)."""
    from wnproofs import strategies

    return strategies


@pytest.fixture(scope="session")
def wnproofs_data_strategy(wnproofs_datasets):
    """A strategy of data sets: the built-in and user data sets, or random ones."""
    from hypothesis import strategies as st

    from wnproofs import strategies as wst

    return st.one_of(st.sampled_from(wnproofs_datasets), wst.datasets())


@pytest.fixture(scope="session")
def wnproofs_check(request):
    """``wnproofs_check(claim_id)`` → the claim's registered checks (a non-empty list)."""
    from wnproofs import registry

    registry.load_plugins()
    for spec in request.config.getoption("wnproofs_plugin"):
        try:
            registry.load_plugin(spec, source=f"--wnproofs-plugin {spec}")
        except registry.PluginError as exc:
            raise pytest.UsageError(str(exc)) from None

    def get(claim_id: str):
        found = registry.checks_for(claim_id)
        if not found:
            raise LookupError(f"claim {claim_id} has no registered check")
        return found

    return get
