# Tests: cmocka unit tests (tests/test-*.c) and the integration
# testsuite (GNU Autotest, OVS's test macros, the real ovsdb-server).
# "make check" runs both through tests/run-tests, which prints the closing
# line "N passed, N failed[, N skipped]".

UNIT_TESTS = \
	tests/test-dvs-parse \
	tests/test-dvs-learn \
	tests/test-dvs-lldp \
	tests/test-dvs-probe \
	tests/test-dvs-keys \
	tests/test-dvs-state \
	tests/test-dvs-snapshot \
	tests/test-traffic-rule \
	tests/test-translate \
	tests/test-incremental
UNIT_TESTS += \
	tests/test-dvs-wire \
	tests/test-dvs-conn
check_PROGRAMS += $(UNIT_TESTS)

UNIT_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_TEST_LDADD = lib/libdvs.la $(OVS_LA) $(CMOCKA_LIBS)

tests_test_dvs_parse_SOURCES = tests/test-dvs-parse.c tests/test-dvs.h
tests_test_dvs_parse_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_parse_LDADD = $(UNIT_TEST_LDADD)
tests_test_dvs_learn_SOURCES = tests/test-dvs-learn.c tests/test-dvs.h
tests_test_dvs_learn_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_learn_LDADD = $(UNIT_TEST_LDADD)
tests_test_dvs_lldp_SOURCES = tests/test-dvs-lldp.c tests/test-dvs.h
tests_test_dvs_lldp_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_lldp_LDADD = $(UNIT_TEST_LDADD)
$(tests_test_dvs_lldp_OBJECTS): $(OVS_LA)
tests_test_dvs_probe_SOURCES = tests/test-dvs-probe.c
tests_test_dvs_probe_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_probe_LDADD = $(UNIT_TEST_LDADD)
$(tests_test_dvs_probe_OBJECTS): $(OVS_LA)
tests_test_dvs_keys_SOURCES = tests/test-dvs-keys.c tests/test-dvs.h
tests_test_dvs_keys_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_keys_LDADD = $(UNIT_TEST_LDADD)
tests_test_traffic_rule_SOURCES = tests/test-traffic-rule.c tests/test-dvs.h
tests_test_traffic_rule_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_traffic_rule_LDADD = $(UNIT_TEST_LDADD)
$(tests_test_traffic_rule_OBJECTS): $(OVS_LA) lib/dvs-idl.h
tests_test_dvs_state_SOURCES = tests/test-dvs-state.c tests/test-dvs.h
tests_test_dvs_state_CFLAGS = $(UNIT_TEST_CFLAGS) $(PROTOBUF_C_CFLAGS)
tests_test_dvs_state_LDADD = $(UNIT_TEST_LDADD)
$(tests_test_dvs_parse_OBJECTS) $(tests_test_dvs_keys_OBJECTS) \
$(tests_test_dvs_learn_OBJECTS): \
	$(OVS_LA) lib/dvs-idl.h
$(tests_test_dvs_state_OBJECTS): $(OVS_LA) proto/dvs.pb-c.h
tests_test_dvs_snapshot_SOURCES = tests/test-dvs-snapshot.c tests/test-dvs.h
tests_test_dvs_snapshot_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_dvs_snapshot_LDADD = $(UNIT_TEST_LDADD)
$(tests_test_dvs_snapshot_OBJECTS): $(OVS_LA) lib/dvs-idl.h
tests_test_translate_SOURCES = tests/test-translate.c tests/test-dvs.h
tests_test_translate_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_test_translate_LDADD = controller/libdvscontroller.la \
	$(UNIT_TEST_LDADD)
$(tests_test_translate_OBJECTS): $(OVS_LA) lib/dvs-idl.h
tests_test_incremental_SOURCES = tests/test-incremental.c tests/test-dvs.h
tests_test_incremental_CFLAGS = $(UNIT_TEST_CFLAGS) $(PROTOBUF_C_CFLAGS)
tests_test_incremental_LDADD = controller/libdvscontroller.la \
	$(UNIT_TEST_LDADD) $(PROTOBUF_C_LIBS)
$(tests_test_incremental_OBJECTS): $(OVS_LA) lib/dvs-idl.h proto/dvs.pb-c.h

# The switches' documents that dvs-controller keeps row by row for its
# checkpoints, against a real ovsdb-server: run by tests/checkpoint.at.
check_PROGRAMS += tests/test-checkpoint-doc
tests_test_checkpoint_doc_SOURCES = tests/test-checkpoint-doc.c
tests_test_checkpoint_doc_LDADD = controller/libdvscontroller.la \
	lib/libdvs.la $(OVS_LA)
$(tests_test_checkpoint_doc_OBJECTS): $(OVS_LA) lib/dvs-idl.h

