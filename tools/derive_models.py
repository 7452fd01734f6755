#!/usr/bin/env python3
"""Derive the shipped carecast model files from DfE's national tables.

Writes two model files (format: docs/formats.md, section "Model file"):

  models/example.json  "Example County (fictional)": about 700 children looked after at
                       2025-03-31, every count scaled down from England.
  models/england.json  the same model at national scale (83,530 children at 2024-03-31),
                       for benchmarks and backtests.

The derivation is documented, figure by figure, in docs/example-model.md. In short:

1. Read the published England figures for the year ending 31 March 2024 (stock at 31 March by
   age group, by placement and by provider; starts by age; ceases by age and by reason).
2. Cross the ceases by age with the ceases by reason (DfE publish only the two margins) by
   iterative proportional fitting of an assumed age profile per reason (ASSUMED_REASON_AGE).
   Ceases at 18 and over are not exit hazards in the model: every child leaves at 18 by ageing.
3. Build a detailed structure: exit hazards base[reason][age band] x category multiplier x
   time-in-care multiplier in every cell, with assumed multipliers (which categories exit by
   which reasons; only the first six months in care are set apart) and assumed moves between
   categories (MOVES). A handful of numbers are calibrated so that its expected-value steady
   state (constant entries, run to equilibrium) reproduces the published figures:
   base[reason][band] to the exits by reason and age band; the moves fostering -> adoption
   to adoptions by age; the adoption exit hazard to the number placed for adoption; and one
   lever per category to that category's share of the stock (see CALIBRATED). The total stock
   is not fitted: it follows from the flows. This structure is not written anywhere.
4. Write coarse rows instead (EXIT_ROWS, MOVE_ROWS: 30 exit and 20 move rows, each one rate
   over the cells it names) and fit their rates a second time (fit_rows): each exit row to
   the detailed structure's exits in its cells (so exits by reason are kept), the adoption
   exit and a few move rows (ROW_LEVERS) to the category mix, the placements for adoption to
   the detailed structure's; other moves keep their assumed rates. Rates are rounded to 4
   significant digits and everything after is computed from the rounded rates.
5. Each rate's evidence is what the population would record over a window of W years if the
   rates held: exposure_years = W x the child-years at risk in the row's cells in the
   written model's steady state, events = rate x exposure_years. W = 3 for the example
   (--example-years), 1 for England. Entries: events = W years of entries, exposure = W.
6. Steady states are computed exactly as the simulation would in expectation, month by month:
   within each month a child's category follows the continuous-time chain of its cell's
   hazards (exits and moves, per year; several events a month are possible), one matrix
   exponential per (age band, time-in-care band); then everyone ages one month and those
   reaching 216 months leave with reason age18; the month's entrants start at a uniform time
   in the month, in the age band of their age at its start, with months in care 0.
7. The starting population is the written model's steady state over (age in months, category,
   months in care), rescaled by iterative proportional fitting to the published stock by age
   band and by category, split by provider with each category's in_house_share, and rounded
   to integers: largest remainder over categories, then over (provider, age band,
   time-in-care band) within each category, then cumulative rounding along (age, months in
   care) within each of those cells. england.json puts months in care on a coarser grid
   (options --england-grid6, --england-grid24) to stay near 2 MB.
8. Capacity and costs (capacity_section, costs_section): in-house pools sized against the
   in-house children of the starting population (foster households from Ofsted's children
   per household, approvals and deregistrations from Ofsted's mainstream households
   2021-22 to 2023-24; children's homes; supported units), each with usable places
   POOL_MARGIN above those children at the base date; weekly prices per category from
   Worcestershire 2023, PSSRU/DfE, CCN and LGA figures and assumptions (PRICES), at 2025-26
   prices (england.json: one uplift lower, price date 1 April 2024); the example county's
   budgets for 2025-26 and 2026-27 at BUDGET_SHARE of its expected spend.

Standard library only. The output is deterministic: the same inputs give byte-identical files.

Usage:  tools/derive_models.py [--data DIR] [--out DIR] [--example-years W] [--report]
        --report prints the tables used in docs/example-model.md (markdown) on stdout.
"""

import argparse
import csv
import json
import math
import os
import sys
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEAR = "2024"  # DfE time_period: year ending 31 March 2024

BANDS = ["under1", "1-4", "5-9", "10-15", "16-17"]
BAND_YEARS = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 18)]
TAUS = ["under6m", "6-24m", "24m+"]
TAU_MONTHS = [(0, 6), (6, 24), (24, None)]
CATS = ["fostering", "kinship", "residential", "secure", "supported", "with_parents",
        "adoption", "other"]
REASONS = ["adoption", "sgo", "cao", "home", "independent", "transfer", "custody", "other"]
NA = 216  # ages 0..215 months; reaching 216 = 18th birthday
NB, NT, NC, NR = len(BANDS), len(TAUS), len(CATS), len(REASONS)
CI = {c: i for i, c in enumerate(CATS)}
BI = {b: i for i, b in enumerate(BANDS)}
RI = {r: i for i, r in enumerate(REASONS)}
BAND_OF_AGE = [next(i for i, (lo, hi) in enumerate(BAND_YEARS) if 12 * lo <= a < 12 * hi)
               for a in range(NA)]


def tau_of(m):
    return 0 if m < 6 else (1 if m < 24 else 2)


# ---------------------------------------------------------------------------------------------
# Published figures: which rows of which files are used.
# ---------------------------------------------------------------------------------------------

STOCK_AGE_ROWS = [("under1", "Under 1 year"), ("1-4", "1 to 4 years"), ("5-9", "5 to 9 years"),
                  ("10-15", "10 to 15 years"), ("16-17", "16 years and over")]
START_AGE_ROWS = STOCK_AGE_ROWS
CEASE_AGE_ROWS = [("under1", ["Under 1 year"]), ("1-4", ["1 to 4 years"]),
                  ("5-9", ["5 to 9 years"]), ("10-15", ["10 to 15 years"]),
                  ("16-17", ["16 years", "17 years"]), ("18+", ["18 years and over"])]
CEASE_AGES = [x[0] for x in CEASE_AGE_ROWS]

# Published reasons (characteristic in ceased.csv, cla_group "Reason episode ceased"), short key,
# model exit reason ("age18" = the model's ageing-out), and the ASSUMED age profile of the
# reason before fitting (shares over under1, 1-4, 5-9, 10-15, 16-17, 18+). DfE publish ceases by
# reason and by age separately; these profiles are the prior for the cross. Zeros stay zero.
ASSUMED_REASON_AGE = [
    ("Adopted", "adopted", "adoption", [.08, .78, .13, .01, 0, 0]),
    ("Special guardianship order", "sgo", "sgo", [.09, .42, .26, .19, .04, 0]),
    ("Residence order or child arrangement order granted", "cao", "cao",
     [.08, .38, .26, .22, .06, 0]),
    ("Returned home to live with parents or other person with parental responsibility which "
     "was part of the care planning process", "home_planned", "home",
     [.10, .20, .15, .27, .13, .15]),
    ("Returned home to live with parents or other person with parental responsibility which "
     "was not part of the care planning process", "home_unplanned", "home",
     [.03, .07, .08, .35, .27, .20]),
    ("Left care to live with parents, relatives or other person with no parental "
     "responsibility", "relatives_no_pr", "home", [.02, .05, .05, .15, .18, .55]),
    ("Moved into independent living (with supportive accommodation)", "indep_supported",
     "independent", [0, 0, 0, 0, .12, .88]),
    ("Moved into independent living (with no formalised support)", "indep_unsupported",
     "independent", [0, 0, 0, 0, .15, .85]),
    ("Care taken by another local authority", "other_la", "transfer",
     [.10, .25, .20, .30, .15, 0]),
    ("Transferred to residential care funded by adult social services", "adult_services",
     "transfer", [0, 0, 0, 0, .02, .98]),
    ("Sentenced to custody", "custody", "custody", [0, 0, 0, .40, .45, .15]),
    ("Accommodation on remand ended", "remand_ended", "other", [0, 0, 0, .50, .45, .05]),
    ("Age assessment determined child aged 18 or over", "age_assessed", "other",
     [0, 0, 0, .05, .90, .05]),
    ("Died", "died", "other", [.30, .20, .10, .20, .10, .10]),
    ("Child moved abroad", "abroad", "other", [.10, .25, .25, .25, .10, .05]),
    ("Care ceased for any other reason", "any_other", "other", [.04, .08, .08, .20, .20, .40]),
    ("Aged 18 (or over) and remained with current carers", "staying_put", "age18",
     [0, 0, 0, 0, 0, 1]),
]

# Placement rows of cla_31_march.csv (cla_group "Placement") -> model categories.
PLACEMENT_ROWS = {
    "foster": "Foster placements",
    "supported": "Independent and semi-independent living arrangements/supported accommodation",
    "other": "Other placements",
    "other_res": "Other residential settings",
    "adoption": "Placed for adoption",
    "with_parents": "Placed with parents or other person with parental responsibility",
    "res_school": "Residential schools",
    "homes": "Secure homes and children's homes",
}
PROVIDER_ROWS = {
    "own": "Own provision (by the LA)",
    "other_la": "Other LA provision",
    "other_public": "Other public provision (e.g. by a PCT etc)",
    "private": "Private provision",
    "voluntary": "Voluntary/third sector provision",
    "parents": "Parents or other person with parental responsibility",
    "not_reported": "Placement provider not reported",
}

# ---------------------------------------------------------------------------------------------
# Assumptions (every one is listed and argued in docs/example-model.md).
# ---------------------------------------------------------------------------------------------

# Kinship share of foster placements: Ofsted Fostering in England 2021-22, family-and-friends
# households 7,855 of 43,905 fostering households (shared/data/fostering_figures.md).
KINSHIP_HOUSEHOLDS, ALL_FOSTER_HOUSEHOLDS = 7855, 43905
# Share of "Secure homes and children's homes" that are secure children's homes: about 130
# children (DfE SA1: about 210 children in secure children's homes in England and Wales at
# 31 March 2016, half on welfare grounds, plus looked-after children on remand).
SECURE_SHARE_OF_HOMES = 0.015

# In-house share of new placements per category; fostering is derived (see in_house_shares()).
IN_HOUSE_ASSUMED = {"kinship": 0.97, "residential": 0.17, "secure": 0.05, "supported": 0.20,
                    "with_parents": 1.0, "adoption": 0.85, "other": 0.30}

# Category of first placement by age band at entry (the published tables are silent).
CATEGORY_MIX = {
    "under1": {"fostering": .66, "kinship": .12, "with_parents": .08, "other": .14},
    "1-4": {"fostering": .70, "kinship": .17, "with_parents": .06, "other": .07},
    "5-9": {"fostering": .70, "kinship": .17, "residential": .02, "with_parents": .05,
            "other": .06},
    "10-15": {"fostering": .62, "kinship": .10, "residential": .13, "secure": .01,
              "with_parents": .04, "other": .10},
    "16-17": {"fostering": .32, "kinship": .05, "residential": .10, "secure": .005,
              "supported": .40, "with_parents": .03, "other": .095},
}

# Age at entry within a band. Under-1 entrants are mostly newborns (weights per month of age).
# Other bands: weights per year of age, uniform over the months of each year, following the
# U-shape of entries by single year of age (falling from infancy to middle childhood, rising
# through the teens); 16-17: more entrants at 16 than at 17.
AGE_WEIGHTS = {"under1": [50, 10, 6, 5, 4, 4, 4, 4, 4, 3, 3, 3],
               "1-4": [1.15, 1.05, 0.95, 0.85],
               "5-9": [1.1, 1.05, 1.0, 0.95, 0.9],
               "10-15": [0.7, 0.8, 0.9, 1.1, 1.2, 1.3],
               "16-17": [0.6, 0.4]}

# Which categories exit by which reason: relative hazard by category (0 = never).
EXIT_CATEGORY_MULT = {
    "adoption": {"adoption": 1},
    "sgo": {"kinship": 1, "fostering": .10, "other": .05, "residential": .01},
    "cao": {"with_parents": 1, "kinship": .6, "fostering": .15, "other": .15,
            "residential": .05, "supported": .05},
    "home": {"with_parents": 2.5, "fostering": 1, "kinship": .8, "residential": 1,
             "supported": 1, "secure": 1, "other": 2},
    "independent": {"supported": 1, "residential": .3, "fostering": .15, "kinship": .1,
                    "with_parents": .1, "other": .3, "secure": .1},
    "transfer": {c: 1 for c in CATS if c != "adoption"},
    "custody": {"secure": 5, "residential": 3, "supported": 2, "other": 2, "fostering": .3,
                "kinship": .3, "with_parents": .3},
    "other": {"fostering": 1, "kinship": 1, "residential": 1, "secure": 1, "supported": 2,
              "with_parents": 1, "other": 1.5},
}
# How exits depend on time in care: relative hazard under 6 months, 6-24 months, 24 months+.
# Only the first six months are set apart (returns home are frequent early; court orders follow
# proceedings that take months): the rows written to the files cannot carry more, and no
# published figure would check it.
EXIT_TAU_MULT = {
    "adoption": [1, 1, 1], "sgo": [.2, 1, 1], "cao": [.4, 1, 1], "home": [3, 1, 1],
    "independent": [1, 1, 1], "transfer": [1, 1, 1], "custody": [1, 1, 1], "other": [2, 1, 1],
}

