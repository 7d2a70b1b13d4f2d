Attribute VB_Name = "DyPython"
' dyplan: hands the ribbon's work to Python (dyplan.excel.macros) through the xlwings add-in.
' The VBA project is stored in a Western code page, so Chinese text is written as \uXXXX
' escapes and decoded by Zh.
Option Explicit

Private Const ADDIN As String = "xlwings.xlam"
Private Const TITLE As String = "dyplan"

' WPS (which may even answer as Excel.Application) cannot run xlwings: say so in Chinese.
Public Function DyIsExcel() As Boolean
    DyIsExcel = (Application.Name = "Microsoft Excel")
    If Not DyIsExcel Then MsgBox DyNotExcelMessage(), vbExclamation, TITLE
End Function

' Runs a Python command with the add-in's RunPython: no VBA reference needed for the ribbon.
Public Sub DyRunPython(ByVal command As String)
    If Not DyIsExcel() Then Exit Sub
    On Error GoTo Failed
    Application.Run "'" & ADDIN & "'!RunPython", command
    Exit Sub
Failed:
    MsgBox DyNoAddinMessage() & vbLf & vbLf & Err.Description, vbExclamation, TITLE
End Sub

' The worksheet functions (=DY_...) call the add-in: reference it, then let it import them.
Public Sub DyImportFunctions()
    If Not DyIsExcel() Then Exit Sub
    On Error GoTo Failed
    If Not DyHasReference("xlwings") Then
        ThisWorkbook.VBProject.References.AddFromFile Workbooks(ADDIN).FullName
    End If
    Application.Run "'" & ADDIN & "'!ImportPythonUDFs"
    Exit Sub
Failed:
    MsgBox DyTrustMessage() & vbLf & vbLf & Err.Description, vbExclamation, TITLE
End Sub

Private Function DyHasReference(ByVal name As String) As Boolean
    Dim reference As Object
    For Each reference In ThisWorkbook.VBProject.References
        If reference.Name = name Then DyHasReference = True
    Next reference
End Function

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

Public Function DyNoAddinMessage() As String
    DyNoAddinMessage = Zh("\u65E0\u6CD5\u542F\u52A8 Python\uFF1A\u672A\u627E\u5230 xlwings " _
        & "\u52A0\u8F7D\u9879\u3002\u8BF7\u5728\u547D\u4EE4\u884C\u8FD0\u884C" _
        & " xlwings addin install\uFF0C\u7136\u540E\u91CD\u65B0\u542F\u52A8" _
        & " Excel\u3002") _
        & vbLf & vbLf & "Cannot start Python: the xlwings add-in was not found. Run xlwings addin install, then restart Excel."
End Function

Public Function DyTrustMessage() As String
    DyTrustMessage = Zh("\u65E0\u6CD5\u542F\u7528\u516C\u5F0F\uFF1A\u8BF7\u5728 \u6587" _
        & "\u4EF6 > \u9009\u9879 > \u4FE1\u4EFB\u4E2D\u5FC3 > \u4FE1\u4EFB" _
        & "\u4E2D\u5FC3\u8BBE\u7F6E > \u5B8F\u8BBE\u7F6E \u4E2D\u52FE\u9009" _
        & "\u201C\u4FE1\u4EFB\u5BF9 VBA \u5DE5\u7A0B\u5BF9\u8C61\u6A21\u578B" _
        & "\u7684\u8BBF\u95EE\u201D\uFF0C\u7136\u540E\u91CD\u8BD5\u3002") _
        & vbLf & vbLf & "Cannot enable the formulas: tick 'Trust access to the VBA project object model' under File > Options > Trust Center > Trust Center Settings > Macro Settings, then try again."
End Function
