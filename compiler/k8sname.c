#include "k8sname.h"

static bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool k8s_subdomain(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!alnum(c) && c != '-' && c != '.')
            return false;
        bool edge = i == 0 || i == n - 1 || s[i - 1] == '.' || s[i + 1] == '.';
        if (edge && !alnum(c))
            return false;
    }
    return true;
}

bool k8s_label(const char *s, size_t n)
{
    if (n > 63 || !k8s_subdomain(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.')
            return false;
    return true;
}

/* v1, v1alpha1, v2beta3: the version part of an apiVersion. */
static bool version(const char *s, size_t n)
{
    size_t i = 1;
    if (n < 2 || s[0] != 'v' || s[1] < '1' || s[1] > '9')
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == n)
        return true;
    for (const char *tag = "alpha"; tag; tag = tag[0] == 'a' ? "beta" : NULL) {
        size_t t = 0;
        while (tag[t] && i + t < n && s[i + t] == tag[t])
            t++;
        if (tag[t] != '\0')
            continue;
        size_t j = i + t;
        if (j == n || s[j] < '1' || s[j] > '9')
            return false;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        return j == n;
    }
    return false;
}

bool k8s_api_version(const char *s, size_t n)
{
    size_t slash = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/') {
            if (slash != n)
                return false;
            slash = i;
        }
    if (slash == n)
        return version(s, n);
    return k8s_subdomain(s, slash) && version(s + slash + 1, n - slash - 1);
}

bool k8s_kind(const char *s, size_t n)
{
    if (n == 0 || n > 63 || s[0] < 'A' || s[0] > 'Z')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}
