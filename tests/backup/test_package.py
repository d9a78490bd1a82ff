import carecover.backup as backup


def test_every_name_in_the_public_api_is_importable() -> None:
    missing = [name for name in backup.__all__ if not hasattr(backup, name)]
    assert missing == []


def test_the_public_api_is_sorted_and_has_no_duplicates() -> None:
    assert list(backup.__all__) == sorted(set(backup.__all__))
