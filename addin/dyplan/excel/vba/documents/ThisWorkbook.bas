' dyplan: the workbook's own events. This text follows the Attribute lines Excel gives the
' ThisWorkbook document module (dyplan.template.vba_project).
Option Explicit

' A file written by XlsxWriter or openpyxl is calculated as Excel loads it, before macros are
' enabled, so every =DY_ cell shows #NAME?. Workbook_Open runs once macros may run (at open,
' or when Enable Content is clicked): calculate everything again, now with the functions.
Private Sub Workbook_Open()
    DyRecalculate
End Sub
