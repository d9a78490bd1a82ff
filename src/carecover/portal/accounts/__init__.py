"""Organisations, their sites and their users, each user with one role."""
