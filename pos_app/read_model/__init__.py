"""The read side. One module per read model holds its tables, projections, rebuild step and query handlers
(`definition.py` says what a read model is; `catalog.py` lists them); the projector, the bulk rebuild, prebuilt
statements and trusted DTOs are the small shared machinery."""
