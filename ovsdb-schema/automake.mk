# The configuration database: schema (installed for ovsdb-tool) and its
# reference manual dvs(5), rendered from dvs.xml by OVS's ovsdb-doc.
dist_pkgdata_DATA += ovsdb-schema/dvs.ovsschema
EXTRA_DIST += ovsdb-schema/dvs.xml
man_MANS += ovsdb-schema/dvs.5
CLEANFILES += ovsdb-schema/dvs.5
ovsdb-schema/dvs.5: ovsdb-schema/dvs.ovsschema ovsdb-schema/dvs.xml $(OVS_LA)
	$(AM_V_at)$(MKDIR_P) ovsdb-schema
	$(AM_V_GEN)$(OVSDB_DOC) --version=$(VERSION) \
	    $(srcdir)/ovsdb-schema/dvs.ovsschema \
	    $(srcdir)/ovsdb-schema/dvs.xml > $@.tmp && mv $@.tmp $@
