#!/bin/sh
# Writes scenarios/data/client_export.csv, the synthetic CRM export of
# docs/calibration.md's walk-through: one replication of client.ini
# (seed 14), its opportunities as a Salesforce opportunity report of
# reported weeks 26 to 78 (a year), week 0 on 2024-01-01. Deals begun
# before the window and still open at its start are in it, deals open at
# its end are open, as in a report filtered on "open or closed in the
# window". Run from the repository root after make:
#   sh scenarios/data/make_export.sh
set -e
./salescap trace scenarios/data/client.ini --crm salesforce \
    --window 26:78 --date 2024-01-01 -o scenarios/data/client_export.csv