# The controller <-> agent transport: framing, connections, thread mailbox.
tests_test_dvs_wire_SOURCES = tests/test-dvs-wire.c tests/test-dvs.h
tests_test_dvs_wire_CFLAGS = $(UNIT_TEST_CFLAGS) $(PROTOBUF_C_CFLAGS)
tests_test_dvs_wire_LDADD = $(UNIT_TEST_LDADD) $(PROTOBUF_C_LIBS)
tests_test_dvs_conn_SOURCES = tests/test-dvs-conn.c tests/test-dvs.h
tests_test_dvs_conn_CFLAGS = $(UNIT_TEST_CFLAGS) $(PROTOBUF_C_CFLAGS) \
	$(LIBUV_CFLAGS)
tests_test_dvs_conn_LDADD = $(UNIT_TEST_LDADD) $(PROTOBUF_C_LIBS) \
	$(LIBUV_LIBS)
$(tests_test_dvs_wire_OBJECTS) $(tests_test_dvs_conn_OBJECTS): \
	$(OVS_LA) proto/dvs.pb-c.h

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/dvs-macros.at \
	tests/dvs-ctl.at \
	tests/dvs-ctl-switch.at \
	tests/dvs-ctl-portgroup.at \
	tests/dvs-ctl-port.at \
	tests/dvs-ctl-host.at \
	tests/dvs-ctl-pvlan.at \
	tests/dvs-ctl-snapshot.at \
	tests/dvs-ctl-rule.at \
	tests/dvs-ctl-mirror.at \
	tests/dvs-ctl-replica.at \
	tests/e2e-traffic.at \
	tests/sandbox.at \
	tests/agent.at \
	tests/e2e-macros.at \
	tests/e2e.at \
	tests/e2e-vlan.at \
	tests/e2e-restart.at \
	tests/e2e-rollback.at \
	tests/checkpoint.at \
	tests/e2e-l2policy.at \
	tests/e2e-lldp.at \
	tests/teaming.at \
	tests/e2e-health.at \
	tests/tls.at \
	tests/hostile.at \
	tests/e2e-incremental.at \
	tests/e2e-mirror.at \
	tests/e2e-ipfix.at \
	tests/system-netns.at \
	tests/system-lldp.at \
	tests/system-nested.at \
	tests/system-traffic.at \
	tests/system-rollback.at \
	tests/system-mirror.at
TESTSUITE = $(srcdir)/tests/testsuite
EXTRA_DIST += $(TESTSUITE_AT) $(TESTSUITE) tests/atlocal.in tests/package.m4 \
	tests/run-tests tests/dvs-test-peer tests/check-sanitize
DISTCLEANFILES = tests/atconfig tests/atlocal

AUTOTEST = $(AUTOM4TE) -l autotest
AUTOM4TE = autom4te
$(TESTSUITE): $(TESTSUITE_AT) $(srcdir)/tests/package.m4
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)/tests' -I '$(srcdir)' -I '$(OVSDIR)' \
	    -o $@.tmp $(srcdir)/tests/testsuite.at && mv $@.tmp $@

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo '# Signature of the current package.'; \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@.tmp && mv $@.tmp $@

# Parallel by default: one test job per core.
TESTSUITEFLAGS = -j$$(nproc)

check-local: $(UNIT_TESTS) $(TESTSUITE) utilities/dvs-ctl tests/atconfig \
		tests/atlocal \
		agent/dvs-agent tests/test-state-file tests/test-ofctrl-packet \
		tests/test-checkpoint-doc
	$(AM_V_at)$(SHELL) $(srcdir)/tests/run-tests \
	    --testsuite='$(TESTSUITE)' \
	    --path='$(abs_top_builddir)/utilities:$(abs_top_builddir)/agent:$(abs_top_builddir)/controller:$(abs_top_builddir)/tests' \
	    --flags="$(TESTSUITEFLAGS)" $(UNIT_TESTS)

# Only the unit tests, or only the integration tests.
check-unit: $(UNIT_TESTS)
	$(AM_V_at)$(SHELL) $(srcdir)/tests/run-tests $(UNIT_TESTS)
check-integration: $(TESTSUITE) utilities/dvs-ctl tests/atconfig tests/atlocal \
		agent/dvs-agent tests/test-state-file tests/test-ofctrl-packet \
		tests/test-checkpoint-doc
	$(AM_V_at)$(SHELL) $(srcdir)/tests/run-tests \
	    --testsuite='$(TESTSUITE)' \
	    --path='$(abs_top_builddir)/utilities:$(abs_top_builddir)/agent:$(abs_top_builddir)/controller:$(abs_top_builddir)/tests' \
	    --flags="$(TESTSUITEFLAGS)"

# The unit tests and the testsuite again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer in _sanitize/ (see tests/check-sanitize); the
# counts add to tests/summary.txt.
check-sanitize:
	$(AM_V_at)$(SHELL) $(srcdir)/tests/check-sanitize $(srcdir) $(OVSDIR) \
	    $(OVSBUILDDIR) "$(TESTSUITEFLAGS)"
.PHONY: check-sanitize

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean
	rm -f tests/summary.txt tests/*.unit.log
	rm -rf _sanitize tests/fuzz/obj tests/fuzz/*.corpus tests/fuzz/*.log
include tests/fuzz/automake.mk
