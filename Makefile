# salescap: a discrete-event simulator of sales capacity tradeoffs.
#
#   make            build ./salescap
#   make test       install missing Debian packages, build, run every test
#   make demo       run the flagship scenario and write its charts
#   make check      the tests again, built with ASan + UBSan and -Werror
#   make bench      optimised build, benchmarks, bench/results.csv
#   make install    PREFIX=/usr/local DESTDIR= (binary, scenarios, man page,
#                   docs in PREFIX/share/doc/salescap)
#   make MPI=1      build with mpicc for sweeps over MPI ranks
#   make test-mpi   the MPI build's sweeps against the serial build's
#   make valgrind   the end-to-end tests with every salescap under memcheck
#   make fresh      the README's commands on a fresh Debian root (as root;
#                   tests/fresh.sh; FRESH_CI=1 also runs .ci/run there)
#   make deps       install the Debian packages the build and tests need
#   make report-check  print report.html to PDF in headless Chromium (A4,
#                   Letter) and check the handout (tests/report_print.sh;
#                   needs chromium and poppler-utils, not in make deps)

VERSION := 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= gcc
ifeq ($(CC),cc)
CC := gcc
endif
ifeq ($(MPI),1)
CC := mpicc
MPI_CFLAGS := -DSALESCAP_MPI=1
BUILD := $(BUILD)/mpi
endif

# Asked of pkg-config when first used, not when make reads this file:
# `make demo` and `make test` on a fresh machine install the packages
# (.ci/deps) after make has read it, and the flags must be those of the
# installed libraries. Each is computed once (the eval replaces the
# recursive definition by its value on first expansion).
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags gsl inih 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs gsl inih 2>/dev/null))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null))$(CMOCKA_LIBS)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wvla -Wswitch-enum
OPT  ?= -O2 -g
CFLAGS_EXTRA ?=
LDFLAGS_EXTRA ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DSALESCAP_VERSION='"$(VERSION)"' \
              $(OPT) $(WARN) -Iinclude $(PKG_CFLAGS) $(MPI_CFLAGS) -pthread \
              -MMD -MP $(CFLAGS_EXTRA) $(CFLAGS)
ALL_LDFLAGS = -pthread $(LDFLAGS_EXTRA) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

