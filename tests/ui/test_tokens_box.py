"""TokensBox: saves to the keyring off the GUI thread, lists sources with a token, never shows one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.backends import fail
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel, QLineEdit

from medshare_desktop.secrets import KeyringTokenStore, TokenStoreError
from medshare_desktop.ui.settings import tokens_box
from medshare_desktop.ui.settings.tokens_box import TokensBox
from tests.keyring_memory import MemoryKeyring

TOKEN = "bx-77-NEVER-SHOWN-token"
KEY = "token:mastodon:mastodon.example"


@pytest.fixture
def store() -> Iterator[KeyringTokenStore]:
    MemoryKeyring.clear()
    yield KeyringTokenStore()
    QThreadPool.globalInstance().waitForDone(10_000)
    MemoryKeyring.clear()


def visible_texts(box: TokensBox) -> list[str]:
    texts = [box.title()]
    texts += [w.text() for w in box.findChildren(QLabel)]
    texts += [w.text() + w.displayText() + w.placeholderText() for w in box.findChildren(QLineEdit)]
    texts += [box.saved.item(i).text() for i in range(box.saved.count())]
    texts += [box.saved.item(i).toolTip() for i in range(box.saved.count())]
    return texts


def test_save_list_and_remove(qtbot, store: KeyringTokenStore) -> None:
    box = TokensBox(store)
    qtbot.addWidget(box)
    box.show()
    assert box.title() == "API tokens (kept in the system keyring)"
    assert box.token.echoMode() is QLineEdit.EchoMode.Password
    box.kind.setCurrentIndex(box.kind.findData("mastodon"))
    box.host.setText("https://Mastodon.Example/")
    qtbot.keyClicks(box.token, TOKEN)
    assert TOKEN not in box.token.displayText()
    with qtbot.waitSignal(box.tokens_changed, timeout=5_000):
        box.save_button.click()
    assert store.get(KEY) == TOKEN
    qtbot.waitUntil(lambda: box.saved.count() == 1, timeout=5_000)
    assert box.saved.item(0).text() == "mastodon:mastodon.example — token saved"
    assert box.status.text() == f"Token saved for {KEY}."
    assert box.token.text() == ""
    assert not any(TOKEN in text for text in visible_texts(box))

    box.host.clear()
    box.saved.setCurrentRow(0)  # choosing a listed source fills the form
    assert box.selected_key() == KEY
    with qtbot.waitSignal(box.tokens_changed, timeout=5_000):
        box.remove_button.click()
    assert store.get(KEY) is None
    qtbot.waitUntil(lambda: box.saved.count() == 0, timeout=5_000)


def test_refresh_lists_existing_keys(qtbot, store: KeyringTokenStore) -> None:
    store.set("token:bluesky:public.api.bsky.app", TOKEN)
    box = TokensBox(store)
    qtbot.addWidget(box)
    box.refresh()
    qtbot.waitUntil(lambda: box.saved.count() == 1, timeout=5_000)
    assert box.saved.item(0).text() == "bluesky:public.api.bsky.app — token saved"
    assert not any(TOKEN in text for text in visible_texts(box))


def test_needs_a_host(qtbot, store: KeyringTokenStore) -> None:
    box = TokensBox(store)
    qtbot.addWidget(box)
    qtbot.keyClicks(box.token, TOKEN)
    box.save_button.click()
    assert box.status.text() == "Enter the host the token belongs to first."
    assert box.token.text() == "" and MemoryKeyring.passwords == {}


def test_no_keyring_shows_the_message(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(tokens_box, "show_exception", lambda _parent, exc, _details="": shown.append(exc))
    box = TokensBox(KeyringTokenStore(backend=fail.Keyring()))
    qtbot.addWidget(box)
    box.host.setText("mastodon.example")
    qtbot.keyClicks(box.token, TOKEN)
    box.save_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert isinstance(shown[0], TokenStoreError)
    assert str(shown[0]).startswith("No system keyring is available")
    assert TOKEN not in str(shown[0])
    assert box.save_button.isEnabled()
