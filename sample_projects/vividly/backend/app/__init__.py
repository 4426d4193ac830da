"""Vividly backend."""
