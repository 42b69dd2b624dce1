"""monitor: track figures and official positions in the news, and alert when they change."""
__version__ = "0.1.0"
