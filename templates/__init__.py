"""The HTML templates and print style of the official form (Jinja2).

The folder sits at the top of the repository, where people edit it, and is installed as the
package ``perfgoals.templates`` (``package_dir`` in setup.cfg), so every kind of install —
editable, venv, ``--user``, ``--target``, a wheel — finds it through importlib.resources.
"""
