# dvs-ctl: the management CLI.
bin_PROGRAMS += utilities/dvs-ctl
utilities_dvs_ctl_SOURCES = \
	utilities/dvs-ctl.c \
	utilities/dvs-ctl.h \
	utilities/dvs-ctl-lldp.c \
	utilities/dvs-ctl-portgroup.c \
	utilities/dvs-ctl-lag.c \
	utilities/dvs-ctl-mirror.c \
	utilities/dvs-ctl-pvlan.c \
	utilities/dvs-ctl-rule.c \
	utilities/dvs-ctl-settings.c \
	utilities/dvs-ctl-show.c \
	utilities/dvs-ctl-index.c \
	utilities/dvs-ctl-replica.c \
	utilities/dvs-ctl-snapshot.c \
	utilities/dvs-ctl-switch.c
utilities_dvs_ctl_LDADD = lib/libdvs.la $(OVS_LA)
$(utilities_dvs_ctl_OBJECTS): $(OVS_LA) lib/dvs-idl.h

# dvs-ctl(8), from utilities/dvs-ctl.8.in by the generic .in rule of the top
# Makefile.am (which substitutes @VERSION@), and bash completion for dvs-ctl.
man_MANS += utilities/dvs-ctl.8
CLEANFILES += utilities/dvs-ctl.8
EXTRA_DIST += utilities/dvs-ctl.8.in utilities/dvs-ctl.bash
bashcompdir = $(sysconfdir)/bash_completion.d
bashcomp_DATA = utilities/dvs-ctl.bash
