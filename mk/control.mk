# mk/control.mk -- build fragment owned by the control-plane work package (ctl, json, metrics, stewardctl).
