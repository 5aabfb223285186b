"""Measure stage: pure functions from a filtered corpus to tidy frames with named columns.

Takes frames and a frozen `Filters` value (`filters`); gives volume, outlet share, topic mix and
quality-versus-heat (`metrics`), spikes, movers, concentration and A-versus-B comparisons.
`periods` holds the calendar (presets, the period before, the same period last year) and
`selection` the one `Selection` every front door reads: the filtered frames, their comparison
periods and the history spikes are judged against, each computed once. No function here draws,
formats for a reader or mutates its input.
"""
