"""Files in the shape the DfE publishes its SEND statistics (explore education statistics).

A "tidy" CSV: a row per period, geography and breakdown, columns in the DfE's order, the
figures made up (``figure`` gives each one, for the tests to expect) and a few cells
suppressed with the DfE's marks. A realistic subset of local authorities: Medway and Kent
with the rest of the South East, some neighbours and one or more of every region.
"""

import csv
import io

ENGLAND = ("E92000001", "England")
REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
# new_la_code, old_la_code, la_name, region_code
LOCAL_AUTHORITIES = [
    ("E08000021", "391", "Newcastle upon Tyne", "E12000001"),
    ("E08000003", "352", "Manchester", "E12000002"),
    ("E08000035", "383", "Leeds", "E12000003"),
    ("E06000018", "892", "Nottingham", "E12000004"),
    ("E08000025", "330", "Birmingham", "E12000005"),
    ("E06000034", "883", "Thurrock", "E12000006"),
    ("E06000033", "882", "Southend-on-Sea", "E12000006"),
    ("E10000012", "881", "Essex", "E12000006"),
    ("E09000007", "202", "Camden", "E12000007"),
    ("E06000060", "825", "Buckinghamshire", "E12000008"),
    ("E06000043", "846", "Brighton and Hove", "E12000008"),
    ("E10000011", "845", "East Sussex", "E12000008"),
    ("E10000014", "850", "Hampshire", "E12000008"),
    ("E06000046", "921", "Isle of Wight", "E12000008"),
    ("E10000016", "886", "Kent", "E12000008"),
    ("E06000035", "887", "Medway", "E12000008"),
    ("E06000042", "826", "Milton Keynes", "E12000008"),
    ("E10000025", "931", "Oxfordshire", "E12000008"),
    ("E06000044", "851", "Portsmouth", "E12000008"),
    ("E06000039", "871", "Slough", "E12000008"),
    ("E06000045", "852", "Southampton", "E12000008"),
    ("E10000030", "936", "Surrey", "E12000008"),
    ("E10000032", "938", "West Sussex", "E12000008"),
    ("E06000023", "801", "Bristol, City of", "E12000009"),
    ("E06000030", "866", "Swindon", "E12000009"),
    ("E06000052", "908", "Cornwall", "E12000009"),
]
PLACE_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
AGES = ["Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25"]
BREAKDOWNS = [("Total", "Total"), *(("Age", age) for age in AGES)]
INDICATORS = ["number_of_ehc_plans", "percent_ehc_plans_issued_within_20_weeks"]
YEARS = [2019, 2020, 2021, 2022, 2023]
# The DfE's suppression marks in a few cells: (code, year, breakdown, column): mark.
SUPPRESSED = {
    ("E06000035", 2021, "Total", INDICATORS[1]): "c",
    ("E06000035", 2019, "Total", INDICATORS[1]): "x",
    ("E06000035", 2022, "Under 5", INDICATORS[0]): "low",
    ("E10000016", 2020, "Total", INDICATORS[1]): "z",
    ("E06000034", 2023, "Total", INDICATORS[1]): "u",
    ("E10000030", 2022, "Total", INDICATORS[1]): "c",
}


def _place_number(code: str) -> int:
    return int(code[3:]) % 97


def figure(code: str, year: int, column: str, breakdown: str = "Total") -> str:
    """The figure the file gives (as written), or its suppression mark."""
    mark = SUPPRESSED.get((code, year, breakdown, column))
    if mark:
        return mark
    seed = _place_number(code) + 3 * (year - 2019) + 7 * BREAKDOWNS.index(_topic(breakdown))
    if column == INDICATORS[0]:
        return str(500 + seed * 37 + (year - 2019) * 120)
    return f"{40 + (seed * 13 % 550) / 10:.1f}"


def _topic(breakdown: str) -> tuple[str, str]:
    return next(pair for pair in BREAKDOWNS if pair[1] == breakdown)


def _period(year: int, time_identifier: str) -> str:
    if time_identifier == "Calendar year":
        return str(year)
    return f"{year}{(year + 1) % 100:02d}"  # 202223: an academic or financial year


def tidy_rows(*, time_identifier="Calendar year", breakdowns=BREAKDOWNS, years=YEARS):
    """The rows, as the DfE orders them: each year, England, then regions, then authorities."""
    rows = []
    for year in years:
        places = [("National", *ENGLAND, "", "", "", "", "")]
        places += [("Regional", *ENGLAND, code, name, "", "", "") for code, name in REGIONS.items()]
        places += [
            ("Local authority", *ENGLAND, region, REGIONS[region], old, new, name)
            for new, old, name, region in LOCAL_AUTHORITIES
        ]
        for level, country_code, country, region_code, region, old, new, name in places:
            code = new or region_code or country_code
            for topic, breakdown in breakdowns:
                figures = []
                for column in INDICATORS:
                    value = figure(code, year, column, breakdown)
                    # Published files pad some numbers with spaces.
                    figures.append(f" {value}" if _place_number(code) % 5 == 0 else value)
                rows.append(
                    [
                        _period(year, time_identifier),
                        time_identifier,
                        level,
                        country_code,
                        country,
                        region_code,
                        region,
                        old,
                        new,
                        name,
                        topic,
                        breakdown,
                        *figures,
                    ]
                )
    return rows


def tidy_csv(rows=None, *, header=None) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(header or [*PLACE_COLUMNS, "breakdown_topic", "breakdown", *INDICATORS])
    writer.writerows(tidy_rows() if rows is None else rows)
    return output.getvalue().encode()


def row_of(code: str, year: int, breakdown: str = "Total") -> int:
    """The row number (the header is row 1) of a place's figures in ``tidy_csv()``."""
    for number, row in enumerate(tidy_rows(), start=2):
        place = row[8] or row[5] or row[3]  # the authority, else the region, else England
        if (place, row[0], row[11]) == (code, str(year), breakdown):
            return number
    raise LookupError(f"no row for {code} in {year}, {breakdown}")
