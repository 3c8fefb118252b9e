"""A real Dovecot IMAP server on 127.0.0.1 for one test, with its config and maildirs in tmp_path.

Needs Debian's dovecot-imapd (`apt-get install -y dovecot-imapd`); runs in the
foreground (`dovecot -F`) and is stopped, and its directory removed, when the test ends.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER, PASSWORD = "sarah@acme-sales.com", "correct horse battery staple"


@dataclass(frozen=True)
class Dovecot:
    host: str
    port: int
    username: str
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(root: Path, port: int, mail_uid: int, mail_gid: int, internal: str, login: str) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
first_valid_uid = {mail_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    # Not under pytest's tmp_path: its parents are mode 0700, and Dovecot's auth and mail
    # processes run as the unprivileged `dovecot` user, which must read the passwd file.
    root = Path(tempfile.mkdtemp(prefix="vectoros-dovecot-"))
    try:
        with _serve(root) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _serve(root: Path) -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        raise RuntimeError("Dovecot is not installed: run `apt-get install -y dovecot-imapd` (CI installs it)")
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    root.chmod(0o755)
    if os.geteuid() == 0:
        # Dovecot refuses to run mail or login processes as root: use the users the package creates.
        mail = pwd.getpwnam("dovecot")
        uid, gid, internal, login = mail.pw_uid, mail.pw_gid, "dovecot", "dovenull"
        for sub in ("mail", "home"):
            os.chown(root / sub, uid, gid)
    else:
        me = pwd.getpwuid(os.geteuid())
        uid, gid, internal, login = me.pw_uid, me.pw_gid, me.pw_name, me.pw_name
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, uid, gid, internal, login))
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                out = process.stdout.read().decode() if process.stdout and process.poll() is not None else ""
                raise RuntimeError(f"dovecot did not start on port {port}: {out}{log}")
            time.sleep(0.1)
        yield Dovecot("127.0.0.1", port, USER, PASSWORD)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
