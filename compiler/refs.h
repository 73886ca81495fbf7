/* refs.h — the closed world: every name an object or a chart value of the
 * tree refers to is provided by the same tree, or declared external.
 *
 * A reference has a kind (storage class, host, ingress class, issuer,
 * Secret, Service URL, namespace: the library's `reference_kinds` lists
 * them, with a noun for messages and a hint saying what provides one) and
 * a name. Components state theirs:
 *
 *   provides = { storage_class = ["rook-ceph-block"], host = [h] }
 *   needs    = [{ kind = "storage_class", name = c, at = storage, why = "MyDrive" }]
 *
 * Objects add to both by themselves: a Namespace, StorageClass,
 * IngressClass, ClusterIssuer or Secret provides its name (a Secret as
 * "namespace/name"), and every namespaced object needs its namespace.
 * The site's `external` block is provided by a library component too, so
 * this module knows nothing of CrownLabs.
 *
 * A need that nothing provides is an error (E0409) at its `at` (the site
 * line that caused it), naming the component and why it needs it. A
 * reference of a kind the library does not list is E0410. */
#ifndef CROWN_REFS_H
#define CROWN_REFS_H

#include "program.h"

/* Checks every need of p's components against what they provide. Runs
 * once the objects are final (after secrets_plan). */
void refs_check(Program *p);

#endif
