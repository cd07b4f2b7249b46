"""Sealed boxes: anyone with the hub's public key can seal; only the hub's private key opens.

Format (version 1), all lengths in bytes::

    b"VXS1" | length (2, big-endian, of what follows) | ephemeral X25519 public key (32)
           | nonce (12) | AES-256-GCM ciphertext with its 16-byte tag

The AES key is HKDF-SHA256 over the X25519 shared secret between a fresh ephemeral key and the hub's
static key, bound to both public keys. Associated data (e.g. the draw id) must match on opening, so a
blob cannot be moved to another draw. A kiosk holds only the public key: what it seals it cannot read.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"VXS1"
INFO = b"voxbox sealed box v1"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class SealError(ValueError):
    """A blob that is malformed, or not sealed to this key with this associated data."""


def public_bytes(key: X25519PublicKey | X25519PrivateKey) -> bytes:
    """The 32 raw bytes of a public key (or of a private key's public half)."""
    if isinstance(key, X25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(*_RAW)


def generate_keypair() -> tuple[X25519PrivateKey, bytes]:
    """A new private key and its raw public key (tests and key set-up)."""
    private = X25519PrivateKey.generate()
    return private, public_bytes(private)


def _load_public(key: bytes | str | X25519PublicKey) -> X25519PublicKey:
    if isinstance(key, X25519PublicKey):
        return key
    if isinstance(key, str):
        key = bytes.fromhex(key) if len(key) == 64 else serialization.load_pem_public_key(
            key.encode()).public_bytes(*_RAW)
    return X25519PublicKey.from_public_bytes(key)


def _aes_key(shared: bytes, eph_pub: bytes, static_pub: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO + eph_pub + static_pub)
    return hkdf.derive(shared)


def seal(public_key: bytes | str | X25519PublicKey, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Seal plaintext to a public key (raw bytes, hex or PEM); returns the blob."""
    static = _load_public(public_key)
    static_pub = static.public_bytes(*_RAW)
    eph = X25519PrivateKey.generate()
    eph_pub = public_bytes(eph)
    key = _aes_key(eph.exchange(static), eph_pub, static_pub)
    nonce = os.urandom(12)
    body = eph_pub + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
    return MAGIC + len(body).to_bytes(2, "big") + body


def unseal(private_key: X25519PrivateKey, blob: bytes, aad: bytes = b"") -> bytes:
    """Open a blob with the private key; raise SealError if it is not ours or was altered."""
    if len(blob) < 6 + 32 + 12 + 16 or blob[:4] != MAGIC:
        raise SealError("not a sealed box")
    length = int.from_bytes(blob[4:6], "big")
    body = blob[6:6 + length]
    if len(body) != length:
        raise SealError("sealed box is truncated")
    eph_pub, nonce, ciphertext = body[:32], body[32:44], body[44:]
    try:
        eph = X25519PublicKey.from_public_bytes(eph_pub)
        key = _aes_key(private_key.exchange(eph), eph_pub, public_bytes(private_key))
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError("sealed box does not open with this key") from exc


def is_blob(blob: bytes) -> bool:
    """True when the bytes look like a whole version-1 sealed box (no key needed)."""
    return (len(blob) >= 6 + 60 and blob[:4] == MAGIC
            and int.from_bytes(blob[4:6], "big") == len(blob) - 6)
