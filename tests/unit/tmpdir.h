/* tmpdir.h — the temporary directories of the unit tests that write files:
 * removed, with everything in them, at the end of each test. Static
 * inline, as helpers.h. */
#ifndef CROWN_TEST_TMPDIR_H
#define CROWN_TEST_TMPDIR_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* Removes path and, if it is a directory, everything below it; a file
 * that cannot be removed fails the test. */
static inline void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4096];
            int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            assert_true(n > 0 && (size_t)n < sizeof sub);
            remove_tree(sub);
        }
        closedir(d);
        assert_int_equal(rmdir(path), 0);
    } else {
        assert_int_equal(unlink(path), 0);
    }
}

#endif