LIB_SRC  := $(filter-out sim/main.c,$(sort $(wildcard sim/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/sim/main.o
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/salescap

.PHONY: all deps fresh test test-run demo check bench install uninstall clean fuzz \
        golden docs-img man-lint
.DEFAULT_GOAL := all

all: salescap

# The user-facing binary lives at the top; the build folder keeps its twin.
salescap: $(BIN)
	cp $< $@.tmp && mv -f $@.tmp $@  # rename: works while it runs

$(BIN): $(MAIN_OBJ) $(BUILD)/libsalescap.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libsalescap.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# A plain `make` on a machine without the libraries says what to do
# rather than failing at the link with undefined references.
.PHONY: libs-present
libs-present:
	@pkg-config --exists gsl inih 2>/dev/null || { \
	    echo "salescap: GSL and inih not found: 'make deps' installs them (make demo and make test do it themselves)" >&2; \
	    exit 1; }

$(BUILD)/%.o: %.c | libs-present
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Every test program is its file plus tests/util.c (tests/util.h).
$(BUILD)/tests/%: tests/%.c tests/util.c tests/util.h $(BUILD)/libsalescap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/util.c $(BUILD)/libsalescap.a \
	    $(ALL_LDFLAGS) $(LIBS) $(CMOCKA_LIBS)

deps:
	@sh .ci/deps

# Not part of make test: it builds a Debian root and takes several minutes
# (tests/fresh.sh, docs/robustness.md).
fresh:
	@sh tests/fresh.sh $(if $(filter 1,$(FRESH_CI)),--ci)

# test and demo install what is missing first, then build in a second
# make, which reads the flags of the libraries now installed.
test: deps
	@$(MAKE) --no-print-directory salescap test-run

test-run: $(BIN) $(TEST_BIN)
	@SALESCAP=$(abspath $(BIN)) sh tests/run.sh $(TEST_BIN)

# report.html printed by headless Chromium: nothing fetched, cut or split
# (tests/report_print.sh). Not part of make test: Chromium is no
# dependency of salescap (apt-get install chromium poppler-utils).
.PHONY: report-check
report-check: salescap
	@SALESCAP=$(abspath salescap) sh tests/report_print.sh

# sweep.csv of the MPI build under mpirun -n 1, 2, 3 against the serial
# build's (tests/mpi.sh builds both; it skips without mpicc or mpirun).
.PHONY: test-mpi
test-mpi:
	@MPI=1 sh .ci/deps
	@sh tests/mpi.sh

check: deps
	@$(MAKE) --no-print-directory test-run BUILD=build/check OPT='-O1 -g' \
	    CFLAGS_EXTRA='-Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	    LDFLAGS_EXTRA='-fsanitize=address,undefined'

# Benchmarks: every bench/NAME.c is a program linked against its own copy
# of the library, built with -O2 -DNDEBUG in build/bench, beside a salescap
# built the same way (and, where mpicc and mpirun are installed, its MPI
# build in build/bench/mpi, for the scaling over ranks); bench/run.sh runs
# them (best of 5) and bench/scaling.sh the scaling and sweep benchmarks,
# prints the tables and writes bench/results.csv.
BENCH_BUILD := build/bench
BENCH_BIN := $(patsubst bench/%.c,$(BENCH_BUILD)/bench/%,$(sort $(wildcard bench/*.c)))

bench:
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) OPT='-O2 -DNDEBUG' \
	    $(BENCH_BIN) $(BENCH_BUILD)/salescap
	@if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; \
	then $(MAKE) --no-print-directory MPI=1 BUILD=$(BENCH_BUILD)/mpi \
	    OPT='-O2 -DNDEBUG' $(BENCH_BUILD)/mpi/salescap; fi
	@sh bench/run.sh $(BENCH_BUILD)/bench bench/results.csv

$(BUILD)/bench/%: bench/%.c $(BUILD)/libsalescap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libsalescap.a $(ALL_LDFLAGS) $(LIBS)

demo: deps
	@$(MAKE) --no-print-directory salescap
	./salescap run scenarios/pull_two_weeks.ini --report
	@echo "Chart files:"
	@ls -1 plots/pull_two_weeks/*.png

clean:
	rm -rf build salescap

install: salescap install-doc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/salescap/scenarios
	install -m 755 salescap $(DESTDIR)$(PREFIX)/bin/salescap
	cp -R scenarios/. $(DESTDIR)$(PREFIX)/share/salescap/scenarios/

# The man page and the documentation it names: docs/*.md, with the charts
# they show, in $(DOCDIR). The man page says PREFIX/share/... where the
# installed copies live; the installed one names the real folders.
DOCDIR := $(PREFIX)/share/doc/salescap
.PHONY: install-doc
install-doc:
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(DOCDIR)/img
	install -m 644 $(sort $(wildcard docs/*.md)) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(sort $(wildcard docs/img/*.png)) $(DESTDIR)$(DOCDIR)/img/
	sed 's|PREFIX/share/|$(PREFIX)/share/|g' docs/salescap.1 \
	    >$(DESTDIR)$(PREFIX)/share/man/man1/salescap.1
	chmod 644 $(DESTDIR)$(PREFIX)/share/man/man1/salescap.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/salescap $(DESTDIR)$(PREFIX)/share/man/man1/salescap.1
	rm -rf $(DESTDIR)$(PREFIX)/share/salescap $(DESTDIR)$(DOCDIR)

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d) $(BENCH_BIN:=.d)

# Rewrites tests/golden/*.svg from the fixture run after a deliberate change
# to the charts (look at them before committing).
golden: $(BUILD)/tests/test_plot
	SALESCAP_REGEN_GOLDEN=1 $(BUILD)/tests/test_plot

# Fuzzing (docs/robustness.md): the libFuzzer harnesses fuzz/fuzz_*.c,
# built with clang, ASan and UBSan against their own copy of the library
# in build/fuzz, each run for FUZZ_SECONDS (FUZZ_JOBS processes) on a
# corpus kept in build/fuzz/corpus/ and seeded from the scenario files.
# -Werror: clang's warnings, which gcc does not all give, stay at zero.
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_NAMES := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer

fuzz:
	@FUZZ=1 sh .ci/deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT='-O1 -g' \
	    CFLAGS_EXTRA='-Werror -fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
	@sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

$(BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_files.h $(BUILD)/libsalescap.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libsalescap.a \
	    $(ALL_LDFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $(LIBS)

# Charts of the documentation, committed under docs/img/ (look at them
# before committing). docs-img: the flagship's charts that README.md shows.
# guide: every scenario file of docs/guide.md, run at its own seed and
# replications (results/ and plots/ as usual), the charts the guide shows
# copied to docs/img/ (GUIDE_IMG: FILE:CHART), the growth charts drawn from
# quarterly.csv (growth_shape.gp, growth_g_reps.gp), the tornado of
# uncertain.ini's sensitivity analysis, and each file's headline sentences
# printed at the end.
DOCS_IMG_CHARTS := revenue revenue_difference lost_revenue pipeline impact \
    ranking
GUIDE_FILES := return_ramp_and_leak habit better_levers \
    activity_vs_effectiveness activity_vs_effectiveness_low_win \
    stop_start_focus growth growth_g plan uncertain market seasonal \
    catchup process_fix promise prospect_when_thin habit_lasting teams
GUIDE_IMG := return_ramp_and_leak:lost_revenue habit:revenue \
    better_levers:lost_revenue activity_vs_effectiveness_low_win:lost_revenue \
    stop_start_focus:revenue stop_start_focus:pipeline growth:revenue \
    growth:backlog plan:plan market:revenue seasonal:impact \
    catchup:lost_revenue process_fix:lost_revenue promise:lost_revenue \
    prospect_when_thin:pipeline habit_lasting:lost_revenue \
    teams:lost_revenue teams:revenue_by_team

.PHONY: guide
docs-img: salescap
	./salescap run scenarios/pull_two_weeks.ini -q
	@mkdir -p docs/img
	@for c in $(DOCS_IMG_CHARTS); do \
	    cp plots/pull_two_weeks/$$c.png docs/img/pull_two_weeks_$$c.png || exit 1; \
	    echo "docs/img/pull_two_weeks_$$c.png"; done

guide: docs-img
	@for f in $(GUIDE_FILES); do \
	    echo "./salescap run scenarios/$$f.ini -q"; \
	    ./salescap run scenarios/$$f.ini -q || exit 1; done
	@for x in $(GUIDE_IMG); do f=$${x%%:*}; c=$${x#*:}; \
	    cp plots/$$f/$$c.png docs/img/$${f}_$$c.png || exit 1; \
	    echo "docs/img/$${f}_$$c.png"; done
	gnuplot -d -e "csv='results/growth/quarterly.csv'; out='docs/img/growth_shape.png'" \
	    docs/img/growth_shape.gp
	gnuplot -d -e "csv='results/growth_g/quarterly.csv'; out='docs/img/growth_g_reps.png'" \
	    docs/img/growth_g_reps.gp
	./salescap sensitivity scenarios/uncertain.ini -q
	cp plots/uncertain/tornado.png docs/img/uncertain_tornado.png
	@for f in pull_two_weeks $(GUIDE_FILES); do echo; echo "== $$f"; \
	    grep -h '^Headline' results/$$f/summary.txt; done

# The allocation-failure test: tests/test_failalloc.c with the shim
# tests/failalloc.c, which the wrapped allocators below go through, so that
# the N-th allocation of a small run fails (docs/robustness.md).
FAILALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free \
    -Wl,--wrap=strdup,--wrap=strndup,--wrap=open_memstream \
    -Wl,--wrap=gsl_rng_alloc,--wrap=pthread_create

$(BUILD)/tests/test_failalloc: tests/test_failalloc.c tests/failalloc.c \
    tests/failalloc.h tests/util.c tests/util.h $(BUILD)/libsalescap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ tests/test_failalloc.c tests/failalloc.c \
	    tests/util.c $(BUILD)/libsalescap.a $(ALL_LDFLAGS) $(FAILALLOC_WRAP) $(LIBS) \
	    $(CMOCKA_LIBS)

# The layout test reads the SVG charts' texts and the font's metrics
# with tests/svgtext.c.
$(BUILD)/tests/test_layout: tests/test_layout.c tests/svgtext.c \
    tests/svgtext.h tests/util.c tests/util.h $(BUILD)/libsalescap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ tests/test_layout.c tests/svgtext.c \
	    tests/util.c $(BUILD)/libsalescap.a $(ALL_LDFLAGS) $(LIBS) $(CMOCKA_LIBS)

# valgrind memcheck of the end-to-end tests: every salescap process they
# start runs under valgrind (tests/valgrind.sh); any invalid access, use
# of an uninitialised value or definite leak fails. test_sweep's long
# kill-and-resume tests and test_scenarios are left out for time (about
# 5 minutes as it is); name them in VALGRIND_TESTS to add them.
VALGRIND_TESTS ?= test_check test_cli_run test_hostile test_plot test_robust

.PHONY: valgrind valgrind-run
valgrind:
	@VALGRIND=1 sh .ci/deps
	@$(MAKE) --no-print-directory valgrind-run

valgrind-run: $(BIN) $(VALGRIND_TESTS:%=$(BUILD)/tests/%)
	@sh tests/valgrind.sh $(abspath $(BIN)) $(VALGRIND_TESTS:%=$(BUILD)/tests/%)
