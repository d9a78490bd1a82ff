"""MDS 3.0 assessments → residents → stays → daily census (the staffing denominator).

How the parts fit: ``extract`` (CSV) and ``xmlfile`` (XML/ZIP) read raw
records; ``validation`` checks each against the ``codes`` lists and builds an
``Assessment`` whose resident key comes from ``residents`` (no SSN kept);
``store`` loads files into the DuckDB ``mds_*`` tables, one transaction per
file; ``stays`` turns records into presence intervals per resident (SQL), and
``census`` counts them per facility-day and sums resident-days by nursing
group; ``reports`` gives CASPER-style roster and missing-assessment lists;
``synth`` writes realistic synthetic extracts.
"""

from carecover.mds.census import (
    DailyCensus,
    census_from_files,
    daily_census,
    nursing_group_days,
)
from carecover.mds.codes import Event, code_list, event_of
from carecover.mds.extract import COLUMNS, read_extract
from carecover.mds.reports import MissingAssessment, RosterEntry, missing_assessments, roster
from carecover.mds.residents import Identity, normalise_name, normalise_ssn, resident_key
from carecover.mds.stays import CensusConvention, intervals_sql
from carecover.mds.store import DEFAULT_STORE, LoadResult, connect, load_files
from carecover.mds.validation import Assessment, parse_mds_date, validate_record
from carecover.mds.xmlfile import XmlLimits, parse_assessment_xml, read_xml_assessments

__all__ = [
    "COLUMNS",
    "DEFAULT_STORE",
    "Assessment",
    "CensusConvention",
    "DailyCensus",
    "Event",
    "Identity",
    "LoadResult",
    "MissingAssessment",
    "RosterEntry",
    "XmlLimits",
    "census_from_files",
    "code_list",
    "connect",
    "daily_census",
    "event_of",
    "intervals_sql",
    "load_files",
    "missing_assessments",
    "normalise_name",
    "normalise_ssn",
    "nursing_group_days",
    "parse_assessment_xml",
    "parse_mds_date",
    "read_extract",
    "read_xml_assessments",
    "resident_key",
    "roster",
    "validate_record",
]
