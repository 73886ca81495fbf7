# crownc — build, test and tooling.
#
#   make            build build/crownc
#   make demo       build, check the example site (sites/lab) and commit its tree
#   make test       the whole test suite (what CI runs)
#   make build/crownc-test  crownc with a deterministic random source, for tests only (make test builds it)
#   make asan       the whole suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer on the front end (FUZZ_SECONDS=60)
#   make fuzz-check libFuzzer on the whole check of a site (FUZZ_SECONDS=60)
#   make bench      median timings of the main jobs (RUNS=11)
#   make valgrind   the main jobs under valgrind: no error, no leak
#   make golden     rewrite golden/ from the sites (read the diff before committing)
#   make install    install crownc, its library and its man page (PREFIX=/usr/local, DESTDIR)
#   make deps       install what the build needs (Debian packages)

CC       ?= cc
CFLAGS   ?= -O2 -g
SANITIZE ?=
PKGS     := yaml-0.1 openssl libgit2 zlib
TEST_PKGS := cmocka

ifeq ($(SANITIZE),1)
BUILD    ?= build-asan
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    ?= build
SAN      :=
endif

# pkg-config runs when a recipe needs the flags, i.e. after `deps`.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
WARN     := -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror
CPPFLAGS := -Icompiler -I$(BUILD)/gen
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SAN) $(CPPFLAGS) $(PKG_CFLAGS)

