/* test_random_source.c — the release random source (compiler/
 * random_release.c, the one linked into build/crownc and into these
 * tests): it never hands out a source, so sealing always uses RAND_bytes,
 * and it does not call itself deterministic. The deterministic source of
 * build/crownc-test is checked by tests/run.sh (section seal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "random_source.h"

static void test_release_open_is_null(void **state)
{
    (void)state;
    static const char ctx[] = "crown-lab/grafana/admin-password\0\x01\x02 hmac";
    assert_null(random_source_open(ctx, sizeof ctx - 1));
    assert_null(random_source_open("ns/name/key", strlen("ns/name/key")));
    assert_null(random_source_open("", 0));
    assert_null(random_source_open(NULL, 0));
    random_source_close(NULL); /* accepted, does nothing */
}

static void test_release_not_deterministic(void **state)
{
    (void)state;
    assert_false(random_source_is_deterministic());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_release_open_is_null),
        cmocka_unit_test(test_release_not_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
