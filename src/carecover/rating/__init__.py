"""Five-Star staffing rating: methods as data, scoring, case-mix, turnover, projection.

How the parts fit:

- ``methods``: the four methodology versions (``2018-04``, ``2019-04``,
  ``2022-07``, ``2024-07``) read from ``carecover/data/rating/methods/*.toml``;
  ``method(name)`` / ``method_on(day)``; their parts are the values of ``rules``.
- ``measures.FacilityMeasures``: the inputs of many facilities, column-wise;
  ``scoring.rate`` turns them into stars (``cutpoints`` does the vectorised
  look-ups), with the one-star overrides and "implausible → no rating";
  ``explain`` gives one facility's star card; ``overall`` the composite rating.
- ``casemix``: facility nursing CMI from ``carecover.mds`` resident-days,
  ratio, case-mix and adjusted HPRD; ``turnover``: nurse, RN and
  administrator turnover from employee-level PBJ (``employee_hours``).
- ``providerfile``: CMS's NH_ProviderInfo of any release, with the footnotes
  that decide a rating (``footnotes``).
- ``projection`` (with ``schedule``): a quarter in progress, rated.
- ``releases``: the Care Compare release calendar (``releases.csv``): the
  release that rates a quarter, its method (revised to its date) and figures.

Framework-free: no Django, Typer or Rich here.
"""

from carecover.rating.casemix import (
    CaseMixIndex,
    adjusted_hprd,
    casemix_hprd,
    facility_cmi,
    facility_cmi_from_store,
    nursing_weights,
    release_figures,
)
from carecover.rating.explain import Explanation, explain
from carecover.rating.footnotes import footnote, footnotes
from carecover.rating.measures import FacilityMeasures
from carecover.rating.methods import Method, load_method, method, method_on, methods
from carecover.rating.overall import overall_rating, overall_steps
from carecover.rating.projection import DayFigures, Projection, pbj_days, project
from carecover.rating.providerfile import ProviderFile, read_provider_info
from carecover.rating.releases import Release, release, release_for_quarter, release_on, releases
from carecover.rating.schedule import read_schedule
from carecover.rating.scoring import Ratings, rate
from carecover.rating.turnover import Turnover, turnover

__all__ = [
    "CaseMixIndex",
    "DayFigures",
    "Explanation",
    "FacilityMeasures",
    "Method",
    "Projection",
    "ProviderFile",
    "Ratings",
    "Release",
    "Turnover",
    "adjusted_hprd",
    "casemix_hprd",
    "explain",
    "facility_cmi",
    "facility_cmi_from_store",
    "footnote",
    "footnotes",
    "load_method",
    "method",
    "method_on",
    "methods",
    "nursing_weights",
    "overall_rating",
    "overall_steps",
    "pbj_days",
    "project",
    "rate",
    "read_provider_info",
    "read_schedule",
    "release",
    "release_figures",
    "release_for_quarter",
    "release_on",
    "releases",
    "turnover",
]
