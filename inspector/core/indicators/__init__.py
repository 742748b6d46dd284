"""Indicator sets: the YAML format, its validation, and the JSON view."""

from inspector.core.indicators.loader import (
    LoadedSet,
    bundled_dir,
    content_hash,
    default_set_path,
    load_set,
    parse_set,
)
from inspector.core.indicators.model import Category, IndicatorSet, Item

__all__ = [
    "Category",
    "IndicatorSet",
    "Item",
    "LoadedSet",
    "bundled_dir",
    "content_hash",
    "default_set_path",
    "load_set",
    "parse_set",
]