# Moves between categories, one row each in the files: from, to, age bands (None = all), level
# (per year, multiplied by the lever), lever (a calibrated factor, or None), note. Every row
# covers all time-in-care bands.
MOVES = [
    ("fostering", "adoption", ["under1", "1-4"], 1, "f2a_under5", "placed for adoption, under 5"),
    ("fostering", "adoption", ["5-9"], 1, "f2a_5-9", "placed for adoption, 5-9"),
    ("adoption", "fostering", None, .03, None, "adoption placement disrupted"),
    ("fostering", "kinship", None, .02, "to_kinship", "to a kinship carer"),
    ("kinship", "fostering", None, .04, None, "kinship placement ends"),
    ("fostering", "with_parents", None, .03, "to_with_parents", "placed with parents"),
    ("with_parents", "fostering", None, .10, None, "placement with parents ends"),
    ("fostering", "residential", ["10-15", "16-17"], 1, "to_residential",
     "foster placement to residential"),
    ("residential", "fostering", ["5-9", "10-15", "16-17"], .045, None, "step-down to fostering"),
    ("fostering", "supported", ["16-17"], 1, "to_supported", "to supported accommodation"),
    ("residential", "supported", ["16-17"], 1.5, "to_supported", "to supported accommodation"),
    ("other", "supported", ["16-17"], 1, "to_supported", "to supported accommodation"),
    ("supported", "residential", ["16-17"], .04, None, "supported accommodation to residential"),
    ("supported", "fostering", ["16-17"], .03, None, "supported accommodation to fostering"),
    ("other", "fostering", None, 1, "from_other", "temporary and other placements to fostering"),
    ("other", "kinship", None, .2, "from_other", "temporary and other placements to kinship"),
    ("fostering", "other", None, .01, None, "to temporary and other placements"),
    ("residential", "other", ["10-15", "16-17"], .02, None, "to temporary and other placements"),
    ("residential", "secure", ["10-15", "16-17"], .015, None, "to a secure children's home"),
    ("secure", "residential", ["10-15", "16-17"], 1, "from_secure",
     "secure children's home to residential"),
]

# What each calibrated number is fitted to (besides base[reason][band], fitted to the exits by
# reason and age band). Stocks are fitted as shares of the model's total stock.
CALIBRATED = {
    "f2a_under5": "adoptions aged under 5",
    "f2a_5-9": "adoptions aged 5-9",
    "adoption_exit": "share of stock placed for adoption",
    "k_kinship": "share of stock in kinship",
    "k_with_parents": "share of stock placed with parents",
    "to_residential": "share of stock in residential",
    "to_supported": "share of stock in supported accommodation",
    "from_other": "share of stock in other placements",
    "from_secure": "share of stock in secure homes",
}
INITIAL_LEVERS = {"f2a_under5": .3, "f2a_5-9": .05, "adoption_exit": 1.4, "k_kinship": 1,
                  "k_with_parents": 1, "to_residential": .03, "to_supported": .3,
                  "from_other": 1, "from_secure": 2}

# ---------------------------------------------------------------------------------------------
# Capacity and costs (docs/example-model.md, "Capacity and costs"). Published figures first,
# then the assumptions (marked ASSUMPTION). Every weekly price is at 2025-26 prices (price date
# 1 April 2025) unless stated.
# ---------------------------------------------------------------------------------------------

# Ofsted Fostering in England, 31 March 2019, all agencies (shared/data/fostering_figures.md).
OFSTED_2019 = {"households": 44450, "places": 88370, "filled": 54870, "vacant": 16080,
               "not_available": 15845}
# Ofsted mainstream (not family-and-friends) fostering households at 31 March, and mainstream
# households approved / deregistered in the year (fostering_figures.md: 2021-22 and 2022-23 from
# Ofsted via fosterline.info, the Independent and CYP Now; 2023-24 from fosteringnews.co.uk,
# secondary). The stock at 31 March 2021 and 2024 follows from the flows (2022-23's flows turn
# 36,050 into exactly the published 35,005).
MAINSTREAM_HOUSEHOLDS = {2022: 36050, 2023: 35005}
MAINSTREAM_FLOWS = [(2022, 4035, 5435), (2023, 4080, 5125), (2024, 4055, 4820)]  # year to 31 March
# ASSUMPTION: usable in-house foster places at the base date exceed the in-house fostering
# children by this margin (the rest of Ofsted's vacant places cannot be matched: age range,
# sibling groups, distance). The same margin sizes the homes and units pools.
POOL_MARGIN = 0.07
# ASSUMPTION: months from Ofsted approval (at panel) to a household's first placement. The
# months of assessment before approval (domain.md) are not modelled.
APPROVAL_LAG_MONTHS = 3
# ASSUMPTION: the example county's in-house children's homes, as a pattern repeated until the
# usable beds reach the margin: (name, beds, usable share). Children's homes average about 4
# places (CYP Now 2023, from DfE/Ofsted); Worcestershire ran a 4-bed home for 2 children because
# it could not recruit staff (domain.md). 0.85 elsewhere: staff vacancies, matching and a bed kept
# for emergencies.
HOMES_PATTERN = [("Oak House", 6, 0.85), ("Ash Lodge", 5, 0.85), ("Elm House", 5, 0.85),
                 ("Beech Cottage", 4, 0.5)]
# ASSUMPTION: supported accommodation units (flats, supported lodgings) usable between voids.
UNITS_USABLE_SHARE = 0.85

PRICE_DATE = "2025-04-01"
# ASSUMPTION: past uplifts (used to bring the 2023 prices to 2025-26): 6% for external residential
# (the 2023 framework uplift quoted for Worcestershire, domain.md), 3% for everything else.
UPLIFT_GENERAL, UPLIFT_EXT_RESIDENTIAL = 0.03, 0.06
# ASSUMPTION: future uplifts in the baseline, each 1 April after the price date: 3% for every
# category and provider. A 6% residential framework uplift is a scenario
# (scenarios/residential-uplift-6pc.json), so its cost shows as a difference from the baseline.
UPLIFT_FUTURE = 0.03
# Worcestershire 2023 framework / spot weekly prices (domain.md), taken as 2023-24 prices and
# uplifted twice (1 April 2024 and 1 April 2025) at the uplifts above.
WORCS_2023 = {"fostering": (880, 1025), "residential": (5761, 5821), "supported": (806, 1310)}
WORCS_YEARS_TO_PRICE_DATE = 2
# LA children's home, cost per resident week c. 2016 (DfE written answer citing PSSRU,
# unit_cost_figures.md), uplifted by the National Living Wage (staff costs dominate): £7.20 from
# April 2016, £12.21 from April 2025 (gov.uk).
LA_HOME_2016, NLW_2016, NLW_2025 = 3000, 7.20, 12.21
# LGA high-cost placements survey (2023): placements of £10,000 a week or more.
HIGH_COST_PER_WEEK = 10000
# Weekly prices per category: in-house, framework, spot, framework share, external price CV.
# None = computed from the figures above. ASSUMPTIONS unless a source is named (see the docs).
PRICES = {
    "fostering": (600, None, None, 0.8, 0.2),
    "kinship": (300, "fostering", None, 1.0, 0.0),
    "residential": (None, None, None, 0.4, 0.6),
    "secure": (8500, 8500, None, 1.0, 0.0),
    "supported": (600, None, None, 0.6, 0.0),
    "with_parents": (75, 75, None, 1.0, 0.0),
    "adoption": (50, 800, None, 1.0, 0.0),
    "other": (400, 1500, 2000, 0.5, 0.0),
}
PRICE_NOTES = {
    "fostering": "In-house: assumption (allowances, fees, supervising social work). External: "
                 "IFA framework / spot £880 / 1,025 (Worcestershire 2023) uplifted 3% a "
                 "year to 2025-26; framework share assumed; CV 0.2 from the spread of IFA "
                 "prices (Wiltshire 2011: £585-1,819).",
    "kinship": "Assumption: in-house = fostering allowance level; the few external kinship "
               "placements (connected carers with an IFA) at the IFA framework price.",
    "residential": "In-house: LA children's home about £3,000 a resident week c. 2016 "
                   "(DfE answer citing PSSRU) x National Living Wage 12.21 / 7.20. External: "
                   "framework / spot £5,761 / 5,821 (Worcestershire 2023) uplifted 6% a "
                   "year (CCN 2024 average £6,108 x 1.06 = 6,474); framework share 0.4 "
                   "(West Midlands framework 29-45%, Herefordshire 2017); CV 0.6 from the LGA "
                   "count of £10k+ placements.",
    "secure": "Assumption: welfare placement in a secure children's home, about £"
              "7,000-10,000 a week; same price in-house and external.",
    "supported": "In-house: assumption. External: framework / spot £806 / 1,310 "
                 "(Worcestershire 2023) uplifted 3% a year; framework share assumed.",
    "with_parents": "Assumption: no placement fee; incidental support only.",
    "adoption": "Assumption: in-house adopters receive no fee; an external (voluntary agency) "
                "placement carries an inter-agency fee, spread over the months placed.",
    "other": "Assumption: a mix of parent-and-child, health, custody and temporary placements.",
}
# LGA high-cost placements survey (2023): English councils spent £4.7bn on placements in
# 2022-23 against budgets of £4.1bn, and project £5.4bn against £4.7bn for 2023-24.
LGA_SPEND_BUDGET = {"2022-23": (4.7, 4.1), "2023-24": (5.4, 4.7)}
# ASSUMPTION: the example county budgets 87% of its expected spend, as English councils did
# (4.1 / 4.7 = 0.872, 4.7 / 5.4 = 0.870).
BUDGET_SHARE = 0.87
# Expected placement spend of the 700-child example county from `carecast run
# models/example.json --expected` (measured with the binary; re-measure and update when pools,
# prices or rates change). Budgets = BUDGET_SHARE x these, x --example-total / 700.
EXAMPLE_EXPECTED_SPEND = {"2025-26": 49513291, "2026-27": 50479319}


def die(msg):
    sys.stderr.write("derive_models: " + msg + "\n")
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Reading the data
# ---------------------------------------------------------------------------------------------

SUPPRESSED = {"c", "k", "x", "z", ""}


def read_national(path, groups):
    """National rows of a DfE long table for YEAR: {(cla_group, characteristic): number}."""
    out = {}
    try:
        f = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        die("cannot open %s: %s" % (path, e.strerror))
    with f:
        for row in csv.DictReader(f):
            if row.get("geographic_level") != "National" or row.get("time_period") != YEAR:
                continue
            if row.get("cla_group") not in groups:
                continue
            key = (row["cla_group"], row["characteristic"])
            val = row["number"].strip()
            if key in out and out[key] != val:
                die("%s: two different National %s rows for %s" % (path, YEAR, key))
            out[key] = val
    return out


