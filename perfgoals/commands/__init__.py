"""The commands: one module per command, each a ``run(options…) -> exit code`` over the core.

`perfgoals.cli` declares the options and calls ``perfgoals.commands.<name>.run``; `common` holds
what they share (finding data/, the year and unit, output files and formats, messages, progress).
"""
