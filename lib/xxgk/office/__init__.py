"""The office's January: roster-wide forms out and back, the status board, reviewed findings and the consolidated
本级政府 report. Sits above checks/ingest/render, beside batch and site."""
