/* k8sname.h — the one definition of the names Kubernetes accepts, for
 * every name of the tree, whoever made it: the site, a data file, the
 * library or crownc itself (gitops objects, releases, directories).
 *
 * Every check takes the bytes and their length, so a NUL inside a name is
 * a wrong character, never the end of a shorter valid one. */
#ifndef CROWN_K8SNAME_H
#define CROWN_K8SNAME_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 1123 subdomain: 1 to 253 bytes of lowercase letters, digits, '-'
 * and '.', each dot-separated part starting and ending alphanumeric. The
 * name of most objects. */
bool k8s_subdomain(const char *s, size_t n);
/* RFC 1123 label: a subdomain of one part, at most 63 bytes. A namespace,
 * a Service, and every name crownc derives a directory from. */
bool k8s_label(const char *s, size_t n);
/* An apiVersion: "v1", or GROUP/VERSION with a subdomain group and a
 * version such as v1, v2beta1 — nothing around it, no upper case. */
bool k8s_api_version(const char *s, size_t n);
/* A kind: an upper-case letter, then letters and digits (CamelCase). */
bool k8s_kind(const char *s, size_t n);

#endif
