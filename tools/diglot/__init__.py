"""diglot: bilingual print booklets and handouts from texts and their translations."""

from importlib import metadata

try:
    __version__ = metadata.version("diglot")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
