"""Measure stage: pure functions from a filtered corpus to tidy frames with named columns.

Takes frames and a frozen `Filters` value (`filters`); gives volume, outlet share, topic mix and
quality-versus-heat (`metrics`), spikes, movers, concentration and A-versus-B comparisons. No
function here draws, formats for a reader or mutates its input.
"""
