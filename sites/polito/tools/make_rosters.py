#!/usr/bin/env python3
"""Writes the people and course rosters of the polito example site.

The data is invented but shaped like a large university's: students with
s-numbers as usernames and addresses under the students' mail domain,
Italian-style names, and some forty courses whose rosters overlap. The
generator is deterministic (fixed seed, sorted output), so running it again
rewrites the same files:

    python3 sites/polito/tools/make_rosters.py

Outputs, relative to sites/polito/:
    people/students.csv   username,first,last,email (one row per student)
    people/staff.csv      username,first,last,email (teachers and assistants)
    courses.csv           name,title,kind,teacher,assistant,instances
    rosters/NAME.csv      username (the students of course NAME)
"""
import csv
import os
import random

SEED = 20240901
STUDENTS = 3200
STUDENT_DOMAIN = "studenti.example.org"
STAFF_DOMAIN = "example.org"

FIRST = """Alessandro Alessia Andrea Angela Anna Antonio Beatrice Camilla Carlo Caterina
Chiara Claudia Cristian Daniele Davide Elena Elisa Emanuele Emma Enrico Federica
Federico Filippo Francesca Francesco Gabriele Giacomo Giada Giorgia Giorgio Giovanni
Giulia Giulio Greta Irene Jacopo Laura Leonardo Lorenzo Luca Lucia Ludovica Marco
Maria Marta Martina Matteo Mattia Michele Nicola Noemi Paola Pietro Riccardo Roberta
Roberto Samuele Sara Simone Sofia Stefano Tommaso Valentina Valerio Vittoria""".split()

LAST = """Amato Barbieri Bellini Benedetti Bernardi Bianchi Bianco Bruno Caruso Castelli
Cattaneo Colombo Conte Conti Costa D'Angelo De_Luca Esposito Fabbri Farina Ferrara
Ferrari Ferraro Ferri Fiore Fontana Galli Gallo Gatti Gentile Giordano Giuliani Grassi
Greco Guerra Leone Lombardi Longo Mancini Marchetti Mariani Marini Marino Martinelli
Mazza Messina Monti Morelli Moretti Negri Orlando Pagano Palumbo Parisi Pellegrini
Piras Rinaldi Rizzi Rizzo Romano Rossetti Rossi Ruggiero Russo Sala Santoro Serra
Silvestri Testa Valentini Villa Vitale""".split()
LAST = [n.replace("_", " ") for n in LAST]

# name, title, kind, roster size. Kinds are the template shapes of
# courses.crown: desktop, console, ide, notebook, container.
COURSES = [
    ("algorithms", "Algorithms and Programming", "ide", 180),
    ("ai", "Artificial Intelligence", "notebook", 150),
    ("android", "Mobile Application Development", "desktop", 70),
    ("automata", "Formal Languages and Compilers", "console", 90),
    ("bigdata", "Big Data: Architectures and Data Analytics", "notebook", 160),
    ("bioinfo", "Bioinformatics", "notebook", 40),
    ("blockchain", "Blockchain and Distributed Ledgers", "container", 50),
    ("compilers", "Compiler Construction", "console", 60),
    ("cv", "Computer Vision", "notebook", 80),
    ("cybersec", "Cybersecurity Essentials", "desktop", 140),
    ("datasci", "Data Science Lab", "notebook", 170),
    ("devops", "DevOps and Continuous Delivery", "ide", 90),
    ("distsys", "Distributed Systems", "console", 110),
    ("dsp", "Digital Signal Processing", "desktop", 60),
    ("ecommerce", "Web Commerce Systems", "container", 40),
    ("fpga", "Digital Design on FPGA", "desktop", 45),
    ("gamedev", "Game Development", "desktop", 50),
    ("gis", "Geographic Information Systems", "desktop", 40),
    ("hci", "Human-Computer Interaction", "container", 60),
    ("infosys", "Information Systems", "ide", 130),
    ("iot", "Internet of Things", "console", 70),
    ("java", "Object-Oriented Programming", "ide", 220),
    ("linux", "System and Device Programming", "console", 150),
    ("ml", "Machine Learning and Pattern Recognition", "notebook", 140),
    ("mlops", "Machine Learning Operations", "ide", 50),
    ("netsec", "Network Security", "desktop", 90),
    ("nlp", "Natural Language Processing", "notebook", 70),
    ("numerics", "Numerical Methods", "notebook", 100),
    ("pentest", "Penetration Testing Lab", "desktop", 40),
    ("plc", "Industrial Automation and PLCs", "desktop", 45),
    ("quantum", "Quantum Computing", "notebook", 40),
    ("robotics", "Robotics Programming", "desktop", 50),
    ("routing", "Routing and Switching", "desktop", 80),
    ("sdn", "Software-Defined Networking", "console", 60),
    ("softeng", "Software Engineering", "ide", 190),
    ("sql", "Introduction to Databases", "notebook", 200),
    ("stats", "Statistics for Engineers", "notebook", 160),
    ("testing", "Software Testing", "ide", 70),
    ("virt", "Virtualization and Cloud Infrastructure", "console", 80),
    ("webdev", "Web Applications", "ide", 170),
    ("wireless", "Wireless Networks", "console", 50),
]


def username(first, last, taken):
    base = (first[0] + last).lower().replace("'", "").replace(" ", "")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def write(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(here)
    rng = random.Random(SEED)

    numbers = sorted(rng.sample(range(250000, 340000), STUDENTS))
    students = [(f"s{n}", rng.choice(FIRST), rng.choice(LAST)) for n in numbers]
    write("people/students.csv", ["username", "first", "last", "email"],
          [(u, f, l, f"{u}@{STUDENT_DOMAIN}") for u, f, l in students])

    taken, mails = set(), set()
    staff = []
    for _ in range(len(COURSES) * 2):
        f, l = rng.choice(FIRST), rng.choice(LAST)
        u = username(f, l, taken)
        mail = f"{f}.{l}".lower().replace("'", "").replace(" ", "")
        mail = mail if mail not in mails else f"{mail}{len(mails)}"
        mails.add(mail)
        staff.append((u, f, l, f"{mail}@{STAFF_DOMAIN}"))
    staff.sort()
    write("people/staff.csv", ["username", "first", "last", "email"], staff)

    rows = []
    for i, (name, title, kind, size) in enumerate(COURSES):
        teacher, assistant = staff[2 * i][0], staff[2 * i + 1][0]
        instances = 2 if kind in ("ide", "container") else 1
        rows.append((name, title, kind, teacher, assistant, instances))
        roster = sorted(rng.sample([u for u, _, _ in students], size))
        write(f"rosters/{name}.csv", ["username"], [(u,) for u in roster])
    write("courses.csv", ["name", "title", "kind", "teacher", "assistant", "instances"], rows)


if __name__ == "__main__":
    main()
