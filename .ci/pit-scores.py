#!/usr/bin/env python3
"""Prints PIT's mutation score per package, then overall, from its mutations.xml.

Killed counts what PIT counts as detected (killed, timed out, memory or run error), so the total line matches the
score PIT checks against mutationThreshold. With --survivors, lists every mutant not detected.

  python3 .ci/pit-scores.py [operator/target/pit-reports/mutations.xml] [--survivors]
"""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

args = [a for a in sys.argv[1:] if not a.startswith("--")]
path = args[0] if args else "operator/target/pit-reports/mutations.xml"
mutations = ET.parse(path).getroot().findall("mutation")

killed = defaultdict(int)
total = defaultdict(int)
survivors = []
for m in mutations:
    cls = m.findtext("mutatedClass")
    package = cls.rsplit(".", 1)[0]
    total[package] += 1
    if m.get("detected") == "true":
        killed[package] += 1
    else:
        survivors.append((cls, int(m.findtext("lineNumber")), m.get("status"), m.findtext("mutatedMethod"),
                          m.findtext("description")))


def line(name, k, t):
    return f"{name:<32} {k:>5} / {t:<5} {100 * k / t:5.1f}%" if t else f"{name:<32} no mutations"


print(f"{'package':<32} killed / total")
for package in sorted(total):
    print(line(package, killed[package], total[package]))
print(line("all", sum(killed.values()), sum(total.values())))

if "--survivors" in sys.argv:
    for cls, number, status, method, description in sorted(survivors):
        print(f"{status:<11} {cls.rsplit('.', 1)[1]}:{number} {method}: {description}")
