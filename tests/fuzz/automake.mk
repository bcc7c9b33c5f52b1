# Fuzzing: libFuzzer targets (clang) for every decoder of network input and
# for dvs-ctl's parsers, each with a seed corpus in
# tests/fuzz/corpus/TARGET/.  "make fuzz-run FUZZ_SECONDS=N" builds them
# with AddressSanitizer and UndefinedBehaviorSanitizer and runs each for N
# seconds (tests/run-tests --fuzz counts each as a test); a crash leaves
# its input in tests/fuzz/TARGET-crash-*, which belongs in the corpus once
# fixed: every corpus file is replayed by every run.
#
# The library code is compiled again by clang with the fuzzer's coverage
# instrumentation; Open vSwitch's library is linked as it is.

FUZZ_CC = clang
FUZZ_SECONDS = 20
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I. -I$(srcdir) $(PROTOBUF_C_CFLAGS) \
	$(LIBUV_CFLAGS)
# The whole of libdvs, so that no target misses a file that libdvs gains.
FUZZ_LIB_SRC = $(filter %.c,$(lib_libdvs_la_SOURCES) \
	$(nodist_lib_libdvs_la_SOURCES))
FUZZ_TARGETS = \
	tests/fuzz/fuzz-wire \
	tests/fuzz/fuzz-state \
	tests/fuzz/fuzz-parse \
	tests/fuzz/fuzz-settings \
	tests/fuzz/fuzz-lldp \
	tests/fuzz/fuzz-probe
FUZZ_TARGET_SRC = $(FUZZ_TARGETS:=.c)
EXTRA_DIST += $(FUZZ_TARGET_SRC) tests/fuzz/fuzz-init.c tests/fuzz/corpus
CLEANFILES += $(FUZZ_TARGETS) tests/fuzz/libdvs-fuzz.a

tests/fuzz/libdvs-fuzz.a: $(FUZZ_LIB_SRC) lib/dvs-idl.h proto/dvs.pb-c.h \
		$(OVS_LA)
	$(AM_V_GEN)rm -rf tests/fuzz/obj && $(MKDIR_P) tests/fuzz/obj && \
	for src in $(FUZZ_LIB_SRC); do \
	    if test -f $$src; then f=$$src; else f=$(srcdir)/$$src; fi; \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	        $(FUZZ_CPPFLAGS) -c $$f \
	        -o tests/fuzz/obj/`echo $$src | tr / -`.o || exit 1; \
	done && rm -f $@ && $(AR) rcs $@ tests/fuzz/obj/*.o

# Links TARGET.c with the instrumented library and Open vSwitch's.
fuzz_link = $(LIBTOOL) --quiet --tag=CC --mode=link $(FUZZ_CC) \
	$(FUZZ_CFLAGS) -Wc,-fsanitize=fuzzer -XCClinker -fsanitize=fuzzer \
	-XCClinker -fsanitize=address,undefined $(FUZZ_CPPFLAGS) -o $@ \
	$(srcdir)/$@.c $(srcdir)/tests/fuzz/fuzz-init.c tests/fuzz/libdvs-fuzz.a \
	$(OVS_LA) $(PROTOBUF_C_LIBS) \
	$(LIBUV_LIBS)
tests/fuzz/fuzz-wire: tests/fuzz/fuzz-wire.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)
tests/fuzz/fuzz-state: tests/fuzz/fuzz-state.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)
tests/fuzz/fuzz-parse: tests/fuzz/fuzz-parse.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)
tests/fuzz/fuzz-settings: tests/fuzz/fuzz-settings.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)
tests/fuzz/fuzz-lldp: tests/fuzz/fuzz-lldp.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)
tests/fuzz/fuzz-probe: tests/fuzz/fuzz-probe.c tests/fuzz/fuzz-init.c \
		tests/fuzz/libdvs-fuzz.a
	$(AM_V_GEN)$(fuzz_link)

fuzz-build: $(FUZZ_TARGETS)
fuzz-run: $(FUZZ_TARGETS)
	$(AM_V_at)$(SHELL) $(srcdir)/tests/run-tests --append \
	    --fuzz=$(FUZZ_SECONDS) --corpus=$(srcdir)/tests/fuzz/corpus \
	    $(FUZZ_TARGETS)
.PHONY: fuzz-build fuzz-run
