# mk/control.mk -- build fragment owned by the control-plane work package (ctl, json, metrics, stewardctl).
libsteward_a_SOURCES += \
	common/json.c common/json.h \
	common/metrics.c common/metrics.h \
	common/ctl.c common/ctl.h

check_PROGRAMS += tests/unit/t_json
TESTS += tests/unit/t_json
check_PROGRAMS += tests/unit/t_metrics
TESTS += tests/unit/t_metrics
check_PROGRAMS += tests/unit/met_dump
TESTS += tests/integration/t_metrics_promtool.sh
EXTRA_DIST += tests/integration/t_metrics_promtool.sh
check_PROGRAMS += tests/unit/t_ctl
TESTS += tests/unit/t_ctl
check_PROGRAMS += tests/unit/ctl_echo_server
TESTS += tests/integration/t_stewardctl.sh
EXTRA_DIST += tests/integration/t_stewardctl.sh
