"""Reference lists the team starts with (DOMAIN.md); the team can extend them."""

from __future__ import annotations

KINDS = {
    "client_group": "primary client group",
    "service_type": "service type",
    "district": "district",
}

DISTRICTS = [
    "Ashford", "Canterbury", "Dartford", "Dover", "Gravesham", "Maidstone", "Sevenoaks",
    "Shepway", "Swale", "Thanet", "Tonbridge & Malling", "Tunbridge Wells",
]

CLIENT_GROUPS = [
    "Complex needs", "Frail elderly", "Homeless families with support needs",
    "Mentally disordered offenders", "Offenders or people at risk of offending",
    "Older people with mental health problems/dementia", "Older people with support needs",
    "Physical or sensory disability", "People with alcohol problems", "People with drug problems",
    "People with learning disabilities", "People with mental health problems", "Refugees",
    "Rough sleepers", "Single homeless with support needs", "People at risk of domestic violence",
    "Teenage parents", "Young people at risk", "Young people leaving care",
    "People with HIV/AIDS", "Travellers", "Generic",
]

SERVICE_TYPES = [
    "Accommodation based", "Floating support", "Community or social alarm",
    "Home improvement agency", "Outreach", "Resettlement", "Direct access", "Foyer",
    "Supported housing", "Women's refuge", "Sheltered housing", "Teenage parent accommodation",
    "Supported lodgings",
]

DEFAULTS = {"district": DISTRICTS, "client_group": CLIENT_GROUPS, "service_type": SERVICE_TYPES}

TERMS = ("short", "long")
