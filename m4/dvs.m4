# -*- autoconf -*-
# Copyright (c) 2026 The ovs-dvs authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

dnl DVS_CHECK_OVS
dnl
dnl Finds the Open vSwitch source and build trees to compile and link
dnl against, the way OVN does (--with-ovs-source, --with-ovs-build).  With
dnl neither, extracts the tarball that Debian's openvswitch-source package
dnl ships into ./ovs and configures it there, so that libopenvswitch, its
dnl headers and the compiled-in vswitch schema match the installed
dnl ovs-vswitchd.
AC_DEFUN([DVS_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
                    [Open vSwitch source tree (default: extract --with-ovs-tarball into ./ovs)])],
    [OVSDIR=$withval], [OVSDIR=])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
                    [Open vSwitch build tree (default: the source tree)])],
    [OVSBUILDDIR=$withval], [OVSBUILDDIR=])
  AC_ARG_WITH([ovs-tarball],
    [AS_HELP_STRING([--with-ovs-tarball=FILE],
                    [Open vSwitch source tarball (default: /usr/src/openvswitch/openvswitch.tar.gz)])],
    [OVSTARBALL=$withval], [OVSTARBALL=/usr/src/openvswitch/openvswitch.tar.gz])
  AC_ARG_VAR([OVS_CONFIGURE_FLAGS],
    [flags for configuring an Open vSwitch tree that is not configured yet
     (default: a static library with Debian's directories, so that run,
     log and database paths match the installed Open vSwitch)])

  if test -z "$OVSDIR"; then
    OVSDIR=`pwd`/ovs
    if test ! -f "$OVSDIR/vswitchd/bridge.c"; then
      if test ! -f "$OVSTARBALL"; then
        AC_MSG_ERROR([no Open vSwitch source: install openvswitch-source (apt-get install openvswitch-source) or pass --with-ovs-source=DIR])
      fi
      AC_MSG_NOTICE([extracting $OVSTARBALL into $OVSDIR])
      $MKDIR_P "$OVSDIR" && tar -xzf "$OVSTARBALL" -C "$OVSDIR" --strip-components=1 \
        || AC_MSG_ERROR([could not extract $OVSTARBALL])
    fi
  fi
  if test ! -f "$OVSDIR/vswitchd/bridge.c"; then
    AC_MSG_ERROR([$OVSDIR is not an Open vSwitch source tree (no vswitchd/bridge.c)])
  fi
  OVSDIR=`cd "$OVSDIR" && pwd`
  test -n "$OVSBUILDDIR" || OVSBUILDDIR=$OVSDIR
  if test ! -f "$OVSBUILDDIR/config.h"; then
    AC_MSG_NOTICE([configuring Open vSwitch in $OVSBUILDDIR])
    $MKDIR_P "$OVSBUILDDIR" && \
      (cd "$OVSBUILDDIR" && \
       "$OVSDIR/configure" ${OVS_CONFIGURE_FLAGS:---enable-static --disable-shared --prefix=/usr --localstatedir=/var --sysconfdir=/etc}) \
        > config-ovs.log 2>&1 \
      || AC_MSG_ERROR([configuring Open vSwitch failed, see config-ovs.log])
  fi
  OVSBUILDDIR=`cd "$OVSBUILDDIR" && pwd`
  AC_MSG_CHECKING([Open vSwitch version])
  OVSVERSION=`sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$OVSBUILDDIR/config.h"`
  test -n "$OVSVERSION" || AC_MSG_ERROR([cannot read PACKAGE_VERSION from $OVSBUILDDIR/config.h])
  AC_MSG_RESULT([$OVSVERSION])
  AC_SUBST([OVSDIR])
  AC_SUBST([OVSBUILDDIR])
  AC_SUBST([OVSVERSION])
])

dnl DVS_CHECK_OVS_BINARIES
dnl
dnl The tests and the sandbox run the installed Open vSwitch daemons; they must
dnl be the version whose library we link, or the IDL's compiled-in schema and
dnl the running database disagree.
AC_DEFUN([DVS_CHECK_OVS_BINARIES], [
  AC_PATH_PROG([OVS_VSWITCHD], [ovs-vswitchd], [], [$PATH:/usr/sbin:/usr/lib/openvswitch-switch])
  AC_PATH_PROG([OVSDB_SERVER], [ovsdb-server], [], [$PATH:/usr/sbin])
  if test -n "$OVS_VSWITCHD"; then
    ovs_running_version=`"$OVS_VSWITCHD" --version | sed -n '1s/.* \([[0-9.]]*\)$/\1/p'`
    if test "$ovs_running_version" != "$OVSVERSION"; then
      AC_MSG_WARN([ovs-vswitchd is $ovs_running_version but the library is $OVSVERSION])
    fi
  else
    AC_MSG_WARN([ovs-vswitchd not found: the integration tests need openvswitch-switch])
  fi
])
