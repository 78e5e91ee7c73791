"""The one error the scaffolder reports: a refusal with a reason, nothing written."""


class ScaffoldError(Exception):
    """Why the scaffolder refused; the message is shown to the user as it is."""
