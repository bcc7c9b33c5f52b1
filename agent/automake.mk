# dvs-agent: the host daemon beside ovs-vswitchd that makes the local Open
# vSwitch match the desired state dvs-controller computes for the host.
sbin_PROGRAMS += agent/dvs-agent
agent_dvs_agent_SOURCES = \
	agent/bindings.c \
	agent/bindings.h \
	agent/dvs-agent.c \
	agent/health-check.c \
	agent/health-check.h \
	agent/lacp.c \
	agent/lacp.h \
	agent/learned.c \
	agent/learned.h \
	agent/lldp.c \
	agent/lldp.h \
	agent/net-rollback.c \
	agent/net-rollback.h \
	agent/meters.c \
	agent/meters.h \
	agent/ofctrl.c \
	agent/ofctrl.h \
	agent/ipfix.c \
	agent/ipfix.h \
	agent/mirrors.c \
	agent/mirrors.h \
	agent/ovs-reconcile.c \
	agent/ovs-reconcile.h \
	agent/state-file.c \
	agent/state-file.h \
	agent/teaming-notify.c \
	agent/teaming-notify.h
agent_dvs_agent_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS) $(LIBUV_CFLAGS)
agent_dvs_agent_LDADD = lib/libdvs.la $(OVS_LA) $(PROTOBUF_C_LIBS) $(LIBUV_LIBS)
$(agent_dvs_agent_OBJECTS): $(OVS_LA) lib/dvs-idl.h proto/dvs.pb-c.h

# dvs-agent(8), from agent/dvs-agent.8.in by the generic .in rule of the top
# Makefile.am.
man_MANS += agent/dvs-agent.8
CLEANFILES += agent/dvs-agent.8
EXTRA_DIST += agent/dvs-agent.8.in

# tests/test-state-file writes state files from a text description, for the
# agent's tests (tests/agent.at).
check_PROGRAMS += tests/test-state-file
tests_test_state_file_SOURCES = tests/test-state-file.c \
	agent/state-file.c agent/state-file.h
tests_test_state_file_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)
tests_test_state_file_LDADD = lib/libdvs.la $(OVS_LA) $(PROTOBUF_C_LIBS)
$(tests_test_state_file_OBJECTS): $(OVS_LA) proto/dvs.pb-c.h

# tests/test-ofctrl-packet drives the packet-in/packet-out API of
# agent/ofctrl.c against a test's ovs-vswitchd (tests/agent.at).
check_PROGRAMS += tests/test-ofctrl-packet
tests_test_ofctrl_packet_SOURCES = tests/test-ofctrl-packet.c \
	agent/meters.c agent/meters.h agent/ofctrl.c agent/ofctrl.h
tests_test_ofctrl_packet_LDADD = lib/libdvs.la $(OVS_LA) $(PROTOBUF_C_LIBS)
$(tests_test_ofctrl_packet_OBJECTS): $(OVS_LA) proto/dvs.pb-c.h
