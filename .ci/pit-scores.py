#!/usr/bin/env python3
"""Prints PIT's mutation score per package, then overall, from its mutations.xml.

Killed counts what PIT counts as detected (killed, timed out, memory or run error), so the last line matches the
score PIT checks against mutationThreshold. --survivors lists every mutant not detected; --floor PACKAGE=PERCENT
(repeatable) exits 1 when that package's score is below PERCENT, since PIT's threshold is for the whole run only.

  python3 .ci/pit-scores.py [operator/target/pit-reports/mutations.xml] [--survivors] [--floor PACKAGE=PERCENT]...
"""
import argparse
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

parser = argparse.ArgumentParser()
parser.add_argument("report", nargs="?", default="operator/target/pit-reports/mutations.xml")
parser.add_argument("--survivors", action="store_true")
parser.add_argument("--floor", action="append", default=[], metavar="PACKAGE=PERCENT")
args = parser.parse_args()

killed = defaultdict(int)
total = defaultdict(int)
survivors = []
for m in ET.parse(args.report).getroot().findall("mutation"):
    cls = m.findtext("mutatedClass")
    package = cls.rsplit(".", 1)[0]
    total[package] += 1
    if m.get("detected") == "true":
        killed[package] += 1
    else:
        survivors.append((cls, int(m.findtext("lineNumber")), m.get("status"), m.findtext("mutatedMethod"),
                          m.findtext("description")))


def score(k, t):
    return 100 * k / t if t else 100.0


print(f"{'package':<32} killed / total")
for package in sorted(total):
    print(f"{package:<32} {killed[package]:>5} / {total[package]:<5} {score(killed[package], total[package]):5.1f}%")
all_killed, all_total = sum(killed.values()), sum(total.values())
print(f"{'all':<32} {all_killed:>5} / {all_total:<5} {score(all_killed, all_total):5.1f}%")

if args.survivors:
    for cls, number, status, method, description in sorted(survivors):
        print(f"{status:<11} {cls.rsplit('.', 1)[1]}:{number} {method}: {description}")

below = []
for floor in args.floor:
    package, percent = floor.split("=")
    if package not in total:
        below.append(f"{package}: no mutations found; is the package still in targetClasses?")
    elif score(killed[package], total[package]) < float(percent):
        below.append(f"{package}: {score(killed[package], total[package]):.1f}% is below its floor of {percent}%")
for line in below:
    print(f"mutation score below the floor: {line}", file=sys.stderr)
sys.exit(1 if below else 0)
