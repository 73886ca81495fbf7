#!/usr/bin/env python3
"""gen_site.py PEOPLE COURSES DIR — writes a university-sized site to DIR
for the benchmark (make bench) and the growth test, laid out like
sites/polito: people and courses in CSV files read by loops, one roster
per course, three templates per course (a VM desktop, a VM console and a
standalone IDE).

The output is a function of PEOPLE and COURSES alone (a fixed seed, no
clock), so two runs write the same bytes. Every student takes three to
five courses; each course has one teacher and one assistant from the
staff, one staff member per twenty courses at least. The servers grow
with the people, so that the capacity checks pass at any size.

    python3 tests/bench/gen_site.py 20000 500 /tmp/u20k
"""
import os
import random
import sys

SITE = """\
# A generated university: {people} people, {courses} courses.
import "people.crown"
import "courses.crown"

site "uni" {{
  domain     = "crownlabs.uni.example.org"
  kubernetes = "1.31"
  crownlabs  = "v0.15.0"
  gitops     = flux {{ url = "https://git.uni.example.org/ops/deploy.git" }}
  overcommit {{ cpu = 12, memory = 3 }}
}}

for i in range({servers}) {{
  server "node-${{i + 1}}" {{
    address = ip_add("10.1.0.0", i + 1)
    roles   = if i < 3 then [control-plane, worker] else [worker]
    cpu     = 128
    memory  = 1Ti
  }}
}}

network {{
  nodes        = "10.1.0.0/16"
  pods         = "172.16.0.0/16"
  services     = "10.96.0.0/12"
  loadbalancer = l2 {{
    pool "public" {{ addresses = ["10.1.255.200-10.1.255.220"] }}
  }}
  tls          = selfsigned
}}

storage {{
  existing {{ block = "local-path", shared = "local-path" }}
}}

identity {{
  keycloak {{}}
  admins = [admin]
}}

external {{
  hosts    = ["grafana.crownlabs.uni.example.org"]
  services = ["http://kube-prometheus-stack-prometheus.monitoring:9090"]
  crds     = ["servicemonitors.monitoring.coreos.com"]
}}
"""

PEOPLE = """\
person "admin" {
  first = "Ada"
  last  = "Admin"
  email = "admin@uni.example.org"
}

for r in csv("people/staff.csv") {
  person "${r.username}" {
    first = r.first
    last  = r.last
    email = r.email
  }
}

for r in csv("people/students.csv") {
  person "${r.username}" {
    first = r.first
    last  = r.last
    email = r.email
  }
}
"""

COURSES = """\
let registry = "registry.uni.example.org/crownlabs"

for c in csv("courses.csv") {
  course "${c.name}" {
    title      = c.title
    teachers   = [c.teacher]
    assistants = [c.assistant]
    students   = [for r in csv("rosters/${c.name}.csv"): r.username]
    quota { cpu = 4, memory = 8Gi, instances = 2 }

    template "desktop" {
      title       = "Linux desktop"
      description = "A desktop with the tools of ${c.title}."
      idle_after  = 4h
      environment "desktop" {
        type       = vm
        image      = "${registry}/${c.name}-desktop:1.0"
        cpu        = 2
        memory     = 4Gi
        disk       = 20Gi
        persistent = true
      }
    }
    template "console" {
      title       = "Linux console"
      description = "A console with the toolchain of ${c.title}."
      idle_after  = 2h
      environment "console" {
        type   = vm
        image  = "${registry}/${c.name}-console:1.0"
        cpu    = 1
        memory = 2Gi
        gui    = false
      }
    }
    template "vscode" {
      title       = "VS Code"
      description = "A browser IDE with the exercises of ${c.title}."
      lifetime    = 30d
      environment "vscode" {
        type        = standalone
        image       = "${registry}/${c.name}-vscode:1.0"
        cpu         = 1
        memory      = 2Gi
        rewrite_url = true
      }
    }
  }
}
"""

FIRST = ("Ada Bruno Carla Dario Elena Fabio Giulia Ivo Laura Marco Nadia Oscar "
         "Paola Renzo Sara Tino Ugo Vera").split()
LAST = ("Rossi Bianchi Conti Greco Ferri Galli Longo Marino Neri Orlando Piras "
        "Riva Sala Testa Villa").split()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen_site.py PEOPLE COURSES DIR")
    people, courses, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(20261203)
    nstaff = max(2, courses // 10)
    nstudents = max(1, people - nstaff - 1)
    # Each student books four courses' quota (4 cores, 8Gi) on the
    # workers, overcommitted 12 and 3 times, and the checks want them
    # below 80%: one 128-core, 1Ti server per 60 students.
    servers = nstudents // 60 + 3
    write(f"{out}/site.crown", SITE.format(people=people, courses=courses, servers=servers))
    write(f"{out}/people.crown", PEOPLE)
    write(f"{out}/courses.crown", COURSES)
    staff = [f"t{i:05d}" for i in range(nstaff)]
    students = [f"s{i:06d}" for i in range(nstudents)]

    def rows(names, domain):
        out_rows = ["username,first,last,email"]
        for u in names:
            out_rows.append(f"{u},{rnd.choice(FIRST)},{rnd.choice(LAST)},{u}@{domain}")
        return "\n".join(out_rows) + "\n"

    write(f"{out}/people/staff.csv", rows(staff, "uni.example.org"))
    write(f"{out}/people/students.csv", rows(students, "studenti.uni.example.org"))
    names = [f"c{i:04d}" for i in range(courses)]
    lines = ["name,title,teacher,assistant"]
    for i, n in enumerate(names):
        lines.append(f"{n},Course {i},{staff[(2 * i) % nstaff]},{staff[(2 * i + 1) % nstaff]}")
    write(f"{out}/courses.csv", "\n".join(lines) + "\n")
    rosters = {n: [] for n in names}
    for s in students:
        for c in rnd.sample(names, min(len(names), rnd.randint(3, 5))):
            rosters[c].append(s)
    for n in names:
        if not rosters[n]:
            rosters[n].append(students[0])
        write(f"{out}/rosters/{n}.csv", "username\n" + "".join(f"{s}\n" for s in sorted(rosters[n])))
    # The lab's certificate: builds seal with the test keys.
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../sites/lab/sealed-secrets.pem"), "rb") as f:
        pem = f.read()
    with open(f"{out}/sealed-secrets.pem", "wb") as f:
        f.write(pem)


main()