class Figures:
    """Published figures with a record of where each came from (for the report)."""

    def __init__(self, datadir):
        self.datadir = datadir
        self.used = []  # (file, cla_group, characteristic, value)
        dfe = os.path.join(datadir, "dfe")
        self.f_stock = os.path.join(dfe, "cla_31_march.csv")
        self.f_start = os.path.join(dfe, "started.csv")
        self.f_cease = os.path.join(dfe, "ceased.csv")
        self.f_ts = os.path.join(dfe, "england_time_series_1994_2024.csv")
        self.f_pop = os.path.join(datadir, "population_0to17.csv")
        self.stock = read_national(self.f_stock, {"Age group", "Placement", "Place providers"})
        self.start = read_national(self.f_start, {"Age on starting"})
        self.cease = read_national(self.f_cease, {"Age on ceasing", "Reason episode ceased"})

    def get(self, table, path, group, char):
        val = table.get((group, char))
        if val is None:
            die("%s: no National %s row for %s / %s" % (path, YEAR, group, char))
        if val in SUPPRESSED:
            die("%s: %s / %s is suppressed (%r)" % (path, group, char, val))
        try:
            n = int(val)
        except ValueError:
            die("%s: %s / %s: not a whole number: %r" % (path, group, char, val))
        self.used.append((os.path.relpath(path, self.datadir), group, char, n))
        return n

    def stock_row(self, group, char):
        return self.get(self.stock, self.f_stock, group, char)

    def start_row(self, char):
        return self.get(self.start, self.f_start, "Age on starting", char)

    def cease_row(self, group, char):
        return self.get(self.cease, self.f_cease, group, char)

    def population(self):
        pop = {}
        try:
            f = open(self.f_pop, newline="", encoding="utf-8-sig")
        except OSError as e:
            die("cannot open %s: %s" % (self.f_pop, e.strerror))
        with f:
            for row in csv.DictReader(f):
                if row.get("geographic_level") != "National":
                    continue
                year, val = row["time_period"], float(row["population_estimate"])
                if year in pop and pop[year] != val:
                    die("%s: two different National rows for %s" % (self.f_pop, year))
                pop[year] = val
        if not pop:
            die("%s: no National rows" % self.f_pop)
        years = sorted(pop)
        self.used.append((os.path.relpath(self.f_pop, self.datadir), "National",
                          "Children aged 0 to 17 years, %s-%s" % (years[0], years[-1]),
                          int(pop[YEAR])))
        return {y: pop[y] for y in years}

    def time_series(self):
        """England time series (DfE release 2024) for YEAR, for comparison only."""
        out = {}
        with open(self.f_ts, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if row["time_period"] == YEAR:
                    out[row["population_count"]] = int(row["number"])
        return out


def published(fig):
    """All the published targets, at national scale."""
    P = {}
    P["stock_total"] = fig.stock_row("Age group", "Total")
    P["stock_band"] = [fig.stock_row("Age group", ch) for _, ch in STOCK_AGE_ROWS]
    P["starts_band"] = [fig.start_row(ch) for _, ch in START_AGE_ROWS]
    P["starts_total"] = fig.start_row("Total")
    P["cease_age"] = [sum(fig.cease_row("Age on ceasing", ch) for ch in chs)
                      for _, chs in CEASE_AGE_ROWS]
    P["cease_total"] = fig.cease_row("Age on ceasing", "Total")
    P["cease_reason"] = [fig.cease_row("Reason episode ceased", ch)
                         for ch, _, _, _ in ASSUMED_REASON_AGE]
    pl = {k: fig.stock_row("Placement", ch) for k, ch in PLACEMENT_ROWS.items()}
    P["placement"] = pl
    P["placement_total"] = fig.stock_row("Placement", "Total")
    P["provider"] = {k: fig.stock_row("Place providers", ch) for k, ch in PROVIDER_ROWS.items()}
    kin_share = KINSHIP_HOUSEHOLDS / ALL_FOSTER_HOUSEHOLDS
    secure = pl["homes"] * SECURE_SHARE_OF_HOMES
    cat = {
        "fostering": pl["foster"] * (1 - kin_share),
        "kinship": pl["foster"] * kin_share,
        "residential": pl["homes"] - secure + pl["other_res"] + pl["res_school"],
        "secure": secure,
        "supported": pl["supported"],
        "with_parents": pl["with_parents"],
        "adoption": pl["adoption"],
        "other": pl["other"],
    }
    P["stock_cat_raw"] = [cat[c] for c in CATS]
    # The placement rows are rounded to tens by DfE and sum to 83,550, not 83,530: rescale.
    s = sum(P["stock_cat_raw"])
    P["stock_cat"] = [x * P["stock_total"] / s for x in P["stock_cat_raw"]]
    if abs(sum(P["stock_band"]) - P["stock_total"]) > 50:
        die("stock by age does not add up to the total")
    return P


def in_house_shares(P):
    """in_house_share per category. Fostering is whatever makes the categories' in-house
    children add up to the published "Own provision (by the LA)" count."""
    own = P["provider"]["own"]
    stock = dict(zip(CATS, P["stock_cat"]))
    rest = sum(stock[c] * IN_HOUSE_ASSUMED[c] for c in CATS
               if c not in ("fostering", "with_parents", "other"))
    shares = dict(IN_HOUSE_ASSUMED)
    shares["fostering"] = (own - rest) / stock["fostering"]
    return {c: round(shares[c], 4) for c in CATS}


# ---------------------------------------------------------------------------------------------
# The age x reason cross of ceases
# ---------------------------------------------------------------------------------------------

def ipf2(prior, row_tot, col_tot, iters=1000):
    m = [list(r) for r in prior]
    for _ in range(iters):
        for i, r in enumerate(m):
            s = sum(r)
            if s > 0:
                m[i] = [x * row_tot[i] / s for x in r]
        worst = 0.0
        for j in range(len(col_tot)):
            s = sum(r[j] for r in m)
            if s > 0:
                f = col_tot[j] / s
                worst = max(worst, abs(f - 1))
                for r in m:
                    r[j] *= f
        if worst < 1e-12:
            break
    return m


def cease_cross(P):
    """Ceases by published reason x age (national), fitted to both published margins."""
    rows = [a[3] for a in ASSUMED_REASON_AGE]
    # Reason counts sum to 33,800, ages to 33,780 (independent rounding): scale the reasons.
    rt = P["cease_reason"]
    f = sum(P["cease_age"]) / sum(rt)
    prior = [[w * 1000 for w in r] for r in rows]
    return ipf2(prior, [x * f for x in rt], P["cease_age"])


def exit_targets(cross):
    """Annual under-18 exits by model reason and age band (national), from the cross."""
    t = [[0.0] * NB for _ in range(NR)]
    age18 = 0.0
    for (_, _, model_r, _), row in zip(ASSUMED_REASON_AGE, cross):
        for j in range(NB):
            if model_r == "age18":
                continue
            t[RI[model_r]][j] += row[j]
        age18 += row[NB]  # column 18+
    return t, age18


# ---------------------------------------------------------------------------------------------
# The model: hazard tables and the expected-value steady state
# ---------------------------------------------------------------------------------------------

def entry_age_weights():
    """Monthly share of each band's entrants at each age in months."""
    w = [0.0] * NA
    for bi, b in enumerate(BANDS):
        lo, hi = 12 * BAND_YEARS[bi][0], 12 * BAND_YEARS[bi][1]
        ws = AGE_WEIGHTS.get(b)
        if ws is None:
            per = [1.0] * (hi - lo)
        elif len(ws) == hi - lo:
            per = [float(x) for x in ws]
        else:
            per = [float(ws[(a - lo) // 12]) for a in range(lo, hi)]
        s = sum(per)
        for a in range(lo, hi):
            w[a] = per[a - lo] / s
    return w


def build_rates(base, lev):
    """Cell hazards per year: exit[r][b][c][t], move[c][j][b][t]."""
    ex = [[[[0.0] * NT for _ in range(NC)] for _ in range(NB)] for _ in range(NR)]
    for r in REASONS:
        ri = RI[r]
        for c, cm in EXIT_CATEGORY_MULT[r].items():
            k = lev.get("k_" + c, 1.0)
            for bi in range(NB):
                b0 = lev["adoption_exit"] if r == "adoption" else base[ri][bi]
                for ti in range(NT):
                    ex[ri][bi][CI[c]][ti] = b0 * cm * k * EXIT_TAU_MULT[r][ti]
    mv = [[[[0.0] * NT for _ in range(NB)] for _ in range(NC)] for _ in range(NC)]
    for frm, to, bands, level, lever, _ in MOVES:
        # to_kinship and to_with_parents are fitted only in fit_rows(); 1 here.
        f = level * lev.get(lever, 1.0) if lever else level
        for b in bands or BANDS:
            for ti in range(NT):
                cell = mv[CI[frm]][CI[to]][BI[b]]
                if cell[ti] != 0.0:
                    die("two move rows cover %s->%s %s %s" % (frm, to, b, TAUS[ti]))
                cell[ti] = f
    return ex, mv


def transition_tables(ex, mv):
    """Per (band, tau): one month of the within-month chain over categories.

    Within a month a child's age band and time-in-care band are fixed and its category follows
    a continuous-time Markov chain with the monthly hazards (generator Q: moves off the
    diagonal, minus the total hazard on it; exits leave the chain), as the engine simulates it
    (docs/model.md, section 2). For each (band, tau): E = exp(Q) (where children in care at the
    start of the month end up), N1 = int_0^1 exp(Qu) du (their expected months in each
    category) and N2 = int_0^1 (1 - u) exp(Qu) du (the same for entrants, who start at a
    uniform time), by their Taylor series; plus the monthly exit and move hazards by category.
    """
    T = []
    for bi in range(NB):
        tb = []
        for ti in range(NT):
            Q = [[0.0] * NC for _ in range(NC)]
            exit_h = [[ex[r][bi][c][ti] / 12.0 for r in range(NR)] for c in range(NC)]
            move_h = [[mv[c][j][bi][ti] / 12.0 for j in range(NC)] for c in range(NC)]
            for c in range(NC):
                for j in range(NC):
                    if j != c:
                        Q[c][j] = move_h[c][j]
                Q[c][c] = -(sum(exit_h[c]) + sum(move_h[c][j] for j in range(NC) if j != c))
            norm = max(sum(abs(x) for x in row) for row in Q)
            if norm > 6:
                die("a monthly hazard above 6: the series below would be slow to converge")
            E = [[float(i == j) for j in range(NC)] for i in range(NC)]
            N1 = [[float(i == j) for j in range(NC)] for i in range(NC)]
            N2 = [[0.5 * (i == j) for j in range(NC)] for i in range(NC)]
            P = [row[:] for row in N1]  # Q^k
            fact = 1.0  # k!
            for k in range(1, 80):
                P = [[sum(P[i][m] * Q[m][j] for m in range(NC)) for j in range(NC)]
                     for i in range(NC)]
                fact *= k
                big = max(abs(x) for row in P for x in row) / fact
                for i in range(NC):
                    for j in range(NC):
                        v = P[i][j] / fact
                        E[i][j] += v
                        N1[i][j] += v / (k + 1)
                        N2[i][j] += v / ((k + 1) * (k + 2))
                if big < 1e-20:
                    break
            tb.append({"E": E, "N1": N1, "N2": N2, "exit": exit_h, "move": move_h})
        T.append(tb)
    return T


def _vecmat(v, M):
    n = len(v)
    out = [0.0] * n
    for i in range(n):
        x = v[i]
        if x:
            row = M[i]
            for j in range(n):
                out[j] += x * row[j]
    return out


def steady_state(entries_year, ex, mv, keep_cells=False):
    """Expected-value steady state with constant entries (children per year by band).

    Returns stock at the end of a month (= at the base date), annual flows, and the child-years
    at risk a year in each cell ("at_risk": the expected time in care in each cell; exits and
    moves in a cell are exactly its hazard x its child-years at risk, so these are the
    exposures a council would measure). Exact for the process the engine simulates: entrants
    start at a uniform time in their first month (in the age band of their age at the start of
    that month) and everyone follows the within-month chain (transition_tables); every child in
    care entered at most 215 months ago, so summing the entry cohorts of the last 216 months is
    the equilibrium.
    """
    T = transition_tables(ex, mv)
    w = entry_age_weights()
    stock = [[[0.0] * NT for _ in range(NC)] for _ in range(NB)]  # [b][c][t]
    at_risk = [[[0.0] * NT for _ in range(NC)] for _ in range(NB)]  # child-years a month
    exits = [[[[0.0] * NT for _ in range(NC)] for _ in range(NB)] for _ in range(NR)]
    moves = [[[[0.0] * NT for _ in range(NB)] for _ in range(NC)] for _ in range(NC)]
    age18_by_cat = [0.0] * NC
    exit_months = [0.0] * 3  # exits (all under-18 reasons) by time-in-care band
    cells = {} if keep_cells else None  # (a, c, m) -> children

    def flows(occ, bi, ti, Tt):
        for c in range(NC):
            o = occ[c]
            if not o:
                continue
            at_risk[bi][c][ti] += o / 12.0
            eh, mh = Tt["exit"][c], Tt["move"][c]
            for r in range(NR):
                if eh[r]:
                    exits[r][bi][c][ti] += o * eh[r]
                    exit_months[ti] += o * eh[r]
            for j in range(NC):
                if j != c and mh[j]:
                    moves[c][j][bi][ti] += o * mh[j]

    for a0 in range(NA):
        b0 = BAND_OF_AGE[a0]
        n = entries_year[b0] / 12.0 * w[a0]
        if n <= 0:
            continue
        mix = MIX_AS_WRITTEN[BANDS[b0]]
        S = [n * mix.get(c, 0.0) for c in CATS]
        # The month of entry: from a uniform start, in the band of the age at its start.
        be = BAND_OF_AGE[a0 - 1] if a0 > 0 else BAND_OF_AGE[0]
        Tt = T[be][0]
        flows(_vecmat(S, Tt["N2"]), be, 0, Tt)
        S = _vecmat(S, Tt["N1"])
        a, m = a0, 0
        while True:
            bi, ti = BAND_OF_AGE[a], tau_of(m)
            sb = stock[bi]
            for c in range(NC):
                if S[c]:
                    sb[c][ti] += S[c]
                    if keep_cells:
                        cells[(a, c, m)] = cells.get((a, c, m), 0.0) + S[c]
            Tt = T[bi][ti]
            flows(_vecmat(S, Tt["N1"]), bi, ti, Tt)
            new = _vecmat(S, Tt["E"])
            if a == NA - 1:
                for c in range(NC):
                    age18_by_cat[c] += new[c]
                break
            S = new
            a += 1
            m += 1
    annual = lambda x: x * 12.0  # noqa: E731  monthly flow -> per year
    res = {
        "stock": stock,
        "at_risk": [[[annual(v) for v in t] for t in b] for b in at_risk],
        "exits": [[[[annual(v) for v in t] for t in c] for c in b] for b in exits],
        "moves": [[[[annual(v) for v in t] for t in b] for b in j] for j in moves],
        "age18_by_cat": [annual(v) for v in age18_by_cat],
        "exit_tau": [annual(v) for v in exit_months],
        "cells": cells,
    }
    res["stock_band"] = [sum(sum(stock[b][c]) for c in range(NC)) for b in range(NB)]
    res["stock_cat"] = [sum(sum(stock[b][c]) for b in range(NB)) for c in range(NC)]
    res["exit_rb"] = [[sum(sum(res["exits"][r][b][c]) for c in range(NC)) for b in range(NB)]
                      for r in range(NR)]
    res["age18"] = sum(res["age18_by_cat"])
    return res


# ---------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------

def calibrate(P, targets, log=None, max_iter=400, tol=1e-9):
    entries = P["starts_band"]
    base = [[0.0] * NB for _ in range(NR)]
    for r in range(NR):
        for b in range(NB):
            base[r][b] = 0.05 if targets[r][b] > 0 else 0.0
    lev = dict(INITIAL_LEVERS)
    pub_share = [x / sum(P["stock_cat"]) for x in P["stock_cat"]]
    adopt_t = targets[RI["adoption"]]
    for it in range(max_iter):
        ex, mv = build_rates(base, lev)
        res = steady_state(entries, ex, mv)
        # The total stock follows from the flows; the levers fit the category *mix*.
        tcat = dict(zip(CATS, [x * sum(res["stock_cat"]) for x in pub_share]))
        worst = 0.0
        for r in range(NR):
            if REASONS[r] == "adoption":
                continue
            for b in range(NB):
                if targets[r][b] > 0:
                    f = targets[r][b] / res["exit_rb"][r][b]
                    worst = max(worst, abs(f - 1))
                    base[r][b] *= f
        mcat = dict(zip(CATS, res["stock_cat"]))
        ratios = {}
        ea = res["exit_rb"][RI["adoption"]]
        ratios["f2a_under5"] = (adopt_t[0] + adopt_t[1]) / (ea[0] + ea[1])
        ratios["f2a_5-9"] = adopt_t[2] / ea[2]
        ratios["adoption_exit"] = mcat["adoption"] / tcat["adoption"]
        ratios["k_kinship"] = mcat["kinship"] / tcat["kinship"]
        ratios["k_with_parents"] = mcat["with_parents"] / tcat["with_parents"]
        ratios["to_residential"] = tcat["residential"] / mcat["residential"]
        ratios["to_supported"] = tcat["supported"] / mcat["supported"]
        ratios["from_other"] = mcat["other"] / tcat["other"]
        ratios["from_secure"] = mcat["secure"] / tcat["secure"]
        for k, f in ratios.items():
            worst = max(worst, abs(f - 1))
            # damped: the levers interact through the shared base rates
            lev[k] *= f ** (0.8 if k.startswith("k_") or k.startswith("from") else 1.0)
        if log:
            log("calibration iteration %d: worst relative miss %.2e" % (it + 1, worst))
        if worst < tol:
            break
    else:
        die("calibration did not converge (worst relative miss %.3g)" % worst)
    return base, lev


# ---------------------------------------------------------------------------------------------
# The rows written to the files
# ---------------------------------------------------------------------------------------------

# The hazards above (the detailed structure: base x category factor x time-in-care factor, in
# every cell) are the assumptions, calibrated to the published margins. The files do not carry
# them cell by cell: most cells would rest on a handful of events in a county, and an analyst
# could not read 300 rows. They carry these coarser rows instead, one rate per row over the
# cells the row names (None = every band / category / time-in-care band). The rows of a
# reason (or move) cover exactly the cells where the detailed structure has a non-zero
# hazard; fit_rows() gives each exit row the exits the detailed structure has in its cells,
# so exits by reason are kept exactly. Each row adds half an event to its posterior (the
# Jeffreys prior): 1/6 of an exit a year per row in the example's three years of evidence,
# another reason to keep the rows few.
U5 = ["under1", "1-4"]
TEEN = ["10-15", "16-17"]
FROM5 = ["5-9", "10-15", "16-17"]
NOT_PLACED_FOR_ADOPTION = [c for c in CATS if c != "adoption"]
SGO_FROM = ["kinship", "fostering", "residential", "other"]
NON_KIN_SGO = ["fostering", "residential", "other"]
NOT_WITH_PARENTS = ["fostering", "kinship", "residential", "supported", "other"]
HOME_LOW = ["fostering", "kinship", "residential", "secure", "supported"]
FIRST_6M, AFTER_6M = ["under6m"], ["6-24m", "24m+"]

# (reason, categories, age bands, time-in-care bands, note). Age is the dimension that matters
# most: the stock by age band follows from the age at which children leave, so the rows keep the
# age gradient of each reason and merge categories and durations first.
EXIT_ROWS = [
    ("adoption", ["adoption"], None, None,
     "adoption order (E11, E12): only children placed for adoption"),
    ("sgo", SGO_FROM, ["under1"], None, "special guardianship order (E43-E48), infants"),
    ("sgo", ["kinship"], ["1-4"], None, "special guardianship order, kinship carers, 1-4"),
    ("sgo", ["kinship"], ["5-9"], None, "special guardianship order, kinship carers, 5-9"),
    ("sgo", ["kinship"], ["10-15"], None, "special guardianship order, kinship carers, 10-15"),
    ("sgo", NON_KIN_SGO, ["1-4"], None, "special guardianship order, other carers, 1-4"),
    ("sgo", NON_KIN_SGO, ["5-9"], None, "special guardianship order, other carers, 5-9"),
    ("sgo", NON_KIN_SGO, ["10-15"], None, "special guardianship order, other carers, 10-15"),
    ("sgo", SGO_FROM, ["16-17"], None, "special guardianship order, 16-17 (rare)"),
    ("cao", ["with_parents"], U5, None,
     "child arrangements order (E41), placed with parents, under 5"),
    ("cao", ["with_parents"], FROM5, None, "child arrangements order, placed with parents, 5-17"),
    ("cao", NOT_WITH_PARENTS, U5, None, "child arrangements order, other placements, under 5"),
    ("cao", NOT_WITH_PARENTS, ["5-9"], None, "child arrangements order, other placements, 5-9"),
    ("cao", NOT_WITH_PARENTS, TEEN, None, "child arrangements order, other placements, 10-17"),
    ("home", ["with_parents", "other"], None, FIRST_6M,
     "return home (E4A, E4B, E13) in the first 6 months in care, placed with parents or in "
     "other placements"),
    ("home", ["with_parents", "other"], None, AFTER_6M,
     "return home after 6 months in care, placed with parents or in other placements"),
    ("home", HOME_LOW, U5, FIRST_6M, "return home in the first 6 months in care, under 5"),
    ("home", HOME_LOW, U5, AFTER_6M, "return home after 6 months in care, under 5"),
    ("home", HOME_LOW, FROM5, FIRST_6M, "return home in the first 6 months in care, 5-17"),
    ("home", HOME_LOW, FROM5, AFTER_6M, "return home after 6 months in care, 5-17"),
    ("independent", ["supported"], ["16-17"], None,
     "independent living (E5, E6) before 18, from supported accommodation"),
    ("independent", ["fostering", "kinship", "residential", "secure", "with_parents", "other"],
     ["16-17"], None, "independent living before 18, from other placements"),
    ("transfer", NOT_PLACED_FOR_ADOPTION, U5, None, "care taken by another LA (E3), under 5"),
    ("transfer", NOT_PLACED_FOR_ADOPTION, ["5-9"], None, "care taken by another LA (E3), 5-9"),
    ("transfer", NOT_PLACED_FOR_ADOPTION, TEEN, None,
     "care taken by another LA or adult services (E3, E7), 10-17"),
    ("custody", ["residential", "secure", "supported", "other"], TEEN, None,
     "sentenced to custody (E9), residential, secure, supported and other placements"),
    ("custody", ["fostering", "kinship", "with_parents"], TEEN, None,
     "sentenced to custody, family placements (rare)"),
    ("other", NOT_PLACED_FOR_ADOPTION, U5, None,
     "other reasons (E2, E8, E14-E16), under 5"),
    ("other", NOT_PLACED_FOR_ADOPTION, ["5-9", "10-15"], None, "other reasons, 5-15"),
    ("other", NOT_PLACED_FOR_ADOPTION, ["16-17"], None,
     "other reasons, 16-17 (includes age assessed as 18 or over)"),
]

# The move rows are the rows of MOVES: (from, to, age bands, note).
MOVE_ROWS = [(frm, to, bands, note) for frm, to, bands, _, _, note in MOVES]

# In fit_rows(), the share of the stock in each of these categories is fitted by scaling these
# move rows together (as the levers of the same names do in calibrate()); for kinship and
# with_parents calibrate() used an exit multiplier, which the rows cannot carry.
ROW_LEVERS = {
    "kinship": [("fostering", "kinship")],
    "with_parents": [("fostering", "with_parents")],
    "residential": [("fostering", "residential")],
    "supported": [("fostering", "supported"), ("residential", "supported"),
                  ("other", "supported")],
    "other": [("other", "fostering"), ("other", "kinship")],
    "secure": [("secure", "residential")],
}


def exit_row_cells(row):
    r, cs, bs, ts = RI[row[0]], row[1] or CATS, row[2] or BANDS, row[3] or TAUS
    return [(r, BI[b], CI[c], TAUS.index(t)) for c in cs for b in bs for t in ts]


def move_row_cells(row):
    return [(CI[row[0]], CI[row[1]], BI[b], t) for b in (row[2] or BANDS) for t in range(NT)]


def check_row_coverage(ex, mv):
    """The rows of each reason / move cover exactly the cells where the detailed structure has
    a non-zero hazard, each cell once."""
    for kind, rows, cells_of, fine in (
            ("exit", EXIT_ROWS, exit_row_cells,
             {(r, b, c, t) for r in range(NR) for b in range(NB) for c in range(NC)
              for t in range(NT) if ex[r][b][c][t] > 0}),
            ("move", MOVE_ROWS, move_row_cells,
             {(c, j, b, t) for c in range(NC) for j in range(NC) for b in range(NB)
              for t in range(NT) if mv[c][j][b][t] > 0})):
        covered = set()
        for row in rows:
            for cell in cells_of(row):
                if cell in covered:
                    die("%s rows cover %r twice" % (kind, cell))
                covered.add(cell)
        if covered != fine:
            die("%s rows do not cover the detailed structure: missing %r, extra %r" % (
                kind, sorted(fine - covered)[:5], sorted(covered - fine)[:5]))


def row_tables(ex_rates, mv_rates):
    """Cell hazards from row rates, in the layout of build_rates()."""
    ex = [[[[0.0] * NT for _ in range(NC)] for _ in range(NB)] for _ in range(NR)]
    mv = [[[[0.0] * NT for _ in range(NB)] for _ in range(NC)] for _ in range(NC)]
    for row, h in zip(EXIT_ROWS, ex_rates):
        for r, b, c, t in exit_row_cells(row):
            ex[r][b][c][t] = h
    for row, h in zip(MOVE_ROWS, mv_rates):
        for c, j, b, t in move_row_cells(row):
            mv[c][j][b][t] = h
    return ex, mv


def row_flows(res):
    """Events a year (national) and child-years at risk a year in each row's cells of a steady
    state: (exit events, exit exposure, move events, move exposure)."""
    st = res["at_risk"]
    ex_ev = [sum(res["exits"][r][b][c][t] for r, b, c, t in exit_row_cells(row))
             for row in EXIT_ROWS]
    ex_st = [sum(st[b][c][t] for _, b, c, t in exit_row_cells(row)) for row in EXIT_ROWS]
    mv_ev = [sum(res["moves"][c][j][b][t] for c, j, b, t in move_row_cells(row))
             for row in MOVE_ROWS]
    mv_st = [sum(st[b][c][t] for c, _, b, t in move_row_cells(row)) for row in MOVE_ROWS]
    return ex_ev, ex_st, mv_ev, mv_st


def fit_rows(P, base, lev, log=None, max_iter=400, tol=1e-9):
    """Row rates for the files. Exit rows: the written model's steady state has, in each row's
    cells, the exits the detailed structure has there. The adoption exit row and the move rows
    of ROW_LEVERS: the category mix of the stock (published shares). The move rows for
    placement for adoption: the detailed structure's placements. Other move rows keep the rate
    of the detailed structure (they cover the same cells). Returns (exit rates, move rates,
    detailed steady state), unrounded."""
    ex_f, mv_f = build_rates(base, lev)
    check_row_coverage(ex_f, mv_f)
    fine = steady_state(P["starts_band"], ex_f, mv_f)
    t_ex, s_ex, t_mv, s_mv = row_flows(fine)
    # Exit rows start from the pooled estimate (events / child-years at risk of the detailed
    # structure); move rows cover the same cells as in the detailed structure, at one rate.
    h_ex = [e / s for e, s in zip(t_ex, s_ex)]
    h_mv = [mv_f[c][j][b][t] for c, j, b, t in (move_row_cells(r)[-1] for r in MOVE_ROWS)]
    pub_share = [x / sum(P["stock_cat"]) for x in P["stock_cat"]]
    ia = EXIT_ROWS.index(next(r for r in EXIT_ROWS if r[1] == ["adoption"]))
    lever_of = {}
    for cat, pairs in ROW_LEVERS.items():
        for pair in pairs:
            lever_of[[(r[0], r[1]) for r in MOVE_ROWS].index(pair)] = cat
    f2a = [i for i, r in enumerate(MOVE_ROWS) if r[:2] == ("fostering", "adoption")]
    for it in range(max_iter):
        res = steady_state(P["starts_band"], *row_tables(h_ex, h_mv))
        m_ex, _, m_mv, _ = row_flows(res)
        tot = sum(res["stock_cat"])
        share_ratio = [m / (p * tot) for m, p in zip(res["stock_cat"], pub_share)]
        worst = 0.0
        for i in range(len(h_ex)):
            # Children placed for adoption leave only by adoption or disruption, so in steady
            # state adoptions = placements - disruptions whatever the adoption rate: its level
            # is fitted to the number placed for adoption (as adoption_exit in calibrate()).
            f = share_ratio[CI["adoption"]] if i == ia else t_ex[i] / m_ex[i]
            worst = max(worst, abs(f - 1))
            h_ex[i] *= f
        for i in range(len(h_mv)):
            if i in f2a:
                f = t_mv[i] / m_mv[i]
            elif i in lever_of:
                cat = lever_of[i]
                sr = share_ratio[CI[cat]]
                f = (1 / sr if MOVE_ROWS[i][1] == cat else sr) ** 0.8  # damped, as in calibrate()
            else:
                continue
            worst = max(worst, abs(f - 1))
            h_mv[i] *= f
        if log:
            log("row fit iteration %d: worst relative miss %.2e" % (it + 1, worst))
        if worst < tol:
            break
    else:
        die("row fit did not converge (worst relative miss %.3g)" % worst)
    return h_ex, h_mv, fine


# ---------------------------------------------------------------------------------------------
# Rounding and formatting
# ---------------------------------------------------------------------------------------------

def sig(x, n=4):
    """Round to n significant digits (as a float)."""
    if x == 0:
        return 0.0
    return float("%.*g" % (n, x))


def round_shares(d, places=4):
    """Round shares to `places` decimals; the residual goes on the largest, so the decimal
    values sum to exactly 1."""
    keys = list(d)
    tot = sum(d.values())
    q = {k: round(d[k] / tot, places) for k in keys}
    big = max(keys, key=lambda k: (q[k], -keys.index(k)))
    scale = 10 ** places
    resid = scale - sum(round(q[k] * scale) for k in keys)
    q[big] = (round(q[big] * scale) + resid) / scale
    return q


# The category mix exactly as written to the files (4 decimals, summing to 1).
MIX_AS_WRITTEN = {b: round_shares(CATEGORY_MIX[b]) for b in BANDS}


def largest_remainder(values, total):
    """Integers summing to `total`, proportional to `values`; ties broken by position."""
    s = sum(values)
    if s <= 0 or total == 0:
        return [0] * len(values)
    raw = [v * total / s for v in values]
    out = [int(math.floor(x)) for x in raw]
    short = total - sum(out)
    order = sorted(range(len(values)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:short]:
        out[i] += 1
    return out


def fmt_num(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        die("non-finite number in output")
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    s = format(Decimal(repr(x)), "f")
    return s


def is_leaf(v):
    if isinstance(v, dict):
        return all(not isinstance(x, (dict, list)) or (isinstance(x, list) and is_leaf(x))
                   for x in v.values())
    if isinstance(v, list):
        return all(not isinstance(x, (dict, list)) for x in v)
    return True


def dump(v, indent=0, in_list=False):
    """JSON with 2-space indent; rows of lists and small flat objects on one line."""
    pad = "  " * indent
    if isinstance(v, dict):
        inline = "{" + ", ".join(json.dumps(k) + ": " + dump(x, 0) for k, x in v.items()) + "}"
        if not v or (is_leaf(v) and (in_list or len(inline) <= 160)):
            return inline
        items = [pad + "  " + json.dumps(k) + ": " + dump(x, indent + 1) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if is_leaf(v):
            return "[" + ", ".join(dump(x, 0) for x in v) + "]"
        items = [pad + "  " + dump(x, indent + 1, in_list=True) for x in v]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "null"
    return fmt_num(v)


# ---------------------------------------------------------------------------------------------
# Building a model file
# ---------------------------------------------------------------------------------------------

def make_model(P, rows, res, shares, scale, window, total, base_date, name, m_grid,
               population, description, price_date, aggregate_homes, budgets_scale=None,
               report=None):
    """Build the model dict for a population `scale` x England whose evidence is `window`
    years of its own data. rows = (exit rates, move rates) as written; res = the written
    model's steady state at national scale."""
    h_ex, h_mv = rows
    entries_nat = P["starts_band"]
    if report is not None:
        report["res"] = res
    model = {"format_version": 1, "name": name, "description": description,
             "source": "DfE Children looked after in England including adoptions, year ending "
                       "31 March 2024 (national rows of cla_31_march.csv, started.csv, "
                       "ceased.csv); ONS mid-year 0-17 population; Ofsted Fostering in England "
                       "2021-22. Capacity and costs: Ofsted Fostering in England (2019; "
                       "mainstream households 2021-22 to 2023-24), Worcestershire 2023 "
                       "placement prices, DfE/PSSRU unit costs, County Councils Network 2024, "
                       "LGA high-cost placements survey 2023. Derived by "
                       "tools/derive_models.py; see docs/example-model.md.",
             "note": "Evidence (events, exposure_years) is what %s would record in %s if "
                     "these rates held: exposure_years = the child-years at risk in the row's "
                     "cells in that time (from the model's steady state), events = "
                     "rate_per_year x exposure_years (an expected count, so fractional). "
                     "Entries: events = the entries in that time, exposure_years = %s." % (
                         "a county of this size" if scale != 1 else "England",
                         "%s years" % fmt_num(window) if window != 1 else "one year",
                         fmt_num(window)),
             "base_date": base_date}
    model["age_bands"] = [{"name": b, "from_years": lo, "to_years": hi}
                          for b, (lo, hi) in zip(BANDS, BAND_YEARS)]
    model["time_in_care_bands"] = [
        ({"name": t, "from_months": lo, "to_months": hi} if hi is not None else
         {"name": t, "from_months": lo}) for t, (lo, hi) in zip(TAUS, TAU_MONTHS)]
    model["categories"] = [{"name": c, "in_house_share": shares[c]} for c in CATS]
    model["exit_reasons"] = list(REASONS)

    # Entries
    rpy = {}
    for bi, b in enumerate(BANDS):
        e = sig(entries_nat[bi] * scale) if scale != 1 else float(entries_nat[bi])
        rpy[b] = {"rate_per_year": e, "events": sig(e * window, 6), "exposure_years": window}
    model["entries"] = {
        "_note": "Children starting to be looked after in the year ending 31 March 2024 by "
                 "age on starting (DfE started.csv), x %s. Category mix and age weights are "
                 "assumptions (docs/example-model.md)." % fmt_scale(scale),
        "rate_per_year": rpy,
        "trend_per_year": 0,
        "category_mix": MIX_AS_WRITTEN,
        "age_weights": {b: list(w) for b, w in AGE_WEIGHTS.items()},
    }

    _, x_ex, _, x_mv = row_flows(res)
    mrows = []
    for (frm, to, bands, note), h, x in zip(MOVE_ROWS, h_mv, x_mv):
        row = {"from": frm, "to": to}
        if bands:
            row["age_bands"] = list(bands)
        row["rate_per_year"] = h
        add_evidence(row, h, x * scale * window)
        row["note"] = note
        mrows.append(row)
    model["moves"] = mrows

    erows = []
    for (reason, cats, bands, taus, note), h, x in zip(EXIT_ROWS, h_ex, x_ex):
        row = {"reason": reason}
        if cats:
            row["categories"] = list(cats)
        if bands:
            row["age_bands"] = list(bands)
        if taus:
            row["time_in_care_bands"] = list(taus)
        row["rate_per_year"] = h
        add_evidence(row, h, x * scale * window)
        row["note"] = note
        erows.append(row)
    model["exits"] = erows

    model["starting_population"] = starting_population(P, res["cells"], shares, scale, total,
                                                       m_grid, report)
    model["population_0_17"] = {y: (int(round(v * scale)) if scale != 1 else int(v))
                                for y, v in population.items()}
    model["capacity"] = capacity_section(model, window, aggregate_homes, report)
    model["costs"] = costs_section(price_date, budgets_scale)
    model["parameter_uncertainty"] = True
    return model


def fmt_scale(scale):
    return "1 (England)" if scale == 1 else "%.6g (about 700 / 83,530)" % scale


def add_evidence(row, h, exposure):
    """exposure_years (4 significant digits) and events = rate x exposure (4 significant
    digits), so events / exposure_years agrees with rate_per_year to about 0.05%."""
    if exposure <= 0 or h <= 0:
        die("row without exposure: %r" % row)
    expo = sig(exposure)
    events = sig(h * expo)
    if abs(events / expo / h - 1) > 0.001:
        die("evidence rounding: %r" % row)
    row["events"] = events
    row["exposure_years"] = expo


# ---------------------------------------------------------------------------------------------
# Capacity and costs
# ---------------------------------------------------------------------------------------------

def round_half_up(x, step=1):
    return int(math.floor(x / step + 0.5)) * step


def mainstream_rates():
    """Ofsted mainstream fostering households, 2021-22 to 2023-24: approvals per household-year
    and the deregistration hazard (deregistrations per household-year). Household-years are
    the mean of the stock at the start and end of each year."""
    first = MAINSTREAM_FLOWS[0]
    stock = dict(MAINSTREAM_HOUSEHOLDS)
    stock[first[0] - 1] = stock[first[0]] - first[1] + first[2]
    for y, a, d in MAINSTREAM_FLOWS[1:]:
        end = stock[y - 1] + a - d
        if y in stock and stock[y] != end:
            die("mainstream households: %d + flows != %d" % (stock[y - 1], stock[y]))
        stock[y] = end
    hy = sum((stock[y - 1] + stock[y]) / 2 for y, _, _ in MAINSTREAM_FLOWS)
    app = sum(a for _, a, _ in MAINSTREAM_FLOWS)
    der = sum(d for _, _, d in MAINSTREAM_FLOWS)
    return {"stock": stock, "household_years": hy, "approvals": app, "deregistrations": der,
            "approval_rate": app / hy, "deregistration_hazard": der / hy}


def high_cost_share(p, cv, factor):
    """Share of external placements priced at HIGH_COST_PER_WEEK or more when each price is
    the framework or spot price (x factor) times a lognormal of mean 1 and this CV."""
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = -sigma * sigma / 2
    share = 0.0
    for price, w in ((p["framework_per_week"], p["framework_share"]),
                     (p.get("spot_per_week", p["framework_per_week"]), 1 - p["framework_share"])):
        z = (math.log(HIGH_COST_PER_WEEK / (price * factor)) - mu) / sigma
        share += w * 0.5 * math.erfc(z / math.sqrt(2))
    return share


def in_house_children(model):
    n = {c: 0 for c in CATS}
    for r in model["starting_population"]:
        if r["provider"] == "in_house":
            n[r["category"]] += r["count"]
    return n


def home_places(homes):
    return sum(int(math.floor(b * u + 1e-9)) for _, b, u in homes)


def capacity_section(model, window, aggregate_homes, report=None):
    """In-house pools sized against the in-house children of the starting population: foster
    households, children's homes, supported units. Secure, kinship, with_parents, adoption and
    other have no pool (they keep their in_house_share)."""
    kids = in_house_children(model)
    o = OFSTED_2019
    fill = o["filled"] / o["households"]
    pph = round(o["places"] / o["households"], 2)
    usable = round((1 + POOL_MARGIN) * fill / pph, 3)
    n = kids["fostering"]
    households = int(round(n / fill))
    while int(math.floor(households * pph * usable + 1e-9)) < n:
        households += 1
    places = int(math.floor(households * pph * usable + 1e-9))
    ms = mainstream_rates()
    approvals = sig(ms["approval_rate"] * households)
    dereg = sig(ms["deregistration_hazard"])
    w = fmt_num(window)
    dr = {"rate_per_year": dereg}
    add_evidence(dr, dereg, households * window)
    dr["note"] = ("Ofsted mainstream households 2021-22 to 2023-24: %s deregistrations in %s "
                  "household-years. Evidence: %s household-years of this pool (%s x %s)." % (
                      format(ms["deregistrations"], ","),
                      format(round(ms["household_years"]), ","),
                      format(dr["exposure_years"], ",g"), format(households, ","), w))
    foster = {
        "households": households,
        "places_per_household": pph,
        "usable_share": usable,
        "approvals_per_year": {
            "rate_per_year": approvals, "events": sig(approvals * window, 6),
            "exposure_years": window,
            "note": "Ofsted mainstream households 2021-22 to 2023-24: %s approvals in %s "
                    "household-years (%.4f a household-year) x %s households. Evidence: %s "
                    "year%s of approvals." % (
                        format(ms["approvals"], ","), format(round(ms["household_years"]), ","),
                        ms["approval_rate"], format(households, ","), w,
                        "" if window == 1 else "s")},
        "deregistration_per_year": dr,
        "approval_lag_months": APPROVAL_LAG_MONTHS,
        "note": "Households = in-house fostering children at the base date (%s) / %.4f children "
                "per household (Ofsted 31 March 2019: %s filled places, %s households). "
                "Places per household %s (%s approved places / %s households). Usable share "
                "%s = %g x %.4f / %s (assumption): usable places %g%% above the children per "
                "household, %s usable places for %s children at the base date; Ofsted's "
                "available share is %.3f (%s of the places not available), the rest are "
                "vacancies the model cannot match. Lag (approval to first placement): "
                "assumption." % (
                    format(n, ","), fill, format(o["filled"], ","), format(o["households"], ","),
                    fmt_num(pph), format(o["places"], ","), format(o["households"], ","),
                    fmt_num(usable), 1 + POOL_MARGIN, fill, fmt_num(pph),
                    round(100 * POOL_MARGIN, 6), format(places, ","), format(n, ","),
                    1 - o["not_available"] / o["places"], format(o["not_available"], ",")),
    }

    n = kids["residential"]
    need = (1 + POOL_MARGIN) * n
    pat_beds = sum(b for _, b, _ in HOMES_PATTERN)
    pat_share = home_places(HOMES_PATTERN) / pat_beds
    if aggregate_homes:
        beds = int(math.ceil(need / pat_share - 1e-9))
        homes = [("LA children's homes (aggregate)", beds, pat_share)]
        homes_json = [{"name": homes[0][0], "beds": beds, "usable_share": pat_share,
                       "note": "All in-house children's homes as one: the example county's "
                               "usable share (%d usable of %d beds)." % (
                                   home_places(HOMES_PATTERN), pat_beds)}]
    else:
        homes = []
        while not homes or home_places(homes) < need - 1e-9:
            name, b, u = HOMES_PATTERN[len(homes) % len(HOMES_PATTERN)]
            k = len(homes) // len(HOMES_PATTERN)
            homes.append((name if k == 0 else "%s %d" % (name, k + 1), b, u))
        homes_json = [{"name": nm, "beds": b, "usable_share": u} for nm, b, u in homes]
    if home_places(homes) < n:
        die("children's homes too small")
    resid = {"homes": homes_json,
             "note": "Sized so that usable beds (%s) are at least %s%% above the in-house "
                     "residential children at the base date (%s); beds and usable shares are "
                     "assumptions (children's homes average about 4 places; Worcestershire ran "
                     "a 4-bed home for 2 children for lack of staff)." % (
                         format(home_places(homes), ","), "%g" % round(100 * POOL_MARGIN, 6),
                         format(n, ","))}

    n = kids["supported"]
    units = int(math.ceil((1 + POOL_MARGIN) * n / UNITS_USABLE_SHARE - 1e-9))
    uplaces = int(math.floor(units * UNITS_USABLE_SHARE + 1e-9))
    if uplaces < n:
        die("supported units too few")
    supp = {"units": units, "usable_share": UNITS_USABLE_SHARE,
            "note": "Sized so that usable units (%s) are at least %s%% above the in-house "
                    "supported children at the base date (%s); usable share (voids between "
                    "tenancies) is an assumption." % (
                        format(uplaces, ","), "%g" % round(100 * POOL_MARGIN, 6), format(n, ","))}
    if report is not None:
        report["external_residential"] = sum(
            r["count"] for r in model["starting_population"]
            if r["provider"] == "external" and r["category"] == "residential")
        report["pools"] = {"fostering": (kids["fostering"], places, households),
                           "residential": (kids["residential"], home_places(homes), len(homes)),
                           "supported": (kids["supported"], uplaces, units)}
        report["mainstream"] = ms
    return {
        "_note": "In-house pools. A child needing a placement in fostering, residential or "
                 "supported accommodation is placed in-house when a usable place is free, "
                 "otherwise externally. Secure (national secure children's homes), kinship, "
                 "with_parents, adoption and other have no pool and keep their "
                 "in_house_share. See docs/example-model.md, 'Capacity and costs'.",
        "fostering": foster, "residential": resid, "supported": supp}


def prices_at_price_date():
    """Weekly prices per category at PRICE_DATE (2025-26 prices)."""
    out = {}
    for c in CATS:
        ih, fw, sp, share, cv = PRICES[c]
        up_ext = UPLIFT_EXT_RESIDENTIAL if c == "residential" else UPLIFT_GENERAL
        if c in WORCS_2023:
            f = (1 + up_ext) ** WORCS_YEARS_TO_PRICE_DATE
            fw, sp = (round_half_up(x * f) for x in WORCS_2023[c])
        if c == "residential":
            ih = round_half_up(LA_HOME_2016 * NLW_2025 / NLW_2016, 10)
        if isinstance(fw, str):
            fw = out[fw]["framework_per_week"]
        p = {"in_house_per_week": ih, "framework_per_week": fw}
        if sp is not None and sp != fw:
            p["spot_per_week"] = sp
        p["framework_share"] = share
        p["uplift_in_house"] = UPLIFT_FUTURE
        p["uplift_external"] = UPLIFT_FUTURE
        if cv > 0:
            p["external_price_cv"] = cv
        out[c] = p
    return out


def costs_section(price_date, budgets_scale=None):
    """Prices (at price_date: the 2025-26 prices, or one uplift lower for 1 April 2024) and,
    when budgets_scale is given, the example county's budgets."""
    prices = prices_at_price_date()
    back = price_date < PRICE_DATE
    if back and price_date != "2024-04-01":
        die("prices are derived for 2025-04-01 or 2024-04-01 only")
    by = {}
    for c in CATS:
        p = dict(prices[c])
        if back:
            for k, prov in (("in_house_per_week", "in_house"), ("framework_per_week", "external"),
                            ("spot_per_week", "external")):
                if k in p:
                    u = p["uplift_in_house" if prov == "in_house" else "uplift_external"]
                    p[k] = round_half_up(p[k] / (1 + u))
            if p.get("spot_per_week") == p["framework_per_week"]:
                del p["spot_per_week"]
        p["note"] = PRICE_NOTES[c]
        by[c] = p
    costs = {
        "price_date": price_date,
        "high_cost_per_week": HIGH_COST_PER_WEEK,
        "note": "Weekly prices per child at %s prices%s; uplifted each 1 April after the price "
                "date. In-house prices are full running costs (carers' allowances and fees, "
                "staff, premises), so there are no fixed costs. High cost: placements of "
                "£10,000 a week or more (LGA 2023). Sources and assumptions: "
                "docs/example-model.md, 'Capacity and costs'." % (
                    "2024-25" if back else "2025-26",
                    " (the 2025-26 prices one uplift lower)" if back else ""),
        "by_category": by,
    }
    if budgets_scale is not None and all(v is not None for v in EXAMPLE_EXPECTED_SPEND.values()):
        costs["budgets"] = [
            {"fy": fy, "total": round_half_up(BUDGET_SHARE * spend * budgets_scale, 10000),
             "note": "Assumption: %s%% of the expected spend (%s: £%sm), as English "
                     "councils budgeted £4.1bn for £4.7bn of placement spend in 2022-23 "
                     "(LGA 2023)." % (
                         "%g" % round(100 * BUDGET_SHARE, 6),
                         "carecast run --expected" if budgets_scale == 1 else
                         "the 700-child county's, carecast run --expected, x %.6g"
                         % budgets_scale, "%.2f" % (spend * budgets_scale / 1e6))}
            for fy, spend in EXAMPLE_EXPECTED_SPEND.items()]
    return costs


def starting_population(P, cells, shares, scale, total, m_grid, report):
    # 1. IPF the steady state's (band, category) table to the published margins.
    tab = [[0.0] * NC for _ in range(NB)]
    for (a, c, m), v in cells.items():
        tab[BAND_OF_AGE[a]][c] += v
    band_t = [x * scale for x in P["stock_band"]]
    cat_t = [x * scale for x in P["stock_cat"]]
    s1, s2 = sum(band_t), sum(cat_t)
    cat_t = [x * s1 / s2 for x in cat_t]
    fitted = ipf2(tab, band_t, cat_t)
    factor = [[fitted[b][c] / tab[b][c] if tab[b][c] > 0 else 0.0 for c in range(NC)]
              for b in range(NB)]
    # 2. Coarse cells (category, provider, band, tau) -> integers by largest remainder.
    coarse = {}
    for (a, c, m), v in sorted(cells.items()):
        b = BAND_OF_AGE[a]
        x = v * factor[b][c]
        for p, sh in (("in_house", shares[CATS[c]]), ("external", 1 - shares[CATS[c]])):
            if sh <= 0:
                continue
            key = (c, p, b, tau_of(m))
            coarse.setdefault(key, {})
            mm = snap_months(m, a, m_grid)
            sub = coarse[key].setdefault((a, mm), [0.0, 0.0])
            sub[0] += x * sh
            sub[1] += x * sh * m
    # Each sub-cell is written with the mass-weighted mean of the months in care it holds
    # (the exact value unless a grid merged several).
    for key, subs in coarse.items():
        merged = {}
        for (a, mm), (w, wm) in subs.items():
            if w <= 0:
                continue
            rep = mm if mm == wm / w else int(math.floor(wm / w + 0.5))
            lo, hi = TAU_MONTHS[key[3]]
            rep = max(lo, min(rep, a, hi - 1 if hi is not None else a))
            merged[(a, rep)] = merged.get((a, rep), 0.0) + w
        coarse[key] = merged
    keys = sorted(coarse, key=lambda k: (k[0], 0 if k[1] == "in_house" else 1, k[2], k[3]))
    mass = {k: sum(coarse[k].values()) for k in keys}
    # Category totals first (so a category of one or two children is not rounded away), then
    # (provider, band, tau) within each category.
    cat_int = largest_remainder([sum(mass[k] for k in keys if k[0] == c) for c in range(NC)],
                                total)
    ints = []
    for c in range(NC):
        ks = [k for k in keys if k[0] == c]
        ints.extend(largest_remainder([mass[k] for k in ks], cat_int[c]))
    keys = [k for c in range(NC) for k in keys if k[0] == c]
    # 3. Within a coarse cell, cumulative rounding along (age, months in care).
    rows = []
    for k, n in zip(keys, ints):
        if n == 0:
            continue
        sub = sorted(coarse[k].items())
        tot = sum(v for _, v in sub)
        cum, prev = 0.0, 0
        for (a, mm), v in sub:
            cum += v
            cur = int(math.floor(cum * n / tot + 0.5))
            cur = min(cur, n)
            cnt = cur - prev
            prev = cur
            if cnt > 0:
                rows.append((a, k[0], k[1], mm, cnt))
        if prev != n:
            die("cumulative rounding lost children")
    rows.sort(key=lambda r: (r[1], r[0], r[3], 0 if r[2] == "in_house" else 1))
    if report is not None:
        report["start_rows"] = rows
        report["start_fitted"] = fitted
    return [{"age_months": a, "category": CATS[c], "provider": p, "months_in_care": mm,
             "count": n} for a, c, p, mm, n in rows]


def snap_months(m, a, grid):
    """The grid cell of months in care m: grid = (g6, g24), the step in months within
    [6, 24) and from 24 months (0 = one cell for the whole band at each age). Children in one
    cell are written with the cell's mean months in care, so the time-in-care band never
    changes and the month a child crosses from 6-24m to 24m+ moves by less than one step."""
    g6, g24 = grid
    if m >= 24:
        if g24 == 0:
            return -1
        if g24 > 1:
            return 24 + g24 * ((m - 24) // g24)
    elif m >= 6 and g6 > 1:
        return 6 + g6 * ((m - 6) // g6)
    return m


# ---------------------------------------------------------------------------------------------
# Checks on the written files
# ---------------------------------------------------------------------------------------------

def no_dup_pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in %r" % keys)
    return dict(pairs)


def check_file(path, expect_total):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = json.loads(text, object_pairs_hook=no_dup_pairs)
    problems = []
    bands = [b["name"] for b in m["age_bands"]]
    cats = [c["name"] for c in m["categories"]]
    taus = [t["name"] for t in m["time_in_care_bands"]]
    for b in bands:
        if b not in m["entries"]["rate_per_year"]:
            problems.append("entries: no rate for band " + b)
        mix = m["entries"]["category_mix"].get(b)
        if mix is None:
            problems.append("entries: no category_mix for band " + b)
        elif abs(sum(Decimal(repr(v)) for v in mix.values()) - 1) > Decimal("1e-9"):
            problems.append("category_mix %s sums to %r" % (b, sum(mix.values())))
    for c in m["categories"]:
        if not 0 <= c["in_house_share"] <= 1:
            problems.append("in_house_share out of range: %r" % c)

    def chk_rate(where, o, hi=1000):
        h = o.get("rate_per_year")
        if h is None or not 0 <= h <= hi:
            problems.append("%s: bad rate %r" % (where, h))
        if "events" in o:
            if o["exposure_years"] <= 0 or abs(o["events"] / o["exposure_years"] / h - 1) > .01:
                problems.append("%s: events/exposure disagree with rate: %r" % (where, o))
    for b, o in m["entries"]["rate_per_year"].items():
        chk_rate("entries " + b, o, hi=1e7)
    seen = set()
    for i, r in enumerate(m["moves"]):
        chk_rate("moves[%d]" % i, r)
        for b in r.get("age_bands", bands):
            for t in r.get("time_in_care_bands", taus):
                key = (r["from"], r["to"], b, t)
                if key in seen:
                    problems.append("moves: cell covered twice: %r" % (key,))
                seen.add(key)
        if r["from"] == r["to"] or r["from"] not in cats or r["to"] not in cats:
            problems.append("moves[%d]: bad categories" % i)
    seen = set()
    for i, r in enumerate(m["exits"]):
        chk_rate("exits[%d]" % i, r)
        if r["reason"] not in m["exit_reasons"]:
            problems.append("exits[%d]: unknown reason" % i)
        for c in r.get("categories", cats):
            for b in r.get("age_bands", bands):
                for t in r.get("time_in_care_bands", taus):
                    key = (r["reason"], c, b, t)
                    if key in seen:
                        problems.append("exits: cell covered twice: %r" % (key,))
                    seen.add(key)
    total = 0
    seen = set()
    for i, r in enumerate(m["starting_population"]):
        key = (r["age_months"], r["category"], r["provider"], r["months_in_care"])
        if key in seen:
            problems.append("starting_population: repeated row %r" % (key,))
        seen.add(key)
        if not (0 <= r["age_months"] <= 215 and 0 <= r["months_in_care"] <= r["age_months"]
                and r["count"] >= 1 and r["category"] in cats
                and r["provider"] in ("in_house", "external")):
            problems.append("starting_population[%d]: bad row %r" % (i, r))
        total += r["count"]
    if total != expect_total:
        problems.append("starting population %d, expected %d" % (total, expect_total))
    inhouse = {c: 0 for c in cats}
    for r in m["starting_population"]:
        if r["provider"] == "in_house":
            inhouse[r["category"]] += r["count"]
    for c, pool in m.get("capacity", {}).items():
        if c.startswith("_"):
            continue
        if c not in cats:
            problems.append("capacity: unknown category %r" % c)
            continue
        if "households" in pool:
            places = math.floor(pool["households"] * pool["places_per_household"]
                                * pool.get("usable_share", 1) + 1e-9)
        elif "homes" in pool:
            places = sum(math.floor(h["beds"] * h.get("usable_share", 1) + 1e-9)
                         for h in pool["homes"] if "opens" not in h and "closes" not in h)
        else:
            places = math.floor(pool["units"] * pool.get("usable_share", 1) + 1e-9)
        if places < inhouse[c]:
            problems.append("capacity %s: %d usable places for %d in-house children" % (
                c, places, inhouse[c]))
    if "costs" in m:
        by = m["costs"]["by_category"]
        for c in cats:
            if c not in by or "in_house_per_week" not in by[c] or "framework_per_week" not in by[c]:
                problems.append("costs: no prices for %s" % c)
    return problems, total, len(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Report (markdown tables for docs/example-model.md)
# ---------------------------------------------------------------------------------------------

def pct(a, b):
    return "%+.1f%%" % (100.0 * (a / b - 1)) if b else "n/a"


def filt(x, everything):
    return "all" if not x or list(x) == list(everything) else ", ".join(x)


def print_report(fig, P, cross, targets, age18_pub, base, lev, fine, res, shares, files, sizes):
    out = sys.stdout.write
    out("## Source figures used (national rows, time_period %s unless stated)\n\n" % YEAR)
    out("| file | cla_group / row | characteristic | number |\n|---|---|---|---:|\n")
    seen = set()
    for f, g, ch, n in fig.used:
        if (f, g, ch) in seen:
            continue
        seen.add((f, g, ch))
        out("| %s | %s | %s | %s |\n" % (f, g, ch, format(n, ",")))
    ts = fig.time_series()
    out("\nTime series (england_time_series_1994_2024.csv, %s, comparison only): %s\n\n" % (
        YEAR, "; ".join("%s %s" % (k, format(v, ",")) for k, v in sorted(ts.items()))))

    out("## Derived category stock (national)\n\n| category | raw | rescaled to the total |\n"
        "|---|---:|---:|\n")
    for c, raw, v in zip(CATS, P["stock_cat_raw"], P["stock_cat"]):
        out("| %s | %.1f | %.1f |\n" % (c, raw, v))
    out("\n## In-house shares\n\n" + " ".join("%s %.4f;" % (c, shares[c]) for c in CATS) + "\n")

    out("\n## Ceases: age x published reason (national, fitted)\n\n| reason | model reason | "
        + " | ".join(CEASE_AGES) + " | total |\n|---|---|" + "---:|" * 7 + "\n")
    for (ch, key, mr, _), row in zip(ASSUMED_REASON_AGE, cross):
        out("| %s | %s | %s | %.0f |\n" % (key, mr, " | ".join("%.0f" % x for x in row),
                                          sum(row)))
    out("| **total** | | %s | %.0f |\n" % (
        " | ".join("%.0f" % sum(r[j] for r in cross) for j in range(6)),
        sum(sum(r) for r in cross)))
    out("\n### Under-18 exit targets by model reason x band\n\n| reason | "
        + " | ".join(BANDS) + " | total |\n|---|" + "---:|" * 6 + "\n")
    for r in range(NR):
        out("| %s | %s | %.0f |\n" % (REASONS[r], " | ".join("%.0f" % x for x in targets[r]),
                                     sum(targets[r])))
    out("\nAge 18+ ceases (all reasons, published): %.0f\n" % age18_pub)

    out("\n## Detailed structure: calibrated numbers\n\n| number | fitted to | value |\n"
        "|---|---|---:|\n")
    for k in INITIAL_LEVERS:
        out("| %s | %s | %.4g |\n" % (k, CALIBRATED[k], lev[k]))
    out("\n### base[reason][band] (per year, before category and time-in-care multipliers)\n\n"
        "| reason | " + " | ".join(BANDS) + " |\n|---|" + "---:|" * 5 + "\n")
    for r in range(NR):
        if REASONS[r] == "adoption":
            continue
        out("| %s | %s |\n" % (REASONS[r], " | ".join("%.4g" % x for x in base[r])))

    out("\n## Steady state vs published (national). detailed = the calibrated detailed "
        "structure (not written); written = the rows as written (rounded rates)\n\n")
    out("| measure | published | detailed | written | written vs published |\n"
        "|---|---:|---:|---:|---:|\n")

    def line(name, pub, d, w):
        out("| %s | %s | %s | %s | %s |\n" % (name, format(round(pub), ","),
                                               format(round(d), ","), format(round(w), ","),
                                               pct(w, pub)))
    for bi, b in enumerate(BANDS):
        line("stock " + b, P["stock_band"][bi], fine["stock_band"][bi], res["stock_band"][bi])
    line("**stock total**", P["stock_total"], sum(fine["stock_band"]), sum(res["stock_band"]))
    for ci, c in enumerate(CATS):
        line("stock " + c, P["stock_cat"][ci], fine["stock_cat"][ci], res["stock_cat"][ci])
    tot_f, tot_w = sum(fine["stock_cat"]), sum(res["stock_cat"])
    out("\nCategory shares, written vs published: %s\n\n" % ", ".join(
        "%s %s" % (c, pct(res["stock_cat"][i] / tot_w, P["stock_cat"][i] / P["stock_total"]))
        for i, c in enumerate(CATS)))
    out("| measure | published | detailed | written | written vs published |\n"
        "|---|---:|---:|---:|---:|\n")
    for r in range(NR):
        line("exits %s (under 18)" % REASONS[r], sum(targets[r]), sum(fine["exit_rb"][r]),
             sum(res["exit_rb"][r]))
    line("exits at 18 (age18)", age18_pub, fine["age18"], res["age18"])
    allf = sum(sum(fine["exit_rb"][r]) for r in range(NR)) + fine["age18"]
    allw = sum(sum(res["exit_rb"][r]) for r in range(NR)) + res["age18"]
    line("**exits total**", P["cease_total"], allf, allw)
    for bi, b in enumerate(BANDS):
        line("exits aged " + b, P["cease_age"][bi],
             sum(fine["exit_rb"][r][bi] for r in range(NR)),
             sum(res["exit_rb"][r][bi] for r in range(NR)))
    out("\n### Under-18 exits by reason x band: target / written\n\n| reason | "
        + " | ".join(BANDS) + " |\n|---|" + "---:|" * NB + "\n")
    for r in range(NR):
        out("| %s | %s |\n" % (REASONS[r], " | ".join(
            "%.0f / %.0f" % (targets[r][b], res["exit_rb"][r][b]) for b in range(NB))))

    # Rows and their evidence
    ex_model, _, sc_ex, win_ex = files["example"]
    en_model = files["england"][0]
    out("\n## Exit rows (%d) and their evidence\n\nexample: %d years of a county of %s "
        "children; England: one year\n\n" % (len(EXIT_ROWS), win_ex,
                                             format(sum(P["stock_band"]) * sc_ex, ".0f")))
    out("| # | reason | categories | age bands | time in care | rate per year | example events "
        "| example exposure | England events | England exposure |\n"
        "|---:|---|---|---|---|---:|---:|---:|---:|---:|\n")
    for i, (row, xr, nr) in enumerate(zip(EXIT_ROWS, ex_model["exits"], en_model["exits"])):
        out("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
            i + 1, row[0], filt(row[1], CATS), filt(row[2], BANDS), filt(row[3], TAUS),
            fmt_num(xr["rate_per_year"]), fmt_num(xr["events"]), fmt_num(xr["exposure_years"]),
            format(nr["events"], ",g"), format(nr["exposure_years"], ",g")))
    out("\n## Move rows (%d) and their evidence\n\n" % len(MOVE_ROWS))
    out("| # | from | to | age bands | rate per year | rate set by | example events | "
        "example exposure | England events | England exposure |\n"
        "|---:|---|---|---|---:|---|---:|---:|---:|---:|\n")
    lever_cat = {pair: c for c, pairs in ROW_LEVERS.items() for pair in pairs}
    for i, (row, xr, nr) in enumerate(zip(MOVES, ex_model["moves"], en_model["moves"])):
        if row[:2] == ("fostering", "adoption"):
            how = "placements of the detailed structure"
        elif row[:2] in lever_cat:
            how = "share of stock in %s" % lever_cat[row[:2]]
        else:
            how = "assumed (%s)" % fmt_num(row[3])
        out("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
            i + 1, row[0], row[1], filt(row[2], BANDS), fmt_num(xr["rate_per_year"]), how,
            fmt_num(xr["events"]), fmt_num(xr["exposure_years"]),
            format(nr["events"], ",g"), format(nr["exposure_years"], ",g")))

    out("\n## Half an event per row: the Jeffreys prior's expected extra flows a year\n\n")
    for label in ("example", "england"):
        model, rep, sc, win = files[label]
        xe = jeffreys_extra(model, res, sc, "exits")
        xm = jeffreys_extra(model, res, sc, "moves")
        xn = sum(0.5 / o["exposure_years"] for o in model["entries"]["rate_per_year"].values())
        u18 = sum(sum(res["exit_rb"][r]) for r in range(NR)) * sc
        allx = u18 + res["age18"] * sc
        mv_all = sum(res["moves"][c][j][b][t] for c in range(NC) for j in range(NC)
                     for b in range(NB) for t in range(NT)) * sc
        ent = sum(P["starts_band"]) * sc
        out("- %s: exits +%.2f a year (%.2f%% of %.1f exits in all, %.2f%% of %.1f under 18); "
            "moves +%.2f (%.2f%% of %.1f); entries +%.2f (%.2f%% of %.1f)\n" % (
                label, xe, 100 * xe / allx, allx, 100 * xe / u18, u18, xm, 100 * xm / mv_all,
                mv_all, xn, 100 * xn / ent, ent))

    st = res["stock"]
    out("\n## Other properties of the written model's steady state (national)\n\n")
    out("Under-18 exits by time in care at exit: %s\n" % ", ".join(
        "%s %.0f (%.0f%%)" % (TAUS[t], res["exit_tau"][t],
                              100 * res["exit_tau"][t] / sum(res["exit_tau"]))
        for t in range(NT)))
    out("Stock by time in care: %s\n" % ", ".join(
        "%s %.0f (%.0f%%)" % (TAUS[t], sum(st[b][c][t] for b in range(NB) for c in range(NC)),
                              100 * sum(st[b][c][t] for b in range(NB) for c in range(NC))
                              / sum(res["stock_band"]))
        for t in range(NT)))
    out("Age 18 leavers by category: %s\n" % ", ".join(
        "%s %.0f" % (CATS[c], res["age18_by_cat"][c]) for c in range(NC)))
    fk = res["age18_by_cat"][CI["fostering"]] + res["age18_by_cat"][CI["kinship"]]
    out("Cross-check: age-18 leavers from fostering + kinship %.0f; published 'aged 18 and "
        "remained with current carers' %.0f\n" % (fk, cross[-1][NB]))
    out("\n### Under-18 exits by reason x category\n\n| reason | "
        + " | ".join(CATS) + " |\n|---|" + "---:|" * NC + "\n")
    for r in range(NR):
        out("| %s | %s |\n" % (REASONS[r], " | ".join(
            "%.0f" % sum(sum(res["exits"][r][b][c]) for b in range(NB)) for c in range(NC))))
    out("\n### Moves per year\n\n| from -> to | per year |\n|---|---:|\n")
    for c in range(NC):
        for j in range(NC):
            v = sum(res["moves"][c][j][b][t] for b in range(NB) for t in range(NT))
            if v > 0:
                out("| %s -> %s | %.0f |\n" % (CATS[c], CATS[j], v))
    out("\n### Stock by band x category\n\n| band | "
        + " | ".join(CATS) + " |\n|---|" + "---:|" * NC + "\n")
    for b in range(NB):
        out("| %s | %s |\n" % (BANDS[b], " | ".join("%.0f" % sum(st[b][c]) for c in range(NC))))

    for label in ("example", "england"):
        model, rep, sc, _ = files[label]
        rows = rep["start_rows"]
        out("\n## Starting population, %s: %d children in %d rows, file %s bytes\n\n" % (
            label, sum(r[4] for r in rows), len(rows), format(sizes[label], ",")))
        out("| band | published x scale | rows | | category | published x scale | rows |\n"
            "|---|---:|---:|---|---|---:|---:|\n")
        bsum = [0] * NB
        csum = [0] * NC
        for a, c, p, mm, n in rows:
            bsum[BAND_OF_AGE[a]] += n
            csum[c] += n
        for i in range(max(NB, NC)):
            left = ("| %s | %.1f | %d |" % (BANDS[i], P["stock_band"][i] * sc, bsum[i])
                    if i < NB else "| | | |")
            out(left + " | %s | %.1f | %d |\n" % (CATS[i], P["stock_cat"][i] * sc, csum[i]))
        ih = sum(r[4] for r in rows if r[2] == "in_house" and CATS[r[1]] not in
                 ("with_parents", "other"))
        out("\nIn-house (excluding with_parents and other): %d (published own provision x "
            "scale: %.0f)\n" % (ih, P["provider"]["own"] * sc))
    print_capacity_costs(files)


def print_capacity_costs(files):
    out = sys.stdout.write
    ms = mainstream_rates()
    out("\n## Capacity and costs\n\n### Ofsted mainstream fostering households (England)\n\n"
        "| year to 31 March | households at start | approved | deregistered | households at "
        "end | household-years |\n|---|---:|---:|---:|---:|---:|\n")
    st = ms["stock"]
    for y, a, d in MAINSTREAM_FLOWS:
        out("| %d | %s | %s | %s | %s | %s |\n" % (
            y, format(st[y - 1], ","), format(a, ","), format(d, ","), format(st[y], ","),
            format((st[y - 1] + st[y]) / 2, ",.1f")))
    out("| total | | %s | %s | | %s |\n\nApprovals %.4f a household-year; deregistration "
        "hazard %.4f a year (%.1f%% of households leave in a year).\n" % (
            format(ms["approvals"], ","), format(ms["deregistrations"], ","),
            format(ms["household_years"], ",.1f"), ms["approval_rate"],
            ms["deregistration_hazard"], 100 * -math.expm1(-ms["deregistration_hazard"])))
    out("\n### Pools\n\n| file | pool | in-house children at base | usable places at base | "
        "households / homes / units |\n|---|---|---:|---:|---:|\n")
    for label in ("example", "england"):
        rep = files[label][1]
        for c, (kids, places, size) in rep["pools"].items():
            out("| %s | %s | %s | %s (%+.1f%%) | %s |\n" % (
                label, c, format(kids, ","), format(places, ","),
                100 * (places / kids - 1) if kids else 0, format(size, ",")))
    out("\n### Weekly prices\n\n| category | file | in-house | framework | spot | framework "
        "share | uplift in-house / external | external CV |\n|---|---|---:|---:|---:|---:|---|---:|\n")
    for c in CATS:
        for label in ("example", "england"):
            p = files[label][0]["costs"]["by_category"][c]
            out("| %s | %s | %s | %s | %s | %s | %s / %s | %s |\n" % (
                c, label, format(p["in_house_per_week"], ","),
                format(p["framework_per_week"], ","),
                format(p.get("spot_per_week", p["framework_per_week"]), ","),
                fmt_num(p["framework_share"]), fmt_num(p["uplift_in_house"]),
                fmt_num(p["uplift_external"]), fmt_num(p.get("external_price_cv", 0))))
    p = files["example"][0]["costs"]["by_category"]["residential"]
    n_ext = files["england"][1]["external_residential"]
    out("\n### Heavy tail of external residential prices\n\nShare of external residential "
        "placements priced at %s a week or more, for a lognormal price factor of mean 1 and "
        "coefficient of variation CV on the framework / spot prices (framework share %s). "
        "2022-23 prices are the 2025-26 prices / 1.06^3. 'England now' = the share x the "
        "%s external residential children of england.json at its base date.\n\n"
        "| CV | share, 2022-23 prices | England now, 2022-23 prices | share, 2025-26 prices |"
        " example, 2025-26 (x %d) |\n|---:|---:|---:|---:|---:|\n" % (
            format(HIGH_COST_PER_WEEK, ","), fmt_num(p["framework_share"]), format(n_ext, ","),
            files["example"][1]["external_residential"]))
    for cv in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        s0 = high_cost_share(p, cv, (1 + UPLIFT_EXT_RESIDENTIAL) ** -3)
        s1 = high_cost_share(p, cv, 1.0)
        out("| %s | %.1f%% | %.0f | %.1f%% | %.1f |\n" % (
            fmt_num(cv), 100 * s0, s0 * n_ext, 100 * s1,
            s1 * files["example"][1]["external_residential"]))
    for b in files["example"][0]["costs"].get("budgets", []):
        out("\nBudget %s: %s (%s)\n" % (b["fy"], format(b["total"], ","), b["note"]))


def jeffreys_extra(model, res, scale, kind="exits"):
    """Expected extra events a year when each row's rate is its posterior mean
    (events + 0.5) / exposure_years instead of the point estimate: the sum over rows of
    0.5 / exposure_years x the child-years at risk a year in the row's cells (steady state)."""
    _, x_ex, _, x_mv = row_flows(res)
    x = x_ex if kind == "exits" else x_mv
    return sum(0.5 / r["exposure_years"] * xi * scale for r, xi in zip(model[kind], x))


def grid_words(g, whole_band=False):
    if g == 0 and whole_band:
        return "one mean value per age, category and provider"
    if g <= 1:
        return "exact"
    return "on a %d-month grid (the mean of each grid cell)" % g


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description="Derive carecast model files from DfE tables.")
    ap.add_argument("--data", default=os.path.normpath(os.path.join(REPO, "..", "shared",
                                                                    "data")),
                    help="data directory holding dfe/ and population_0to17.csv "
                         "(default: ../shared/data from the repository root)")
    ap.add_argument("--out", default=os.path.join(REPO, "models"),
                    help="directory for example.json and england.json (default: models/)")
    ap.add_argument("--example-total", type=int, default=700,
                    help="children looked after in the example county (default 700)")
    ap.add_argument("--example-years", type=int, default=3,
                    help="years of the example county's own data its evidence stands for "
                         "(default 3)")
    ap.add_argument("--england-grid24", type=int, default=0,
                    help="grid in months for months_in_care >= 24 in england.json; 0 (the "
                         "default) = one value per age, category and provider")
    ap.add_argument("--england-grid6", type=int, default=2,
                    help="grid in months for months_in_care 6-23 in england.json (default 2; "
                         "1 = exact, which makes the file about 2.7 MB)")
    ap.add_argument("--report", action="store_true",
                    help="print the derivation tables (markdown) on stdout")
    ap.add_argument("--verbose", action="store_true", help="calibration progress on stderr")
    args = ap.parse_args()
    if args.example_total < 1 or args.example_years < 1:
        die("--example-total and --example-years must be at least 1")

    fig = Figures(args.data)
    P = published(fig)
    population = fig.population()
    cross = cease_cross(P)
    targets, age18_pub = exit_targets(cross)
    log = (lambda s: sys.stderr.write(s + "\n")) if args.verbose else None
    base, lev = calibrate(P, targets, log=log)
    h_ex, h_mv, fine = fit_rows(P, base, lev, log=log)
    # Round every rate to 4 significant digits; everything below is the model as written.
    rows = ([sig(h) for h in h_ex], [sig(h) for h in h_mv])
    res = steady_state(P["starts_band"], *row_tables(*rows), keep_cells=True)
    shares = in_house_shares(P)

    scale = args.example_total / P["stock_total"]
    rep_ex, rep_en = {}, {}
    example = make_model(
        P, rows, res, shares, scale, args.example_years, args.example_total, "2025-03-31",
        "Example County (fictional)", (1, 1), population,
        "A fictional mid-sized county with about %d children looked after at 31 March 2025. "
        "Every rate is the England rate for the year ending 31 March 2024; every count is the "
        "England count x %.6g. Not any real local authority." % (args.example_total, scale),
        PRICE_DATE, False, budgets_scale=args.example_total / 700, report=rep_ex)
    england = make_model(
        P, rows, res, shares, 1.0, 1, P["stock_total"], "2024-03-31", "England",
        (args.england_grid6, args.england_grid24), population,
        "England at national scale: %s children looked after at 31 March 2024 (DfE). For "
        "benchmarks and backtests (DfE published 81,770 at 31 March 2025). To keep the file "
        "small, months_in_care is %s from 6 to 23 months and %s from 24 months (only the "
        "time-in-care band matters to the model)." % (
            format(P["stock_total"], ","), grid_words(args.england_grid6),
            grid_words(args.england_grid24, whole_band=True)),
        "2024-04-01", True, report=rep_en)
    os.makedirs(args.out, exist_ok=True)
    sizes = {}
    ok = True
    for label, model, total in (("example", example, args.example_total),
                                ("england", england, P["stock_total"])):
        path = os.path.join(args.out, label + ".json")
        write_atomic(path, dump(model) + "\n")
        problems, n, size = check_file(path, total)
        sizes[label] = size
        sys.stderr.write("derive_models: wrote %s: %d children, %d starting rows, %d exit "
                         "rows, %d move rows, %s bytes\n" % (
                             os.path.relpath(path), n, len(model["starting_population"]),
                             len(model["exits"]), len(model["moves"]), format(size, ",")))
        for p in problems:
            ok = False
            sys.stderr.write("derive_models: %s: %s\n" % (path, p))
    if args.report:
        print_report(fig, P, cross, targets, age18_pub, base, lev, fine, res, shares,
                     {"example": (example, rep_ex, scale, args.example_years),
                      "england": (england, rep_en, 1.0, 1)}, sizes)
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
