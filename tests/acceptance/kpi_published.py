"""The published KPI tables (seeds/003, Appendix 2, Tables 2.1-2.5), as printed.

Client groups are keyed by the register's names; the printed short forms are kept beside them.
A None cell is printed blank (no departures in the quarter). Quarters 21, 22, 23; the regional
figure is for Quarter 23.
"""

from __future__ import annotations

QUARTERS = (21, 22, 23)

# Table 2.1: service class -> (Q21, Q22, Q23, Q23 regional)
TABLE_2_1 = {
    "accommodation based": ("98.95", "99.05", "98.93", "99.17"),
    "floating support": ("97.84", "97.15", "96.97", "96.95"),
}
KPI1_TOTAL = ("98.62", "98.48", "98.29", "98.67")

# Table 2.2: register client group -> (printed label, Q21, Q22, Q23, Q23 regional)
TABLE_2_2 = {
    "People with drug problems": ("People with drug problems", "100", "96.15", "96.52", "93.57"),
    "Frail elderly": ("Frail Elderly", "98.43", "97.46", "96.97", "97.61"),
    "Generic": ("Generic", "96.99", "95.92", "93.41", "95.5"),
    "Homeless families with support needs": (
        "Homeless families with support needs", "75", "88.36", "85", "93.57"),
    "People with learning disabilities": ("Learning disability", "98.58", "98.89", "98.45",
                                          "99.39"),
    "People with mental health problems": ("Mental health", "95.88", "92.95", "94.95", "98.01"),
    "Offenders or people at risk of offending": ("Offenders", "95.29", "90.11", "93.33",
                                                 "93.14"),
    "Older people with mental health problems/dementia": (
        "Older people with mental health problems", "100", "100", "100", "100"),
    "Older people with support needs": ("Older people with support needs", "98.98", "99.09",
                                        "99.06", "99.17"),
    "People with HIV/AIDS": ("People with HIV/AIDS", "93.10", "100", "100", "100"),
    "Physical or sensory disability": ("Physical/ sensory disabilities", "100", "100", "100",
                                       "99.06"),
    "Single homeless with support needs": ("Single homeless with support needs", "95.93",
                                           "95.86", "96.07", "95.29"),
    "Teenage parents": ("Teenage parents", "97.14", "93.00", "94.38", "94.29"),
    "People at risk of domestic violence": ("Those at risk of domestic abuse", "100", "99.24",
                                            "100", "97.52"),
    "Young people at risk": ("Young people at risk", "93.41", "94.00", "92.66", "92.47"),
}

# Table 2.3 (KPI 2): register client group -> (printed label, Q21, Q22, Q23, Q23 regional)
TABLE_2_3 = {
    "People with alcohol problems": ("People with alcohol problems*", "50", "100", None,
                                     "82.35"),
    "People with drug problems": ("People with drug problems", "80", "40", "100", "55.56"),
    "Homeless families with support needs": ("Homeless family with support needs", "65.22",
                                             "92.31", "96", "88.31"),
    "People with learning disabilities": ("Learning disability*", "0", "100", None, "91.67"),
    "People with mental health problems": ("Mental health", "92.31", "92.31", "68.42",
                                           "77.71"),
    "Offenders or people at risk of offending": ("Offenders", "69.23", "56", "40", "56.41"),
    "Older people with support needs": ("Older people with support needs*", "100", None, None,
                                        "100"),
    "Physical or sensory disability": ("Physical/sensory disability", None, None, "100", "100"),
    "Rough sleepers": ("Rough sleepers", "45.51", "43.90", "55.10", "59.61"),
    "Single homeless with support needs": ("Single homeless with support needs", "80.83",
                                           "71.3", "68.81", "64.37"),
    "Teenage parents": ("Teenage parents", "100", "80.0", "75", "89.8"),
    "People at risk of domestic violence": ("Those at risk of domestic abuse", "89.83", "84.29",
                                            "86.21", "83.39"),
    "Young people at risk": ("Young people at risk", "63.27", "67.12", "52.83", "73.49"),
    "Young people leaving care": ("Young people leaving care", "50", "62.50", "65", "72.00"),
}
KPI2_TOTAL = ("66.38", "67.65", "65.56", "72.38")

# Tables 2.4 / 2.5: Q20-Q23, rows programme ("Kent"), regional, national. The programme row
# prints Q21 of Table 2.5 as "66.4%" (one decimal) where Table 2.3 prints 66.38: the same
# figure, rounded differently; the tool prints two decimals throughout.
COMPARISON_QUARTERS = (20, 21, 22, 23)
TABLE_2_4 = {
    "Programme": ("97.11", "98.62", "98.48", "98.29"),
    "Regional": ("98.06", "98.40", "98.59", "98.67"),
    "National": ("98.18", "98.26", "98.38", "98.44"),
}
TABLE_2_5 = {
    "Programme": ("80.7", "66.38", "67.65", "65.56"),
    "Regional": ("67.6", "68.3", "70.54", "72.38"),
    "National": ("68.6", "70.8", "70.78", "72.88"),
}
