"""PBJ job title and pay type codes."""

from __future__ import annotations

import pytest

from carecover.errors import NotFoundError
from carecover.pbj.codes import JobGroup, job_title, job_titles, nurse_columns, pay_type, pay_types


def test_it_lists_job_title_codes_one_to_forty() -> None:
    assert [t.code for t in job_titles()] == list(range(1, 41))


@pytest.mark.parametrize(
    ("code", "group", "column"),
    [
        (5, JobGroup.RN, "Hrs_RNDON"),
        (6, JobGroup.RN, "Hrs_RNadmin"),
        (7, JobGroup.RN, "Hrs_RN"),
        (8, JobGroup.LPN, "Hrs_LPNadmin"),
        (9, JobGroup.LPN, "Hrs_LPN"),
        (10, JobGroup.AIDE, "Hrs_CNA"),
        (11, JobGroup.AIDE, "Hrs_NAtrn"),
        (12, JobGroup.AIDE, "Hrs_MedAide"),
    ],
)
def test_it_maps_each_nurse_code_to_its_group_and_public_file_column(
    code: int, group: JobGroup, column: str
) -> None:
    title = job_title(code)
    assert title.group is group
    assert title.puf_column == column
    assert title.puf_file == "nurse"
    assert title.is_nurse


def test_it_maps_non_nurse_codes_to_the_non_nurse_file() -> None:
    assert job_title(1).puf_column == "Hrs_Admin"
    assert job_title(17).puf_column == "Hrs_FeedAsst"
    assert job_title(34).puf_column == "Hrs_MHSvc"
    assert job_title(13).puf_file == "non-nurse"
    assert job_title(32).puf_column is None
    assert not job_title(17).is_nurse


def test_it_sums_don_rn_admin_and_rn_columns_for_rn_hours() -> None:
    assert nurse_columns(JobGroup.RN) == ["Hrs_RNDON", "Hrs_RNadmin", "Hrs_RN"]


def test_it_treats_pay_types_one_and_two_as_employees_and_three_as_contract() -> None:
    assert [p.code for p in pay_types()] == [1, 2, 3]
    assert not pay_type(1).is_contract
    assert not pay_type(2).is_contract
    assert pay_type(3).is_contract
    assert pay_type("3").puf_suffix == "_ctr"


@pytest.mark.parametrize("code", [0, 41, "x"])
def test_it_rejects_an_unknown_job_title_code(code: object) -> None:
    with pytest.raises(NotFoundError, match="job title code"):
        job_title(code)  # type: ignore[arg-type]


def test_it_rejects_an_unknown_pay_type_code() -> None:
    with pytest.raises(NotFoundError, match="pay type"):
        pay_type(4)
