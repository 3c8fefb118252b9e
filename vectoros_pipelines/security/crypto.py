"""AES-256-GCM encryption at rest for email bodies and OAuth tokens.

The key comes from `VECTOROS_SECRET_KEY` (base64 of 32 bytes) or a key file
generated on first use under `$VECTOROS_HOME` (mode 0600). Each ciphertext is
stored with the id of its key so keys can be rotated: old rows stay readable
while `VECTOROS_OLD_SECRET_KEYS` (comma-separated) lists the retired keys.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vectoros_pipelines.config import vectoros_home

NONCE_BYTES = 12


class DecryptionError(RuntimeError):
    pass


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"vectoros-key-id:" + key).hexdigest()[:16]


def _decode_key(text: str, origin: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "==")
    except ValueError as exc:
        raise ValueError(f"{origin}: not base64") from exc
    if len(key) != 32:
        raise ValueError(f"{origin}: an AES-256 key must be 32 bytes, got {len(key)}")
    return key


def _key_file_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode())
    return _decode_key(path.read_text(), str(path))


@dataclass(frozen=True)
class Cipher:
    """Encrypts with the current key; decrypts with any known key, chosen by key id."""

    current: bytes
    retired: tuple[bytes, ...] = ()

    @property
    def key_id(self) -> str:
        return key_id_of(self.current)

    def encrypt(self, plaintext: bytes, associated: bytes = b"") -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.current).encrypt(nonce, plaintext, associated or None)

    def decrypt(self, blob: bytes, key_id: str, associated: bytes = b"") -> bytes:
        for key in (self.current, *self.retired):
            if key_id_of(key) == key_id:
                try:
                    return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated or None)
                except Exception as exc:  # cryptography raises InvalidTag without a message
                    raise DecryptionError(f"ciphertext does not match key {key_id}") from exc
        raise DecryptionError(f"no key with id {key_id} (set VECTOROS_OLD_SECRET_KEYS to read rows of a retired key)")

    def encrypt_text(self, text: str) -> bytes:
        return self.encrypt(text.encode("utf-8"))

    def decrypt_text(self, blob: bytes | None, key_id: str | None) -> str:
        if blob is None or key_id is None:
            return ""
        return self.decrypt(bytes(blob), key_id).decode("utf-8")


def load_cipher() -> Cipher:
    env = os.environ.get("VECTOROS_SECRET_KEY")
    home = vectoros_home()
    retired_env = os.environ.get("VECTOROS_OLD_SECRET_KEYS", "")
    return _cached_cipher(env, str(home), retired_env)


@lru_cache(maxsize=8)
def _cached_cipher(env: str | None, home: str, retired_env: str) -> Cipher:
    current = _decode_key(env, "VECTOROS_SECRET_KEY") if env else _key_file_key(Path(home) / "secret.key")
    retired = tuple(
        _decode_key(part, "VECTOROS_OLD_SECRET_KEYS") for part in retired_env.split(",") if part.strip()
    )
    return Cipher(current=current, retired=retired)


def generate_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()
