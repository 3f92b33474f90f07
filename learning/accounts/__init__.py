"""Learner accounts: sign up with an email address, verify it, log in, reset a password.

Accounts are Django's own `User` with `username` set to the lower-cased email address, so
Django's authentication, password reset and permissions work unchanged. A new account stays
inactive (and so cannot log in) until its owner opens the signed link we email them.
"""
