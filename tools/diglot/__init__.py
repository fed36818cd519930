"""diglot: bilingual print booklets and handouts from texts and their translations."""

# The one place the version is written (pyproject.toml reads it from here):
# asking importlib.metadata instead costs every command a tenth of a second.
__version__ = "0.1.0"

__all__ = ["__version__"]
