"""The kernel a report notebook runs in: this interpreter, its channels in a private folder.

What a machine has left behind must not decide how a report is made. The kernel is this
process's own Python, named by path, not looked up by name among the kernel specs the machine
has: a user's `python3` kernel spec (from `ipykernel install --user` in another environment,
in ~/.local/share/jupyter or on JUPYTER_PATH) would otherwise run the notebook with other
libraries, or with none. Its channels are socket files in a folder of the run's own, not TCP
ports picked ahead; and it inherits the environment that fixes a report's bytes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec

# The name papermill and the kept notebooks give the kernel (the notebook's own kernelspec).
KERNEL = "python3"
# The kernel inherits this process's environment: fix what could change the bytes of a report.
KERNEL_ENVIRONMENT = {"PYTHONHASHSEED": "0"}
SOCKET_PATH_LIMIT = 104  # bytes in a socket file's path, the least of the systems (macOS)


class ThisPythonKernelManager(KernelManager):
    """Starts the kernel with `sys.executable`, whatever kernel specs the machine has."""

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python {sys.version_info[0]}.{sys.version_info[1]} (analysis)",
            language="python",
            metadata={"debugger": False},
        )


@contextmanager
def kernel_environment() -> Iterator[None]:
    """Set the kernel's fixed variables for the duration (os.environ is shared by threads)."""
    saved = {name: os.environ.get(name) for name in KERNEL_ENVIRONMENT}
    os.environ.update(KERNEL_ENVIRONMENT)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def kernel_config(sockets: Path):
    """This interpreter's kernel, its channels as socket files in `sockets` (a folder of this
    run's own), encrypted when libzmq can.

    Over TCP, jupyter_client picks free ports, closes them and hands them to the kernel, which
    binds them a moment later; with kernels starting side by side another connection can take
    a port in between, and the kernel dies before it answers ("Address already in use"; seen
    in CI). Socket files in a private folder cannot be taken. TCP stays where they cannot be
    made: on Windows, and under a temporary folder so deep that a socket's path would pass
    the system's limit (104 bytes on macOS, 108 on Linux). The kernel warns on stderr when
    its channels are not encrypted.
    """
    import zmq
    from traitlets.config import Config

    config = Config()
    config.NotebookClient.kernel_manager_class = ThisPythonKernelManager
    if os.name == "posix" and len(os.fsencode(sockets / "kernel-99")) < SOCKET_PATH_LIMIT:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(sockets / "kernel")
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config
