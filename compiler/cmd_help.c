/* cmd_help.c — `crownc help [COMMAND]`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char overview[] =
    "crownc " CROWNC_VERSION " - the CrownLabs site compiler\n"
    "\n"
    "usage: crownc COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "commands:\n"
    "  check SITE...        type, evaluate and check sites; report every problem\n"
    "  build SITE (--out DIR | --repo PATH)\n"
    "                       render the site's tree; write it or commit it\n"
    "  fmt [--check] [-w] FILE...\n"
    "                       print, check or rewrite files in canonical layout\n"
    "  explain [CODE]       explain a diagnostic code, or list them all\n"
    "  ast FILE             print the syntax tree of a file (for tooling)\n"
    "  doc [-o FILE]        write the reference of the standard library (Markdown)\n"
    "  diff SITE --repo PATH\n"
    "                       what `build --repo` would change, with unified diffs\n"
    "  manifests SITE       the site's objects, one JSON object per line\n"
    "  keygen FILE          write a new site master key to FILE (mode 0600)\n"
    "  keygen --sealing-key KEY --sealing-cert CERT\n"
    "                       write a new Sealed Secrets key pair for the site\n"
    "  bootstrap sealing-key --key KEY --cert CERT\n"
    "                       print the controller's key pair as a Secret to apply\n"
    "  secrets list SITE    the site's secrets: names, kinds, where used (no values)\n"
    "  secrets reveal SITE NAME\n"
    "                       print one secret's value, to set it outside the cluster\n"
    "  help [COMMAND]       this text, or the help of one command\n"
    "  --version            print the version\n"
    "\n"
    "exit status: 0 ok, 1 errors were reported, 2 usage or I/O error\n"
    "documentation: docs/language.md, docs/model.md, docs/output.md, docs/cli.md,\n"
    "docs/secrets.md\n";

static const char diag_options[] =
    "  --format=FMT       human (default), json (on stdout) or github (annotations)\n"
    "  --color=WHEN       auto (default: only on a terminal, never with NO_COLOR),\n"
    "                     always or never\n"
    "  --max-errors=N     show at most N diagnostics (default 20), then 'and N more'\n";

/* For the commands that evaluate a site (docs/cli.md, Limits). */
static const char limit_options[] =
    "  --max-steps=N      evaluate at most N expressions (default 1000000000)\n"
    "  --max-memory=SIZE  hold at most SIZE while evaluating (default 8Gi)\n"
    "  --max-depth=N      nest evaluations at most N deep (default 400, up to 10000)\n";

static bool evaluates(const char *cmd)
{
    static const char *const names[] = {"check", "build", "diff", "manifests", "secrets"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(cmd, names[i]) == 0)
            return true;
    return false;
}

