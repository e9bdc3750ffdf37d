# mk/control.mk -- build fragment owned by the control-plane work package (ctl, json, metrics, stewardctl).
libsteward_a_SOURCES += \
	common/json.c common/json.h \
	common/metrics.c common/metrics.h \
	common/ctl.c common/ctl.h