GEN      := $(BUILD)/gen/crown.tab.c $(BUILD)/gen/lex.yy.c
SRCS     := $(filter-out compiler/main.c,$(wildcard compiler/*.c))
OBJS     := $(SRCS:compiler/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/crown.tab.o $(BUILD)/obj/lex.yy.o
CROWNC   := $(BUILD)/crownc
# crownc-test: crownc with tests/support/random_test.c in place of
# compiler/random_release.c (see compiler/random_source.h). Never release it.
CROWNC_TEST := $(BUILD)/crownc-test
TEST_OBJS := $(filter-out $(BUILD)/obj/random_release.o,$(OBJS)) $(BUILD)/obj/support/random_test.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
STAMP    := $(BUILD)/.deps-ok

.PHONY: all deps demo test asan fuzz fuzz-check bench valgrind golden clean unit install
all: $(CROWNC)

deps: $(STAMP)
$(STAMP): mk/deps.sh
	@sh mk/deps.sh
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/gen/crown.tab.c: grammar/crown.y $(STAMP)
	@mkdir -p $(@D)
	bison -Wall -Werror -d -o $@ $<

$(BUILD)/gen/crown.tab.h: $(BUILD)/gen/crown.tab.c

$(BUILD)/gen/lex.yy.c: grammar/crown.l $(BUILD)/gen/crown.tab.h $(STAMP)
	@mkdir -p $(@D)
	flex -o $@ $<

$(BUILD)/obj/%.o: compiler/%.c $(BUILD)/gen/crown.tab.h $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: $(BUILD)/gen/%.c $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-unused-function -MMD -MP -c -o $@ $<

$(CROWNC): $(BUILD)/obj/main.o $(OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/support/%.o: tests/support/%.c $(BUILD)/gen/crown.tab.h $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(CROWNC_TEST): $(BUILD)/obj/main.o $(TEST_OBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS)) -o $@ $< $(filter %.o,$^) \
	    $(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

# test_yaml_diff also links the libyaml renderer that yaml_out.c replaced,
# its reference (tests/support/yaml_ref.h).
$(BUILD)/tests/test_yaml_diff: $(BUILD)/obj/support/yaml_ref.o

unit: $(UNIT_BINS)

# The demo commits the example site into build/demo-repo; with the fixed
# date, running it again makes no new commit (sealed values are reused).
DEMO_DATE := 1764000000
demo: $(CROWNC)
	$(CROWNC) check sites/lab
	$(CROWNC) fmt --check sites/lab/*.crown && echo "sites/lab: every file is formatted"
	@# The demo master key is public (tests/keys): a real site keeps its own
	@# key out of every repository (docs/secrets.md).
	CROWNC_MASTER_KEY=$$(cat tests/keys/master.key) SOURCE_DATE_EPOCH=$(DEMO_DATE) \
	    $(CROWNC) build sites/lab --repo $(BUILD)/demo-repo
	@echo "the tree is in branch main of $(BUILD)/demo-repo (a bare repository), directory lab/:"
	@echo "  git --git-dir=$(BUILD)/demo-repo ls-tree -r --name-only main lab/"
	@echo "  git --git-dir=$(BUILD)/demo-repo show main:lab/bootstrap/README.md"
	@echo "  git clone $(BUILD)/demo-repo /tmp/lab-tree    # a work tree to browse"

test: $(CROWNC) $(CROWNC_TEST) $(UNIT_BINS)
	@bash tests/run.sh $(BUILD)

asan:
	$(MAKE) test SANITIZE=1

# golden/ENGINE/SITE is the tree of sites/SITE wired for ENGINE, written
# with the date the suite uses; the suite builds every one again and
# compares byte for byte.
# Secrets are sealed by build/crownc-test, whose random source is fixed,
# with the test master key and supplied secrets of tests/keys (a secrets
# file must be mode 0600, which git does not keep: a private copy is used).
GOLDEN_DATE := 1764000000
golden: $(CROWNC_TEST)
	@tmp=$$(mktemp -d) && cp tests/keys/secrets.yaml $$tmp/ && chmod 600 $$tmp/secrets.yaml && \
	for e in flux argocd; do \
	    for s in sites/*/; do \
	        CROWNC_TEST_RANDOM=fixed-for-tests-only CROWNC_MASTER_KEY=$$(cat tests/keys/master.key) \
	            SOURCE_DATE_EPOCH=$(GOLDEN_DATE) \
	            $(CROWNC_TEST) build $${s%/} --engine $$e --secrets $$tmp/secrets.yaml \
	            --out golden/$$e || { rm -rf $$tmp; exit 1; }; \
	    done; \
	done; rm -rf $$tmp

bench: $(CROWNC)
	@bash tests/bench/run.sh $(BUILD)

# Exit status 1 is crownc reporting the planted mistakes; valgrind's own
# verdict is 99.
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99
valgrind: $(CROWNC)
	@for s in sites/*/ tests/checks/planted; do \
	    $(VALGRIND) $(CROWNC) check $$s >/dev/null 2>&1; \
	    st=$$?; [ $$st -le 1 ] || { echo "valgrind: check $$s: status $$st"; exit 1; }; \
	done
	@$(VALGRIND) $(CROWNC) fmt sites/polito/site.crown >/dev/null
	@$(VALGRIND) $(CROWNC) doc >/dev/null
	@# Sealing, then reuse from the branch; and a secret revealed.
	@tmp=$$(mktemp -d) && export CROWNC_MASTER_KEY=$$(cat tests/keys/master.key) \
	    CROWN_SECRET_SMTP_PASSWORD=x CROWN_SECRET_BGP_PASSWORD=y CROWN_SECRET_LDAP_BIND_PASSWORD=z \
	    SOURCE_DATE_EPOCH=1 && \
	for i in 1 2; do \
	    $(VALGRIND) $(CROWNC) build sites/department --repo $$tmp/repo >/dev/null 2>&1 || \
	        { echo "valgrind: build sites/department ($$i)"; rm -rf $$tmp; exit 1; }; \
	done; \
	$(VALGRIND) $(CROWNC) secrets reveal sites/department dns-tsig >/dev/null 2>&1 || \
	    { echo "valgrind: secrets reveal"; rm -rf $$tmp; exit 1; }; \
	rm -rf $$tmp
	@echo "valgrind: no errors, no leaks"

FUZZ_SECONDS ?= 60
FUZZ_DIR := build-fuzz
fuzz: $(STAMP) $(GEN)
	@mkdir -p $(FUZZ_DIR)/corpus
	clang -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Icompiler -I$(BUILD)/gen $(PKG_CFLAGS) -o $(FUZZ_DIR)/fuzz_front tests/fuzz/fuzz_front.c \
	    $(SRCS) $(GEN) $(PKG_LIBS)
	@find . -name '*.crown' -not -path './build*' -exec cp {} $(FUZZ_DIR)/corpus/ \;
	@cp tests/fuzz/regressions/* $(FUZZ_DIR)/corpus/ 2>/dev/null || true
	$(FUZZ_DIR)/fuzz_front -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus

# The whole check (against tests/stdlib), seeded with the diagnostic cases;
# then the data files a site reads (csv() rosters and yaml() objects, on
# sites/lab), seeded with those of the sites and the tests. Each runs
# FUZZ_SECONDS.
fuzz-check: $(STAMP) $(GEN)
	@mkdir -p $(FUZZ_DIR)/check-corpus $(FUZZ_DIR)/data-corpus
	clang -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Icompiler -I$(BUILD)/gen $(PKG_CFLAGS) -o $(FUZZ_DIR)/fuzz_check tests/fuzz/fuzz_check.c \
	    $(SRCS) $(GEN) $(PKG_LIBS)
	clang -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Icompiler -I$(BUILD)/gen $(PKG_CFLAGS) -o $(FUZZ_DIR)/fuzz_data tests/fuzz/fuzz_data.c \
	    $(SRCS) $(GEN) $(PKG_LIBS)
	@cp tests/diagnostics/*.crown tests/fuzz/regressions/*.crown $(FUZZ_DIR)/check-corpus/ 2>/dev/null || true
	@for f in $$(find sites tests -name '*.csv' -size -8k); do \
	    { printf c; cat $$f; } >$(FUZZ_DIR)/data-corpus/c-$$(echo $$f | tr / -); done
	@for f in $$(find tests stdlib -name '*.yaml' -size -8k); do \
	    { printf y; cat $$f; } >$(FUZZ_DIR)/data-corpus/y-$$(echo $$f | tr / -); done
	@cp tests/fuzz/regressions/data-* $(FUZZ_DIR)/data-corpus/ 2>/dev/null || true
	$(FUZZ_DIR)/fuzz_check -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	    -artifact_prefix=$(FUZZ_DIR)/check- $(FUZZ_DIR)/check-corpus
	$(FUZZ_DIR)/fuzz_data -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
	    -artifact_prefix=$(FUZZ_DIR)/data- $(FUZZ_DIR)/data-corpus

# The binary finds its library at BIN/../share/crownc/stdlib.
PREFIX  ?= /usr/local
DESTDIR ?=
install: $(CROWNC)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/crownc \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(CROWNC) $(DESTDIR)$(PREFIX)/bin/crownc
	rm -rf $(DESTDIR)$(PREFIX)/share/crownc/stdlib
	cp -R stdlib $(DESTDIR)$(PREFIX)/share/crownc/stdlib
	chmod -R u=rwX,go=rX $(DESTDIR)$(PREFIX)/share/crownc/stdlib
	install -m 644 man/crownc.1 $(DESTDIR)$(PREFIX)/share/man/man1/crownc.1

clean:
	rm -rf build build-asan build-fuzz build-dev

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/support/*.d)
