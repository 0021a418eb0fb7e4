"""Envelope encryption (master key -> per-person data keys -> AES-256-GCM fields) and
password hashing."""
