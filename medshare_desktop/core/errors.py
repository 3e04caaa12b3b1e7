"""Exceptions whose message is a sentence fit for a dialog or a one-line CLI error."""

from __future__ import annotations


class MedshareError(Exception):
    """Base class: str(error) is shown to the user as is."""


class NotFoundError(MedshareError):
    pass


class ValidationError(MedshareError):
    """Bad input from the user: names the field or value."""


class ImportFormatError(MedshareError):
    """A file that cannot be imported; the message names the file and the line or record."""

    def __init__(self, path: str, where: str, problem: str) -> None:
        self.path = path
        self.where = where
        self.problem = problem
        location = f"{path}, {where}" if where else path
        super().__init__(f"{location}: {problem}")


class WorkflowError(MedshareError):
    """A state change the review workflow does not allow."""


class ConsentError(MedshareError):
    """Something would use a person's name, photo, story or video without valid consent."""


class CadenceError(MedshareError):
    """A scheduling change that would break a cadence rule; can be overridden with a reason."""

    def __init__(self, message: str, rule: str = "monthly_limit") -> None:
        self.rule = rule
        super().__init__(message)


class RetrainCancelled(MedshareError):
    """Retraining was cancelled part-way; the model in use is unchanged."""


class ConcurrentEditError(MedshareError):
    """Somebody else changed the record since it was read."""


class DatabaseError(MedshareError):
    """The database cannot be opened, migrated or written."""


class DatabaseFileError(DatabaseError):
    """The database file cannot be used as it is: what it looks like, and the newest backup if one was found.

    `restorable` is True when restoring `backup` over the file would help (damaged or foreign content);
    False for a path or address problem (a missing folder, a folder given as the file, a missing driver).
    """

    def __init__(self, problem: str, path: str = "", backup: str | None = None, backup_label: str = "") -> None:
        self.problem = problem
        self.path = path
        self.backup = backup
        self.restorable = backup is not None
        advice = f" The newest usable backup is {backup_label or backup}." if backup else ""
        super().__init__(problem + advice)


class PermissionDeniedError(DatabaseError):
    """The database login may not make this change (a team server's group roles): names the login and what."""

    def __init__(self, message: str, login: str = "", table: str = "") -> None:
        self.login = login
        self.table = table
        super().__init__(message)


class ServerUnreachableError(DatabaseError):
    """The team server does not answer (stopped, restarting, the network down); the app reconnects by itself."""
