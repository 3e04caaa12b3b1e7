"""KeyringTokenStore over the in-memory backend chosen in tests/conftest.py (PYTHON_KEYRING_BACKEND)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import PasswordSetError

from medshare_desktop.core.errors import MedshareError, ValidationError
from medshare_desktop.secrets import SERVICE_NAME, KeyringTokenStore, TokenStoreError
from tests.keyring_memory import MemoryKeyring

KEY = "token:mastodon:instance.social"


@pytest.fixture(autouse=True)
def empty_keyring() -> Iterator[None]:
    MemoryKeyring.clear()
    yield
    MemoryKeyring.clear()


def test_environment_selects_the_memory_backend() -> None:
    assert isinstance(keyring.get_keyring(), MemoryKeyring)


def test_set_get_delete_and_keys() -> None:
    store = KeyringTokenStore()
    assert store.get(KEY) is None and store.keys() == []
    store.set(KEY, "  abc.DEF-123  ")
    store.set("token:bluesky:public.api.bsky.app", "xyz")
    assert store.get(KEY) == "abc.DEF-123"
    assert MemoryKeyring.passwords[(SERVICE_NAME, KEY)] == "abc.DEF-123"
    assert store.keys() == ["token:bluesky:public.api.bsky.app", KEY]
    assert "abc.DEF-123" not in MemoryKeyring.passwords[(SERVICE_NAME, "index")]  # names only
    store.delete(KEY)
    store.delete(KEY)  # removing twice is fine
    assert store.get(KEY) is None and store.keys() == ["token:bluesky:public.api.bsky.app"]
    store.delete("token:bluesky:public.api.bsky.app")
    assert MemoryKeyring.passwords == {}


@pytest.mark.parametrize("key", ["", "mastodon:instance.social", "token:Mastodon:x", "token:mastodon:a b", "index"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ValidationError, match="is not a token name"):
        KeyringTokenStore().get(key)


@pytest.mark.parametrize("value", ["", "   ", "two words", "line\nbreak"])
def test_bad_tokens_are_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        KeyringTokenStore().set(KEY, value)
    assert MemoryKeyring.passwords == {}


def test_no_keyring_gives_a_clear_message() -> None:
    store = KeyringTokenStore(backend=fail.Keyring())
    for call in (lambda: store.get(KEY), lambda: store.set(KEY, "abc"), lambda: store.delete(KEY), store.keys):
        with pytest.raises(TokenStoreError, match="^No system keyring is available: tokens cannot be stored"):
            call()
    assert issubclass(TokenStoreError, MedshareError)


class _Refusing(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"locked; could not store {password}")


def test_keyring_errors_never_show_the_token() -> None:
    with pytest.raises(TokenStoreError) as caught:
        KeyringTokenStore(backend=_Refusing()).set(KEY, "very-secret-token")
    assert "could not save the token" in str(caught.value)
    assert "very-secret-token" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
