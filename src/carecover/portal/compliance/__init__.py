"""The compliance app: reporting periods, attestations, plans of correction and roll-ups.

``services`` wraps ``carecover.backup.compliance`` / ``correction`` (who filed,
attested, was late or is missing; plans of correction), ``reporting`` wraps
``carecover.backup.rollup`` / ``export`` (the MCO's monthly and quarterly
reports), ``charts`` lays out their inline SVG charts. Views only parse input,
call one of these and render.
"""
