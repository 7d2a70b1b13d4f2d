"""Talking to a headless LibreOffice over UNO, for the scripts that run under Debian's python3.

Those scripts (libreoffice_edit.py, excel/libreoffice_vba.py) run under /usr/bin/python3, whose
`uno` module (package python3-uno) matches the installed LibreOffice.
"""

import time

import uno
from com.sun.star.beans import PropertyValue


def property_value(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def connect(pipe, soffice, timeout=60.0):
    """The component context of the soffice process listening on ``pipe``, once it listens."""
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException until soffice listens
            if soffice.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)
