"""Packages are found, never listed by hand: a new subpackage can not be left out of a wheel.

Everything else is declared in setup.cfg. This file exists only because setup.cfg cannot both
find the packages and add ``templates/`` (top level of the repository) as ``perfgoals.templates``.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["perfgoals", "perfgoals.*"]), "perfgoals.templates"])
