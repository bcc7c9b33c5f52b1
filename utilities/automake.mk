# dvs-ctl: the management CLI.
bin_PROGRAMS += utilities/dvs-ctl
utilities_dvs_ctl_SOURCES = \
	utilities/dvs-ctl.c \
	utilities/dvs-ctl.h \
	utilities/dvs-ctl-portgroup.c \
	utilities/dvs-ctl-settings.c \
	utilities/dvs-ctl-show.c \
	utilities/dvs-ctl-switch.c
utilities_dvs_ctl_LDADD = lib/libdvs.la $(OVS_LA)
$(utilities_dvs_ctl_OBJECTS): $(OVS_LA) lib/dvs-idl.h
