from carecover.errors import (
    CarecoverError,
    FieldProblem,
    InputError,
    RuleError,
    ValidationError,
)


def test_an_input_error_names_file_line_and_field() -> None:
    err = InputError("must be a date", file="reports.csv", line=7, field="incident_date")
    assert str(err) == "reports.csv:7: incident_date: must be a date"
    assert isinstance(err, CarecoverError)


def test_a_validation_error_lists_every_problem() -> None:
    err = ValidationError(
        [FieldProblem("reason", "is required"), FieldProblem("hours_without_staff", "must be > 0")],
        file="r.jsonl",
        line=3,
    )
    assert str(err) == "r.jsonl:3: reason: is required; hours_without_staff: must be > 0"
    assert len(err.problems) == 2


def test_rule_errors_are_carecover_errors() -> None:
    assert issubclass(RuleError, CarecoverError)
