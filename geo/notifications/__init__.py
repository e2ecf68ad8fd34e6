"""Notifications: the reminder sweep over time limits, each user's notifications and read
marks, and their delivery through a channel (log by default, a webhook by setting)."""
