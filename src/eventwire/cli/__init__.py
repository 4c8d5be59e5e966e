"""The thin command layer: the only package that prints or exits; nothing else imports it.

``common`` holds what every command shares, ``store`` the commands that read and write the event
store, and ``main`` the parser and the commands that code, set up, train and evaluate.
"""
from eventwire.cli.main import main

__all__ = ["main"]
