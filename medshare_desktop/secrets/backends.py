"""Which keyring backends this installation knows, which one it uses, and why the others are not used.

keyring finds its backends through the `keyring.backends` entry points of the installed packages. A
build that lost that metadata (a frozen app, a trimmed install) silently falls back to "no keyring";
this report makes that visible (`medshare info`).
"""

from __future__ import annotations

import importlib.metadata
import inspect
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend


@dataclass(frozen=True, slots=True)
class BackendReport:
    name: str  # "keyring.backends.SecretService.Keyring"
    priority: float | None  # None when it cannot be used here
    reason: str  # why not, or "" when usable

    @property
    def usable(self) -> bool:
        return self.priority is not None and self.priority > 0


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def in_use() -> str:
    """The backend keyring chose (after any configuration), e.g. "keyring.backends.Windows.WinVaultKeyring"."""
    backend = keyring.get_keyring()
    inner = getattr(backend, "backends", None)  # the chainer: name what it chains
    if inner:
        return " + ".join(_qualified(type(b)) for b in inner)
    return _qualified(type(backend))


def known_backends() -> list[BackendReport]:
    """Every backend class the installed entry points provide, with its priority here or why it is not usable."""
    reports: dict[str, BackendReport] = {}
    for entry in importlib.metadata.entry_points(group="keyring.backends"):
        try:
            module = entry.load()
        except Exception as exc:  # an optional dependency missing: keyring itself skips it the same way
            reports[entry.value] = BackendReport(entry.value, None, f"cannot be loaded: {exc}")
            continue
        classes = [module] if inspect.isclass(module) else [obj for _, obj in inspect.getmembers(module, inspect.isclass)]
        for cls in classes:
            if not issubclass(cls, KeyringBackend) or cls.__module__ != getattr(module, "__name__", cls.__module__):
                continue
            if inspect.isabstract(cls):
                continue
            try:
                priority = float(cls.priority)  # type: ignore[arg-type]
                reports[_qualified(cls)] = BackendReport(_qualified(cls), priority, "")
            except Exception as exc:  # keyring's own way of saying "not on this system"
                reports[_qualified(cls)] = BackendReport(_qualified(cls), None, str(exc) or type(exc).__name__)
    return sorted(reports.values(), key=lambda r: r.name)
