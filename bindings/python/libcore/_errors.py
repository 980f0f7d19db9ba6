"""The package's two exceptions."""


class LibcoreError(RuntimeError):
    """A libcore call failed: `status` (int), `name` ("CORE_E_INVALID_ARGUMENT")
    and `message` (libcore's message, which starts with the C function's name)."""

    def __init__(self, status, name, message):
        super().__init__(f"{name}: {message}" if message else name)
        self.status = status
        self.name = name
        self.message = message


class LibcoreUnavailable(RuntimeError):
    """The native library is needed (a stateful class, or LIBCORE_STRICT=1)
    but could not be loaded; the message names what was looked for and why."""
