"""inspector: cybersecurity work responsibility inspection (网络安全工作责任制督查检查)."""

__version__ = "0.1.0"