static const struct {
    const char *name, *usage, *text;
    const char *options; /* the command's own, listed before the diagnostic ones */
} topics[] = {
    {"check", "crownc check [--syntax] [--stats] [--stdlib DIR] [OPTIONS] SITE...",
     "Reads each SITE (a .crown file, or a directory holding site.crown), its\n"
     "imports and the standard library; types and evaluates it and runs every\n"
     "check, reporting every problem with its file, line and column. Exits 1 if\n"
     "any error was reported.\n",
     "  --syntax           only parse: each argument is one file (- is standard input)\n"
     "  --stats            print the steps and memory evaluating each site took\n"
     "  --secrets FILE     supplied secrets, to warn only about those missing here\n"
     "  --stdlib DIR       the library to use (default: the one next to crownc)\n"},
    {"build", "crownc build SITE (--out DIR | --repo PATH [--branch B]) [OPTIONS]",
     "Checks the site and, if it has no error, renders its tree (docs/output.md):\n"
     "--out writes it below DIR, --repo commits it into branch B (default main)\n"
     "of the repository, only if it changed. The commit's date is --date or\n"
     "SOURCE_DATE_EPOCH: the same sources and date give the same commit.\n"
     "Every Secret is sealed to the site's certificate (docs/secrets.md); a value\n"
     "that has not changed keeps the ciphertext of the tree it replaces.\n",
     "  --out DIR          write DIR/PREFIX instead of committing\n"
     "  --repo PATH        the repository to commit into (created if missing)\n"
     "  --branch B         its branch (default main)\n"
     "  --engine E         flux or argocd instead of the site's gitops\n"
     "  --author \"N <E>\"   author and committer (default crownc <crownc@localhost>)\n"
     "  --date EPOCH       the commit's date, in seconds since the epoch\n"
     "  --master-key FILE  the site master key (else CROWNC_MASTER_KEY, or the file\n"
     "                     CROWNC_MASTER_KEY_FILE names)\n"
     "  --secrets FILE     supplied secrets, NAME: value (mode 0600); else and first,\n"
     "                     CROWN_SECRET_NAME variables\n"
     "  --stdlib DIR       the library to use (default: the one next to crownc)\n"},
    {"manifests", "crownc manifests [--stdlib DIR] SITE",
     "Checks the site and prints every object it produces, one JSON object per\n"
     "line: component, layer and object. Secrets are printed as \"<secret>\".\n",
     "  --stdlib DIR       the library to use (default: the one next to crownc)\n"},
    {"fmt", "crownc fmt [--check] [-w] [OPTIONS] FILE...",
     "Prints each FILE in canonical layout. With --check, prints the names of\n"
     "files that are not formatted and exits 1 if there are any. With -w,\n"
     "rewrites those files in place (atomically, keeping their mode). Files with\n"
     "errors are reported and left alone.\n", NULL},
    {"explain", "crownc explain [--stdlib DIR] [CODE]",
     "Prints the explanation of a diagnostic code such as E0020; with no code,\n"
     "lists all codes. The codes of the standard library's checks (such as\n"
     "E0601) are read from the library: explain prints the check's name, doc\n"
     "and where it is declared. Without a library, only the compiler's own\n"
     "codes are known.\n", NULL},
    {"ast", "crownc ast FILE",
     "Prints the syntax tree of FILE, without source positions: two files with\n"
     "the same tree mean the same thing.\n", NULL},
    {"doc", "crownc doc [--stdlib DIR] [-o FILE] [OPTIONS]",
     "Writes the reference of the standard library as Markdown: every schema\n"
     "with its fields (type, default, doc), every enum, every union with its\n"
     "variants, and every check with its code. The output is the same bytes\n"
     "for the same library; docs/stdlib.md is made with\n"
     "  crownc doc -o docs/stdlib.md\n"
     "Without -o it goes to standard output. A library with errors is\n"
     "reported and nothing is written (exit 1).\n",
     "  --stdlib DIR       the library to describe (default: the one crownc uses)\n"
     "  -o FILE            write to FILE instead of standard output\n"},
    {"keygen",
     "crownc keygen [--force-stdout] FILE\n"
     "       crownc keygen --sealing-key KEY.pem --sealing-cert CERT.pem [--cn NAME] [--days N]",
     "Writes a new site master key to FILE: 32 random bytes as 64 hex digits\n"
     "and a newline, in a new file of mode 0600. An existing FILE is never\n"
     "replaced. Generated secrets are derived from this key: keep it out of\n"
     "the repository and back it up. FILE - prints the key on standard output\n"
     "instead, and only with --force-stdout.\n"
     "\n"
     "With --sealing-key and --sealing-cert, writes instead a new Sealed Secrets\n"
     "key pair made like the controller's: an RSA-4096 private key (PKCS#1 PEM,\n"
     "mode 0600) and a self-signed certificate (mode 0644). Neither file may\n"
     "exist; both are written or neither is. Commit the certificate (the site's\n"
     "sealing certificate names it); never commit the key: give it to the\n"
     "controller with `crownc bootstrap sealing-key` and back it up.\n",
     "  --force-stdout     allow FILE - (the master key on standard output)\n"
     "  --sealing-key KEY  the new private key file\n"
     "  --sealing-cert CERT\n"
     "                     the new certificate file\n"
     "  --cn NAME          the certificate's common name (default sealed-secret)\n"
     "  --days N           how long the certificate is valid (default 3650)\n"},
    {"bootstrap",
     "crownc bootstrap sealing-key --key KEY.pem --cert CERT.pem [--namespace NS]",
     "Prints one Kubernetes Secret on standard output: the Sealed Secrets\n"
     "controller's key pair (type kubernetes.io/tls, label\n"
     "sealedsecrets.bitnami.com/sealed-secrets-key=active), to apply once before\n"
     "the controller starts, so that it opens what crownc sealed to CERT:\n"
     "  crownc bootstrap sealing-key --key KEY.pem --cert CERT.pem | kubectl apply -f -\n"
     "The Secret is named sealed-secrets-key-crownc-HEX after the certificate's\n"
     "SHA-256: applying it again updates it, and a new key pair is added beside\n"
     "the old one, which the controller keeps for what is sealed to it.\n"
     "Nothing is printed unless the certificate is valid now (RSA of 2048 to\n"
     "16384 bits), KEY.pem has mode 0600 or stricter, and the key is the\n"
     "certificate's; otherwise one line on standard error and exit status 2.\n"
     "The output holds the private key: never write it into the repository.\n",
     "  --key KEY.pem      the private key (crownc keygen --sealing-key)\n"
     "  --cert CERT.pem    its certificate\n"
     "  --namespace NS     the controller's namespace (default kube-system)\n"},
    {"diff", "crownc diff SITE --repo PATH [--branch B] [--stdlib DIR] [OPTIONS]",
     "Checks the site and builds its tree exactly as `crownc build` does, then\n"
     "compares it with the site's directory in branch B (default main) of the\n"
     "repository, and prints each path that would be added, changed (with a\n"
     "unified diff) or removed, then a summary. Nothing is written. A missing\n"
     "repository or branch makes every file added. Exits 0 when nothing would\n"
     "change, 1 when something would, 2 on a usage or I/O error or when the\n"
     "site has errors (they are reported; such a site cannot be diffed).\n"
     "--format=json prints one object on standard output instead: site, prefix,\n"
     "added, changed (each with its path and diff) and removed; github is not\n"
     "a format of diff.\n",
     "  --repo PATH        the repository `build --repo` commits into\n"
     "  --branch B         its branch (default main)\n"
     "  --engine E         flux or argocd instead of the site's gitops\n"
     "  --master-key FILE  the site master key, as for build\n"
     "  --secrets FILE     supplied secrets, as for build\n"
     "  --stdlib DIR       the library to use (default: the one crownc uses)\n"},
    {"secrets", "crownc secrets list SITE | crownc secrets reveal SITE NAME [OPTIONS]",
     "list prints every secret of the site: its name, its kind and where it is\n"
     "used (component, namespace/Secret, key); never a value, and it needs no\n"
     "key. reveal prints the value of the secret NAME, for the operator who\n"
     "must set it outside the cluster (bind9's TSIG key, a Keycloak client):\n"
     "generated ones need the master key, supplied ones their source.\n",
     "  --public           reveal: the public key of an ssh-ed25519 pair\n"
     "  --master-key FILE  reveal: the site master key, as for build\n"
     "  --secrets FILE     reveal: supplied secrets, as for build\n"
     "  --stdlib DIR       the library to use (default: the one crownc uses)\n"},
};

int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        fputs(overview, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        if (strcmp(argv[0], topics[i].name) == 0) {
            printf("usage: %s\n\n%s", topics[i].usage, topics[i].text);
            if (strcmp(argv[0], "keygen") == 0 || strcmp(argv[0], "bootstrap") == 0)
                printf("\noptions:\n%s", topics[i].options);
            else if (strcmp(argv[0], "explain") != 0)
                printf("\noptions:\n%s%s%s", topics[i].options ? topics[i].options : "",
                       evaluates(argv[0]) ? limit_options : "", diag_options);
            return EXIT_OK;
        }
    }
    cli_error("help: no command '%s'", argv[0]);
    return EXIT_USAGE;
}
