"""A VBA project file (``vbaProject.bin``) written from the MS-OVBA and MS-CFB specifications."""
