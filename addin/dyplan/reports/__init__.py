"""Qianchuan / Ocean Engine report exports: reading them and folding them into the plan's actuals."""
