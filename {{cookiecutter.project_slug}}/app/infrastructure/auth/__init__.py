"""Authentication: password hashing, signed access tokens, and the principal they carry."""
