"""Present stage: tidy frames become what a person sees and takes away.

Takes measured frames; gives plotly figures (`charts`, `insight_charts`), the dashboard's view
models and sidebar choices (`views`, `controls`), spreadsheet-safe CSV exports (`export`,
`safety`) and the self-contained meeting report (`report`, `report_insights`, `report_format`,
`templates/`). The chart drawn and the CSV downloaded come from the same frame.
"""
