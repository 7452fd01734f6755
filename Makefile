# carecast - GNU make build.
#
#   make            build ./carecast and build/libcarecast.a
#   make demo       install missing packages, build, run the example model into demo/
#   make check      install missing packages, build, run every test
#   make bench      national benchmark (child-months/s, threads, memory, --expected)
#   make sanitize   ./carecast-asan (ASan + UBSan); unit, fuzz-replay and end-to-end
#                   tests against it (make check-asan is the same)
#   make valgrind   unit tests and small end-to-end runs under valgrind
#   make fuzz       libFuzzer harnesses for every reader [FUZZ_SECONDS=10 each]
#   make install    PREFIX=/usr/local DESTDIR=
#   make format / format-check, clean
#
# CFLAGS stays yours (default -O2 -g); the project's standard and warnings are
# added separately, and WERROR=1 turns warnings into errors (CI does).
# HOT_CFLAGS (default -O3) is added for the simulation's inner loop only, where
# it lets the compiler vectorise the random-number generation (about 25%
# faster); set HOT_CFLAGS= to build it like everything else.

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
PREFIX ?= /usr/local
BUILD ?= build
WERROR ?=
PKG_CONFIG ?= pkg-config
PKGS := gsl libcjson nettle
HOT_CFLAGS ?= -O3

CC_STD := -std=c11 -D_POSIX_C_SOURCE=200809L
CC_WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
ifeq ($(WERROR),1)
CC_WARN += -Werror
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS = $(CC_STD) $(CC_WARN) -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
# libcsv ships no pkg-config file.
CSV_LIBS ?= -lcsv
ALL_LIBS = $(PKG_LIBS) $(CSV_LIBS) -lpthread -lm

LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libcarecast.a
BIN := $(if $(filter build,$(BUILD)),carecast,$(BUILD)/carecast)

.PHONY: all deps demo check check-run tests bench check-asan sanitize valgrind fuzz \
        fuzz-bin install uninstall clean format format-check
.DEFAULT_GOAL := all

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/src/sim/sim.o: CFLAGS += $(HOT_CFLAGS)

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $(CLI_OBJ) $(LIB) $(ALL_LIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/cc_test.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit $< $(LIB) $(CMOCKA_LIBS) \
	    $(ALL_LIBS) $(LDFLAGS) -o $@

# Fuzz harnesses (tests/fuzz/fuzz_<reader>.c) replayed over their corpus and
# every input that once failed, as ordinary test programs.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/util.c \
                         tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $< tests/fuzz/driver.c tests/fuzz/util.c $(LIB) \
	    $(ALL_LIBS) $(LDFLAGS) -o $@

tests: $(TEST_BIN) $(REPLAY_BIN) $(BIN)

# Installs missing Debian packages (as root) or says exactly what to run.
deps:
	@sh .ci/deps

# The example county: the baseline and every shipped scenario on common random
# numbers, the charts and the HTML report.
DEMO_SCENARIOS := $(sort $(wildcard scenarios/*.json))
demo: deps
	@$(MAKE) --no-print-directory all
	./carecast run models/example.json --reps 1000 --seed 7 \
	    $(DEMO_SCENARIOS:%=--scenario %) --out demo
	./carecast report demo --quiet
	@echo "Results: demo/summary.json, demo/monthly.csv, demo/financial_years.csv," \
	    "charts in demo/charts/, report in demo/report.html"

check: deps
	@$(MAKE) --no-print-directory check-run

check-run: tests
	@sh tests/run_tests.sh "$(BUILD)/tests" "./$(BIN)"

bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/bench_sim
	@sh bench/bench.sh "$(BUILD)/bench/bench_sim" ./carecast
	@sh bench/bench_fit.sh ./carecast

$(BUILD)/bench/bench_sim: bench/bench_sim.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(ALL_LIBS) $(LDFLAGS) -o $@

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
# ./carecast-asan: AddressSanitizer + UndefinedBehaviorSanitizer, stopping at
# the first report; the unit tests, the fuzz replays and the end-to-end tests
# run against it.
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" WERROR=$(WERROR) tests
	cp build-asan/carecast carecast-asan.tmp && mv -f carecast-asan.tmp carecast-asan
	@CC_TEST_SCALE=small ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run_tests.sh build-asan/tests ./carecast-asan

check-asan: sanitize

valgrind: deps
	@$(MAKE) --no-print-directory tests
	@sh tests/valgrind.sh "$(BUILD)/tests" ./carecast

# libFuzzer harnesses (clang): make fuzz [FUZZ_SECONDS=N] runs each for N
# seconds on a copy of its corpus; crashes land in build-fuzz/artifacts.
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
FUZZ_BIN := $(FUZZ_NAMES:%=build-fuzz/fuzz/fuzz_%)
fuzz:
	@sh .ci/deps fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) HOT_CFLAGS= \
	    CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build-fuzz/libcarecast.a
	@$(MAKE) --no-print-directory fuzz-bin
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-bin: $(FUZZ_BIN)

build-fuzz/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/util.c tests/fuzz/fuzz.h \
                        build-fuzz/libcarecast.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CC_STD) -Iinclude -Isrc -Itests/fuzz $(PKG_CFLAGS) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer $< tests/fuzz/util.c build-fuzz/libcarecast.a $(ALL_LIBS) -o $@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/carecast $(DESTDIR)$(PREFIX)/share/doc/carecast \
	    $(DESTDIR)$(PREFIX)/share/carecast/models $(DESTDIR)$(PREFIX)/share/carecast/plots
	install -m 755 carecast $(DESTDIR)$(PREFIX)/bin/carecast
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libcarecast.a
	install -m 644 include/carecast/*.h $(DESTDIR)$(PREFIX)/include/carecast/
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/carecast/
	install -m 644 models/*.json $(DESTDIR)$(PREFIX)/share/carecast/models/
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/carecast/plots/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/carecast $(DESTDIR)$(PREFIX)/lib/libcarecast.a
	rm -rf $(DESTDIR)$(PREFIX)/include/carecast $(DESTDIR)$(PREFIX)/share/doc/carecast \
	    $(DESTDIR)$(PREFIX)/share/carecast

FORMAT_FILES = $(wildcard src/*/*.c src/*/*.h include/carecast/*.h tests/unit/*.c \
                 tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h bench/*.c)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build build-asan build-fuzz carecast carecast-asan demo

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

.SECONDARY:
