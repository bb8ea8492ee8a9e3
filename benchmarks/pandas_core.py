"""The core measures as a council analyst would write them in pandas: the benchmark's baseline.

Headline and 36-month trend of children looked after, starters and leavers by route in the
12 months to D, and care orders discharged. Straightforward pandas, the way a notebook
would do it: parse, filter short breaks, build periods of care with groupby/shift, then
one boolean mask per month end. It exists to be timed against lac-report and to check
that both give the same figures; it is not part of the pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

SHORT_BREAKS = {"V3", "V4"}
ROUTES = {
    "adoption": {"E11", "E12"},
    "sgo": {"E43", "E44", "E45", "E46", "E47", "E48"},
    "reunification": {"E4A", "E4B"},
    "cao": {"E41"},
    "independence": {"E5", "E6", "E17"},
}


def read_episodes(folder: Path) -> pd.DataFrame:
    episodes = pd.read_csv(folder / "episodes.csv", dtype=str, keep_default_na=False)
    for column in ("DECOM", "DEC"):
        episodes[column] = pd.to_datetime(episodes[column].replace("", None), format="%d/%m/%Y")
    for column in ("LS", "REC", "RNE"):
        episodes[column] = episodes[column].str.strip().str.upper()
    return episodes


def periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    eps = episodes.sort_values(["CHILD", "DECOM"]).reset_index(drop=True)
    prev_rec = eps.groupby("CHILD")["REC"].shift(1)
    prev_dec = eps.groupby("CHILD")["DEC"].shift(1)
    new = prev_rec.isna() | (prev_rec != "X1") | (prev_dec != eps["DECOM"])
    eps["period"] = new.groupby(eps["CHILD"]).cumsum()
    eps["short"] = eps["LS"].isin(SHORT_BREAKS)
    # groupby "last" would skip an open episode's empty DEC: take the last row of each period instead
    keys = ["CHILD", "period"]
    first = eps.drop_duplicates(keys, keep="first").set_index(keys)
    last = eps.drop_duplicates(keys, keep="last").set_index(keys)
    periods = pd.DataFrame(
        {
            "start": first["DECOM"],
            "end": last["DEC"],
            "rec": last["REC"],
            "final_ls": last["LS"],
            "short": eps.groupby(keys)["short"].all(),
        }
    )
    periods = periods[~periods["short"]].reset_index()
    periods["route"] = "other"
    for name, recs in ROUTES.items():
        periods.loc[periods["rec"].isin(recs), "route"] = name
    return periods


def month_ends(as_at: dt.date) -> list[pd.Timestamp]:
    ends = list(pd.date_range(end=pd.Timestamp(as_at), periods=37, freq="ME"))[-36:]
    if ends[-1] != pd.Timestamp(as_at):
        ends.append(pd.Timestamp(as_at))
    return ends


def core_measures(folder: Path, as_at: dt.date) -> dict[str, int]:
    """Figures keyed like lac-report's tables: 'table/measure/group/period_end'."""
    episodes = read_episodes(folder)
    counted = episodes[~episodes["LS"].isin(SHORT_BREAKS)]
    figures: dict[str, int] = {}
    year_ago = (pd.Timestamp(as_at) - pd.DateOffset(years=1)).date()
    for day in [*month_ends(as_at), pd.Timestamp(year_ago)]:
        open_on_day = (counted["DECOM"] <= day) & (counted["DEC"].isna() | (counted["DEC"] > day))
        figures[f"trend/cla_count/all/{day.date()}"] = counted.loc[open_on_day, "CHILD"].nunique()
    periods = periods_of_care(episodes)
    start = pd.Timestamp(as_at) - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    end = pd.Timestamp(as_at)
    starters = periods[(periods["start"] >= start) & (periods["start"] <= end)]
    figures["flows/started/all"] = starters["CHILD"].nunique()
    leavers = periods[(periods["end"] >= start) & (periods["end"] <= end)].sort_values(["CHILD", "end"])
    last = leavers.drop_duplicates("CHILD", keep="last")
    figures["flows/ceased/all"] = len(last)
    for route in (*ROUTES, "other"):
        figures[f"flows/ceased/{route}"] = int((last["route"] == route).sum())
    discharged = last[(last["final_ls"] == "C2") & last["route"].isin(["sgo", "reunification", "cao"])]
    figures["discharges/care_orders_discharged/all"] = len(discharged)
    for route in ("sgo", "reunification", "cao"):
        figures[f"discharges/care_orders_discharged/{route}"] = int((discharged["route"] == route).sum())
    return figures


def main(argv: list[str]) -> None:
    """``python benchmarks/pandas_core.py EXTRACTS AS_AT``: the figures as one JSON line (``make bench`` times it)."""
    print(json.dumps(core_measures(Path(argv[0]), dt.date.fromisoformat(argv[1]))))


if __name__ == "__main__":
    main(sys.argv[1:])
