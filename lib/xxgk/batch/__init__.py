"""Building reports: run the template notebook per agency and year, export HTML, PDF and DOCX; ``xxgk doctor``."""
