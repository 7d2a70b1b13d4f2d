Attribute VB_Name = "DyPython"
' dyplan: hands the ribbon's work to Python (dyplan.excel.macros) through the project's own
' xlwings module (its standalone form), so no add-in or VBA reference is needed.
' The VBA project is stored in a Western code page, so Chinese text is written as \uXXXX
' escapes and decoded by Zh.
Option Explicit

Private Const TITLE As String = "dyplan"

' WPS (which may even answer as Excel.Application) cannot run xlwings: say so in Chinese.
Public Function DyIsExcel() As Boolean
    DyIsExcel = (Application.Name = "Microsoft Excel")
    If Not DyIsExcel Then MsgBox DyNotExcelMessage(), vbExclamation, TITLE
End Function

' Runs a Python command; xlwings shows Python's own errors.
Public Sub DyRunPython(ByVal command As String)
    If Not DyIsExcel() Then Exit Sub
    RunPython command
End Sub

' The guide is the workbook's first sheet.
Public Sub DyShowGuide()
    ThisWorkbook.Worksheets(1).Activate
End Sub

Public Function Zh(ByVal escaped As String) As String
    Dim parts() As String, i As Long
    parts = Split(escaped, "\u")
    Zh = parts(0)
    For i = 1 To UBound(parts)
        Zh = Zh & ChrW(CLng("&H" & Left$(parts(i), 4))) & Mid$(parts(i), 5)
    Next i
End Function

Public Function DyNotExcelMessage() As String
    DyNotExcelMessage = Zh("\u672C\u529F\u80FD\u53EA\u80FD\u5728 Microsoft Excel \u4E2D\u4F7F" _
        & "\u7528\uFF1AWPS \u7B49\u8F6F\u4EF6\u65E0\u6CD5\u8FD0\u884C Python " _
        & "\u5B8F\u3002\u8BF7\u7528 Excel \u6253\u5F00\u672C\u5DE5\u4F5C" _
        & "\u7C3F\uFF0C\u6216\u5728\u547D\u4EE4\u884C\u4F7F\u7528 dyplan" _
        & "\u3002") _
        & vbLf & vbLf & "This needs Microsoft Excel: WPS and other programs cannot run Python macros. Open this workbook in Excel, or use the dyplan command line."
End Function
