"""MDS 3.0 assessments → residents → stays → daily census (the staffing denominator).

How the parts fit: ``extract`` (CSV) and ``xmlfile`` (XML/ZIP) read raw
records; ``validation`` checks each against the ``codes`` lists and builds an
``Assessment`` whose resident key comes from ``residents`` (no SSN kept);
``store`` loads files into the DuckDB ``mds_*`` tables, one transaction per
file (``bulk`` checks a plain extract CSV in SQL instead of per record);
``stays`` turns records into presence intervals per resident (Ibis: ``census_rule``), and
``census`` counts them per facility-day and sums resident-days by nursing
group; the CASPER-style reports are ``reports`` (roster, missing
assessments), ``movements`` (admissions and reentries, discharges),
``census_risk`` (the 150-day clock about to run out), ``quarantine`` (the
errors) and ``sequencing`` (records out of the entry → assessments →
discharge order, in the errors report); ``reconcile`` compares the census
with the PBJ file's MDScensus; ``synth`` writes realistic synthetic extracts.
"""

from carecover.mds.census import DailyCensus, daily_census, nursing_group_days
from carecover.mds.census_risk import CensusRisk, census_risk
from carecover.mds.census_rule import census_expression, presence_intervals
from carecover.mds.codes import Event, code_list, event_of
from carecover.mds.extract import COLUMNS, read_extract
from carecover.mds.movements import Admission, Discharge, admissions, discharges
from carecover.mds.quarantine import RecordError, record_errors
from carecover.mds.reconcile import (
    CensusDifference,
    Reconciliation,
    attach_pbj_store,
    reconcile_census,
)
from carecover.mds.reports import MissingAssessment, RosterEntry, missing_assessments, roster
from carecover.mds.residents import Identity, normalise_name, normalise_ssn, resident_key
from carecover.mds.sequencing import SequenceCheck, sequence_checks, sequence_errors
from carecover.mds.stays import CensusConvention
from carecover.mds.store import (
    DEFAULT_STORE,
    LoadResult,
    census_from_files,
    connect,
    load_files,
    open_store,
)
from carecover.mds.validation import Assessment, parse_mds_date, validate_record
from carecover.mds.xmlfile import XmlLimits, parse_assessment_xml, read_xml_assessments

__all__ = [
    "COLUMNS",
    "DEFAULT_STORE",
    "Admission",
    "Assessment",
    "CensusConvention",
    "CensusDifference",
    "CensusRisk",
    "DailyCensus",
    "Discharge",
    "Event",
    "Identity",
    "LoadResult",
    "MissingAssessment",
    "Reconciliation",
    "RecordError",
    "RosterEntry",
    "SequenceCheck",
    "XmlLimits",
    "admissions",
    "attach_pbj_store",
    "census_expression",
    "census_from_files",
    "census_risk",
    "code_list",
    "connect",
    "daily_census",
    "discharges",
    "event_of",
    "load_files",
    "missing_assessments",
    "normalise_name",
    "normalise_ssn",
    "nursing_group_days",
    "open_store",
    "parse_assessment_xml",
    "parse_mds_date",
    "presence_intervals",
    "read_extract",
    "read_xml_assessments",
    "reconcile_census",
    "record_errors",
    "resident_key",
    "roster",
    "sequence_checks",
    "sequence_errors",
    "validate_record",
]
