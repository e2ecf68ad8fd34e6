"""Accounts: the users who log in and the audit log of every read or change of a case."""
