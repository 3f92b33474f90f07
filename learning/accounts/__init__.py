"""Learner accounts: sign up with an email address, verify it, log in, reset a password.

Accounts are Django's own `User` with `username` set to the lower-cased email address, so
Django's authentication, password reset and permissions work unchanged. A new account stays
inactive (and so cannot log in) until its owner opens the signed link we email them.

No page tells whether an address has an account (sign-up emails the owner instead), every
log-in runs the password hasher once whatever the account's state, and repeated failures pause
log-in, the admin's included (throttling.py).
"""
