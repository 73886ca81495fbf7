/* yaml_ref.h — the libyaml rendering of a value, for tests ONLY.
 *
 * compiler/yaml_out.c writes its YAML directly. This is the renderer it
 * replaced, which sends the same choices (the same style for every
 * scalar, from the module's yaml_plain_ok and the same literal rule; the
 * same key order) as events to libyaml's emitter. test_yaml_diff renders
 * many values both ways and requires identical bytes and identical
 * refusals, so that the direct writer keeps libyaml's spelling exactly,
 * and libyaml keeps agreeing with the style the module picks (it would
 * silently fall back to single quotes otherwise). Linked only into that
 * test. */
#ifndef CROWN_TEST_YAML_REF_H
#define CROWN_TEST_YAML_REF_H

#include <stdbool.h>

#include "strbuf.h"
#include "value.h"
#include "yaml_out.h"

/* Same contract as yaml_render (yaml_out.h). */
bool yaml_render_libyaml(const Value *doc, const YamlOptions *opt, StrBuf *out, YamlError *err);

#endif
