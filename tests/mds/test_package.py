"""The public API of carecover.mds is explicit and importable."""

import carecover.mds as mds


def test_every_name_in_the_public_api_is_importable() -> None:
    missing = [name for name in mds.__all__ if not hasattr(mds, name)]
    assert missing == []


def test_the_public_api_has_no_duplicates() -> None:
    assert len(mds.__all__) == len(set(mds.__all__))
