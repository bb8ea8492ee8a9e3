#!/usr/bin/env bash
# The monthly scheduled run of lac-report, for cron or a systemd timer (see deploy/README.md).
#
# Reports on the last day of the previous month from the newest extract, writes everything
# lac-report says to a dated log file, and prints only lac-report's last line: "lac-report: done:
# ..." or "lac-report: failed (exit N): ...". That one line is what cron mails and what the
# journal shows last. The exit status is lac-report's own: 0 done, 3 invalid extracts or
# config, 2 wrong command line, 1 anything else (the wrapper's own setup problems also exit 2).
#
# Settings, from the environment (the crontab, or the systemd unit):
#   LAC_REPORT_HOME  the lac-report clone, set up with `make setup`      e.g. /opt/lac-report
#   LAC_EXTRACTS     an extract folder (holding header.csv, or annual returns), or a folder of
#                    dated extract folders, the newest by name used      e.g. /data/lac/extracts
#   LAC_CONFIG       the folder holding council.toml (and mapping.toml)  e.g. /data/lac/config
#   LAC_OUT          where run folders are written                       e.g. /data/lac/reports
#   LAC_LOGS         where the log files go (default: $LAC_OUT/logs)
# Any arguments are passed on to `lac-report run`, e.g. --as-at 2020-06-30 or --edition public.
set -u

fail() {
    echo "lac-report-monthly: failed (exit 2): $1"
    exit 2
}

[ -n "${LAC_REPORT_HOME:-}" ] || fail "LAC_REPORT_HOME is not set (the lac-report clone)"
[ -n "${LAC_EXTRACTS:-}" ] || fail "LAC_EXTRACTS is not set (the extracts folder)"
[ -n "${LAC_CONFIG:-}" ] || fail "LAC_CONFIG is not set (the folder holding council.toml)"
[ -n "${LAC_OUT:-}" ] || fail "LAC_OUT is not set (where run folders are written)"
program="$LAC_REPORT_HOME/.venv/bin/lac-report"
[ -x "$program" ] || fail "$program is missing: run 'make setup' in $LAC_REPORT_HOME"

# An extract folder holds header.csv, or the council's annual SSDA903 returns (year folders such as
# 2019/, files named with the year such as 2019-header.csv or header_2019.csv, XML returns such as
# return_2019.xml), with or without this month's extract beside them (docs/starting-from-903-returns.md).
holds_extract() {
    # Names in any case, as lac-report reads them: each name is a pattern ([h]eader), matched without case.
    local file found=1
    shopt -s nocaseglob
    for file in "$1"/[h]eader.csv "$1"/[c]urrent/[h]eader.csv "$1"/[0-9][0-9][0-9][0-9]/[h]eader.csv \
        "$1"/[0-9][0-9][0-9][0-9]/*.xml "$1"/*[0-9][0-9][0-9][0-9]*.xml \
        "$1"/[0-9][0-9][0-9][0-9][-_][h]eader.csv "$1"/[h]eader[-_][0-9][0-9][0-9][0-9].csv; do
        [ -f "$file" ] && { found=0; break; }
    done
    shopt -u nocaseglob
    return "$found"
}

# The extract: the folder itself, or its newest dated subfolder (names like 2020-11-02 sort by date).
extracts="$LAC_EXTRACTS"
if ! holds_extract "$extracts"; then
    newest=""
    for folder in "$LAC_EXTRACTS"/*/; do
        holds_extract "${folder%/}" && newest="${folder%/}"
    done
    [ -n "$newest" ] || fail "no extract in $LAC_EXTRACTS (no header.csv or annual returns in it or in a folder inside it)"
    extracts="$newest"
fi

logs="${LAC_LOGS:-$LAC_OUT/logs}"
mkdir -p "$logs" || fail "cannot create the log folder $logs"
log="$logs/lac-report-$(date +%Y-%m-%d).log"
{
    echo "== $(date '+%Y-%m-%d %H:%M:%S') lac-report run --extracts $extracts --config $LAC_CONFIG --out $LAC_OUT $*"
} >>"$log"
"$program" run --extracts "$extracts" --config "$LAC_CONFIG" --out "$LAC_OUT" "$@" >>"$log" 2>&1
status=$?
tail -n 1 "$log"
[ "$status" -eq 0 ] || echo "lac-report-monthly: everything lac-report said is in $log"
exit "$status"
