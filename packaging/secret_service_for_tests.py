"""A minimal Secret Service (org.freedesktop.secrets) on a private D-Bus, for headless Linux test machines.

The smoke test runs the built program against it, so that the bundled keyring -> SecretStorage ->
jeepney -> D-Bus path is exercised for real (storing and reading the audit key, the encryption key)
without a desktop session and without touching anybody's real keyring. Secrets live in memory only,
sessions are "plain" (the protocol's unencrypted transport: fine on a private bus that lives as long
as one test), the default collection is never locked.

    python packaging/secret_service_for_tests.py      (with DBUS_SESSION_BUS_ADDRESS set; prints "ready")
"""

from __future__ import annotations

import sys
import time

from jeepney import HeaderFields, MessageType, message_bus, new_error, new_method_return
from jeepney.io.blocking import open_dbus_connection

ROOT_PATH = "/org/freedesktop/secrets"
COLLECTION = "/org/freedesktop/secrets/collection/login"
ALIASES = ("/org/freedesktop/secrets/aliases/default", COLLECTION)
SESSION = "/org/freedesktop/secrets/session/1"
PREFIX = "org.freedesktop.Secret."


class DBusFailure(Exception):
    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


class Store:
    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.counter = 0

    def search(self, attributes: dict[str, str]) -> list[str]:
        return [path for path, item in self.items.items() if attributes.items() <= item["attributes"].items()]

    def create(self, properties: dict, secret: tuple, replace: bool) -> str:
        attributes = properties.get(PREFIX + "Item.Attributes", ("a{ss}", {}))[1]
        label = properties.get(PREFIX + "Item.Label", ("s", ""))[1]
        existing = [p for p in self.search(attributes) if self.items[p]["attributes"] == attributes] if replace else []
        if existing:
            path = existing[0]
        else:
            self.counter += 1
            path = f"{COLLECTION}/{self.counter}"
        now = int(time.time())
        self.items[path] = {"attributes": dict(attributes), "label": label, "secret": bytes(secret[2]),
                            "type": secret[3], "created": now, "modified": now}
        return path

    def property(self, path: str, name: str) -> tuple[str, object]:
        if path == ROOT_PATH and name == "Collections":
            return ("ao", [COLLECTION])
        if path in ALIASES:
            values = {"Label": ("s", "Login"), "Locked": ("b", False), "Items": ("ao", sorted(self.items)),
                      "Created": ("t", 0), "Modified": ("t", 0)}
        elif path in self.items:
            item = self.items[path]
            values = {"Label": ("s", item["label"]), "Locked": ("b", False), "Attributes": ("a{ss}", item["attributes"]),
                      "Created": ("t", item["created"]), "Modified": ("t", item["modified"])}
        else:
            raise DBusFailure("org.freedesktop.DBus.Error.UnknownObject", f"no object {path}")
        if name not in values:
            raise DBusFailure("org.freedesktop.DBus.Error.InvalidArgs", f"no property {name}")
        return values[name]

    def call(self, path: str, interface: str, member: str, body: tuple) -> tuple[str, tuple]:
        if interface == "org.freedesktop.DBus.Properties" and member == "Get":
            return "v", (self.property(path, body[1]),)
        if interface == "org.freedesktop.DBus.Properties" and member == "Set":
            if path in self.items and body[1] in ("Label", "Attributes"):
                self.items[path][body[1].lower()] = body[2][1]
            return "", ()
        if path == ROOT_PATH:
            if member == "OpenSession":
                if body[0] != "plain":
                    raise DBusFailure("org.freedesktop.DBus.Error.NotSupported", "only plain sessions")
                return "vo", (("s", ""), SESSION)
            if member == "SearchItems":
                return "aoao", (self.search(body[0]), [])
            if member == "Unlock":
                return "aoo", (list(body[0]), "/")
            if member == "ReadAlias":
                return "o", (COLLECTION if body[0] in ("default", "login") else "/",)
        if path in ALIASES:
            if member == "SearchItems":
                return "ao", (self.search(body[0]),)
            if member == "CreateItem":
                return "oo", (self.create(body[0], body[1], body[2]), "/")
        if path in self.items:
            if member == "GetSecret":
                item = self.items[path]
                return "(oayays)", ((SESSION, b"", item["secret"], item["type"]),)
            if member == "SetSecret":
                self.items[path]["secret"] = bytes(body[0][2])
                return "", ()
            if member == "Delete":
                del self.items[path]
                return "o", ("/",)
        raise DBusFailure("org.freedesktop.DBus.Error.UnknownMethod", f"{interface}.{member} on {path}")


def serve() -> None:
    connection = open_dbus_connection(bus="SESSION")
    reply = connection.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"))
    if reply.body[0] != 1:  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        sys.exit("secret service: org.freedesktop.secrets is already owned on this bus")
    print("ready", flush=True)
    store = Store()
    while True:
        message = connection.receive()
        if message.header.message_type != MessageType.method_call:
            continue
        fields = message.header.fields
        try:
            signature, body = store.call(fields[HeaderFields.path], fields.get(HeaderFields.interface, ""),
                                         fields[HeaderFields.member], message.body)
            connection.send(new_method_return(message, signature, body))
        except DBusFailure as failure:
            connection.send(new_error(message, failure.name, "s", (str(failure),)))


if __name__ == "__main__":
    serve()
