# The project is configured in pyproject.toml; this file only keeps `scrapyd-deploy` from
# writing a setup.py of its own (its entry points would be ignored beside pyproject's).
from setuptools import setup

setup()
