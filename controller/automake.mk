# dvs-controller.  The translation of the configuration into per-host
# desired state, and the switches' documents kept for checkpoints, are a
# library of their own so that the unit tests link them.
# Programs link it before lib/libdvs.la, which it uses.
noinst_LTLIBRARIES += controller/libdvscontroller.la
controller_libdvscontroller_la_SOURCES = \
	controller/checkpoint-doc.c \
	controller/checkpoint-doc.h \
	controller/incremental.c \
	controller/incremental.h \
	controller/translate-teaming.c \
	controller/translate-teaming.h \
	controller/translate.c \
	controller/translate.h \
	controller/translate-ipfix.c \
	controller/translate-ipfix.h \
	controller/translate-lldp.c \
	controller/translate-lldp.h \
	controller/translate-mirror.c \
	controller/translate-mirror.h \
	controller/translate-traffic.c \
	controller/translate-traffic.h
controller_libdvscontroller_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)
$(controller_libdvscontroller_la_OBJECTS): $(OVS_LA) lib/dvs-idl.h \
	proto/dvs.pb-c.h

# The daemon.
bin_PROGRAMS += controller/dvs-controller
controller_dvs_controller_SOURCES = \
	controller/checkpoint.c \
	controller/checkpoint.h \
	controller/lacp-status.c \
	controller/lacp-status.h \
	controller/dvs-controller.c \
	controller/host-reports.c \
	controller/host-reports.h \
	controller/mirror-stats.c \
	controller/mirror-stats.h \
	controller/sessions.c \
	controller/sessions.h
controller_dvs_controller_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) \
	$(LIBUV_CFLAGS)
controller_dvs_controller_LDADD = controller/libdvscontroller.la \
	lib/libdvs.la $(OVS_LA) $(PROTOBUF_C_LIBS) $(LIBUV_LIBS)
$(controller_dvs_controller_OBJECTS): $(OVS_LA) lib/dvs-idl.h \
	proto/dvs.pb-c.h

# dvs-controller(8), from controller/dvs-controller.8.in by the generic .in
# rule of the top Makefile.am.
man_MANS += controller/dvs-controller.8
CLEANFILES += controller/dvs-controller.8
EXTRA_DIST += controller/dvs-controller.8.in
