# The library that the controller, the agent and dvs-ctl share.
noinst_LTLIBRARIES += lib/libdvs.la
lib_libdvs_la_SOURCES = \
	lib/dvs-columns.c \
	lib/dvs-columns.h \
	lib/dvs-intern.c \
	lib/dvs-intern.h \
	lib/dvs-keys.c \
	lib/dvs-keys.h \
	lib/dvs-lag.c \
	lib/dvs-lag.h \
	lib/dvs-learn.c \
	lib/dvs-learn.h \
	lib/dvs-lldp.c \
	lib/dvs-lldp.h \
	lib/dvs-mirror.c \
	lib/dvs-mirror.h \
	lib/dvs-multimap.c \
	lib/dvs-multimap.h \
	lib/dvs-parse.c \
	lib/dvs-parse.h \
	lib/dvs-probe.c \
	lib/dvs-probe.h \
	lib/dvs-snapshot.c \
	lib/dvs-snapshot.h \
	lib/dvs-snapshot-apply.c \
	lib/dvs-sort.c \
	lib/dvs-sort.h \
	lib/dvs-state.c \
	lib/dvs-state-mirror.c \
	lib/dvs-state.h \
	lib/dvs-traffic-rule.c \
	lib/dvs-traffic-rule.h
# The controller <-> agent transport: framing, thread mailbox, connections.
lib_libdvs_la_SOURCES += \
	lib/dvs-conn.c \
	lib/dvs-conn.h \
	lib/dvs-mailbox.c \
	lib/dvs-mailbox.h \
	lib/dvs-tls.c \
	lib/dvs-tls.h \
	lib/dvs-wire.c \
	lib/dvs-wire.h
nodist_lib_libdvs_la_SOURCES = lib/dvs-idl.c lib/dvs-idl.h \
	proto/dvs.pb-c.c proto/dvs.pb-c.h
lib_libdvs_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(LIBUV_CFLAGS)
lib_libdvs_la_LIBADD = $(OVS_LA) $(PROTOBUF_C_LIBS) $(LIBUV_LIBS)
$(lib_libdvs_la_OBJECTS): $(OVS_LA) lib/dvs-idl.h proto/dvs.pb-c.h

# The configuration database's IDL, generated from its schema.
DVS_IDL_BUILT = lib/dvs-idl.c lib/dvs-idl.h lib/dvs-idl.ovsidl
BUILT_SOURCES += $(DVS_IDL_BUILT)
CLEANFILES += $(DVS_IDL_BUILT)
EXTRA_DIST += lib/dvs-idl.ann

# ovsdb-idlc imports ovs/dirs.py, which the Open vSwitch build generates.
lib/dvs-idl.ovsidl: ovsdb-schema/dvs.ovsschema lib/dvs-idl.ann $(OVS_LA)
	$(AM_V_at)$(MKDIR_P) lib
	$(AM_V_GEN)$(OVSDB_IDLC) annotate $(srcdir)/ovsdb-schema/dvs.ovsschema \
	    $(srcdir)/lib/dvs-idl.ann > $@.tmp && mv $@.tmp $@
lib/dvs-idl.c: lib/dvs-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
lib/dvs-idl.h: lib/dvs-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
