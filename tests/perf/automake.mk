# Benchmarks (Documentation/performance.md): programs that
# utilities/dvs-bench runs.  Built with everything else, never part of
# "make check": they print figures, they do not pass or fail.
noinst_PROGRAMS += tests/perf/dvs-bench-control
tests_perf_dvs_bench_control_SOURCES = \
	tests/perf/bench-db.c \
	tests/perf/bench-db.h \
	tests/perf/bench-simhosts.c \
	tests/perf/bench-simhosts.h \
	tests/perf/bench-topology.h \
	tests/perf/dvs-bench-control.c
tests_perf_dvs_bench_control_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) \
	$(LIBUV_CFLAGS)
tests_perf_dvs_bench_control_LDADD = lib/libdvs.la $(OVS_LA) \
	$(PROTOBUF_C_LIBS) $(LIBUV_LIBS)
$(tests_perf_dvs_bench_control_OBJECTS): $(OVS_LA) proto/dvs.pb-c.h

noinst_PROGRAMS += tests/perf/bench-translate
tests_perf_bench_translate_SOURCES = \
	tests/perf/bench-topology.h \
	tests/perf/bench-translate.c
tests_perf_bench_translate_LDADD = controller/libdvscontroller.la \
	lib/libdvs.la $(OVS_LA) $(PROTOBUF_C_LIBS)
$(tests_perf_bench_translate_OBJECTS): $(OVS_LA) lib/dvs-idl.h

# Cost of checkpoints and snapshots for dvs-ctl in a dvs-sandbox
# (Documentation/snapshots.md); a script, run by hand with a build tree.
EXTRA_DIST += tests/perf/checkpoint-scale
