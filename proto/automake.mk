# The controller <-> agent protocol, compiled by protoc-c into the shared
# library.
PROTO_BUILT = proto/dvs.pb-c.c proto/dvs.pb-c.h
BUILT_SOURCES += $(PROTO_BUILT)
CLEANFILES += $(PROTO_BUILT)
EXTRA_DIST += proto/dvs.proto
proto/dvs.pb-c.c proto/dvs.pb-c.h: proto/dvs.proto
	$(AM_V_at)$(MKDIR_P) proto
	$(AM_V_GEN)$(PROTOC_C) --proto_path=$(srcdir)/proto --c_out=proto \
	    $(srcdir)/proto/dvs.proto
