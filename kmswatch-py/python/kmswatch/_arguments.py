"""Arguments of the Python API as the extension takes them."""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Union


def _region_list(regions: Optional[Sequence[str]]) -> Optional[List[str]]:
    """``regions=`` as the extension takes it: a list (a string is split at commas)."""
    if regions is None:
        return None
    if isinstance(regions, str):
        return [r for r in regions.split(",")]
    return list(regions)


def _control_list(control: Union[str, Sequence[str]]) -> List[str]:
    """``control=`` as the extension takes it: a list of ids."""
    if isinstance(control, str):
        return [control]
    return [str(c) for c in control]


def _id_list(ids: Optional[Union[str, Iterable[str]]]) -> Optional[str]:
    """Account ids as the core reads them: one comma-separated string."""
    if ids is None or isinstance(ids, str):
        return ids
    return ",".join(ids)
