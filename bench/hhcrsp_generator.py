"""Seeded HHCRSP instances in the file format of Mankowska, Meisel & Bierwirth (2014),
for sizes the published sets do not have (300 and 500 patients).

    .venv/bin/python bench/hhcrsp_generator.py --patients 300,500 --seeds 1,2 -o DIR

writes `DIR/GenHCSRP_{patients}_{seed}.txt`, read by `bench/mankowska.py` like the
published files. The rules are those of the published sets, as measured on sets
C, D and F (`bench/data/hhcrsp-mankowska/instances`):

- a 100 x 100 square with integer coordinates; the depot is node 0 and the last
  node; distances are Euclidean (floating point), travel time = distance;
- staff: 15 % of the patient count (10 for 50, 15 for 75, 30 for 200), six skills in
  two groups (0-2 and 3-5); each member holds one, two or three skills of one group
  (about half hold one; at least four members, two per group), and every skill is
  held by at least two members, so a synchronised double service always has two
  people;
- 70 % of the patients need one service, of a skill drawn uniformly; the last 30 %
  (`DS`) need two services of different skills, half of them at the same time
  (mind = maxd = 0) and half with a gap (mind = g, maxd = 2g, g drawn from 1..59
  minutes), as in the published files;
- every service of an instance takes the same time, drawn from 10..20 minutes (as
  in the published files, where it is one value per instance);
- windows are two hours wide, opening at a whole minute in 0..480; the depot is
  open 0..600.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

SKILLS = 6
GROUPS = ((0, 1, 2), (3, 4, 5))
STAFF_SHARE = 0.15
DOUBLE_SHARE = 0.30
WINDOW = 120
LATEST_OPEN = 480
HORIZON = 600


def _staff_skills(rng: random.Random, count: int) -> list[list[int]]:
    """Skill rows (0/1 per skill): each member in one group, every skill held by at
    least two members. Drawn at random until the skills are covered; a small staff
    that rarely covers them is then built with two members per group and the missing
    skills added."""
    for _ in range(100):
        rows = []
        for _ in range(count):
            group = GROUPS[rng.randrange(2)]
            k = rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
            held = set(rng.sample(group, k))
            rows.append([1 if s in held else 0 for s in range(SKILLS)])
        if all(sum(r[s] for r in rows) >= 2 for s in range(SKILLS)):
            return rows
    groups = [0, 0, 1, 1] + [rng.randrange(2) for _ in range(count - 4)]
    sets: list[set[int]] = []
    for g in groups:
        k = rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        sets.append(set(rng.sample(GROUPS[g], k)))
    for s in range(SKILLS):
        g = 0 if s in GROUPS[0] else 1
        while sum(s in h for h in sets) < 2:
            pick = rng.choice([k for k, h in enumerate(sets) if groups[k] == g and s not in h])
            sets[pick].add(s)
    return [[1 if s in h else 0 for s in range(SKILLS)] for h in sets]


def generate(patients: int, seed: int) -> str:
    """The instance as the text of a Mankowska file."""
    if patients < 10:
        raise ValueError("at least 10 patients")
    rng = random.Random(f"hhcrsp-{patients}-{seed}")
    n = patients + 2
    nv = max(4, round(STAFF_SHARE * patients))
    depot = (rng.randint(0, 99), rng.randint(0, 99))
    xy = [depot] + [(rng.randint(0, 99), rng.randint(0, 99)) for _ in range(patients)] + [depot]
    doubles = round(DOUBLE_SHARE * patients)
    first_double = patients - doubles + 1  # 1-based node of the first double-service patient
    r = [[1] * SKILLS]
    mind = [0] * n
    maxd = [0] * n
    for i in range(1, n - 1):
        row = [0] * SKILLS
        if i >= first_double:
            for s in rng.sample(range(SKILLS), 2):
                row[s] = 1
            if (i - first_double) % 2 == 1:  # every other one with a gap
                g = rng.randint(1, 59)
                mind[i], maxd[i] = g, 2 * g
        else:
            row[rng.randrange(SKILLS)] = 1
        r.append(row)
    r.append([1] * SKILLS)
    a = _staff_skills(rng, nv)
    service = float(rng.randint(10, 20))
    e = [0] + [rng.randint(0, LATEST_OPEN) for _ in range(patients)] + [0]
    l_ = [HORIZON] + [x + WINDOW for x in e[1:-1]] + [HORIZON]

    def line(values: list) -> str:
        return " ".join(str(v) for v in values) + " "

    out = ["nbNodes", str(n), "nbVehi", str(nv), "nbServi", str(SKILLS), "r"]
    out += [line(row) for row in r]
    out += ["DS", line(list(range(first_double + 1, n)))]  # the files list them 1-based
    out += ["a"] + [line(row) for row in a]
    out += ["x", line([p[0] for p in xy]), "y", line([p[1] for p in xy])]
    out += ["d"]
    for p in xy:
        out.append(line([f"{math.dist(p, q):.6f}" for q in xy]))
    out += ["p"]
    for i in range(n):
        for _k in range(nv):
            busy = service if 0 < i < n - 1 else 0.0
            out.append(line([busy] * SKILLS))
    out += ["mind", line(mind), "maxd", line(maxd), "e", line(e), "l", line(l_)]
    return "\n".join(out) + "\n"


def file_name(patients: int, seed: int) -> str:
    return f"GenHCSRP_{patients}_{seed}.txt"


def write(patients: int, seed: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(patients, seed)
    path.write_text(generate(patients, seed))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", default="300,500", help="comma-separated sizes")
    ap.add_argument("--seeds", default="1", help="comma-separated seeds")
    ap.add_argument("-o", "--out", type=Path, required=True, help="folder to write into")
    args = ap.parse_args(argv)
    for size in (int(x) for x in args.patients.split(",")):
        for seed in (int(x) for x in args.seeds.split(",")):
            print(write(size, seed, args.out), file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
