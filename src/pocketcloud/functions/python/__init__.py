"""The Python runtime that runs inside function workers (zygote.py is run as a script, not imported)."""
