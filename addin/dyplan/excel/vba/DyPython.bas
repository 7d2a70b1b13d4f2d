Attribute VB_Name = "DyPython"
' dyplan: hands the ribbon's work to Python (dyplan.excel.macros) through the project's own
' xlwings module (its standalone form), so no add-in or VBA reference is needed.
' The VBA project is stored in a Western code page, so Chinese text is written as \uXXXX
' escapes and decoded by Zh.
' Option Private Module: these helpers stay out of Insert Function and Alt+F8 but remain
' callable from the rest of the project (the ribbon's callbacks live in DyRibbon, which is
' not private, and ThisWorkbook's Workbook_Open).
Option Explicit
Option Private Module

Private Const TITLE As String = "dyplan"

' Messages shown by VBA itself. VBA's MsgBox hands its text to Windows in the system's ANSI
' code page, so on an English-locale Windows Chinese turns into "???". On Windows they are
' therefore shown through MessageBoxW, which takes the string as the Unicode it is in VBA;
' Excel for Mac's MsgBox is Unicode already. Messages from Python (dyplan.excel.macros) go
' through xlwings' app.alert, which calls the same MessageBoxW through pywin32.
#If Mac Then
#ElseIf VBA7 Then
    Private Declare PtrSafe Function MessageBoxW Lib "user32" (ByVal hWnd As LongPtr, _
        ByVal lpText As LongPtr, ByVal lpCaption As LongPtr, ByVal uType As Long) As Long
#Else
    Private Declare Function MessageBoxW Lib "user32" (ByVal hWnd As Long, _
        ByVal lpText As Long, ByVal lpCaption As Long, ByVal uType As Long) As Long
#End If

' VBA's run-time errors when Windows cannot load xlwings' DLL for this version (it ships with
' the xlwings package of the Python that dyplan is installed in): "File not found:
' xlwings64-0.37.8.dll" (53), "Error in loading DLL" (48), and xlwings' own "Could not load
' xlwings64-0.37.8.dll from either of the following folders" (1).
Private Const ERR_XLWINGS_NOT_LOADED As Long = 1
Private Const ERR_DLL_LOAD As Long = 48
Private Const ERR_FILE_NOT_FOUND As Long = 53
' Permission denied, as VBA (70) and as COM (E_ACCESSDENIED) say it: what an antivirus or
' Defender's "Block all Office applications from creating child processes" rule leaves.
Private Const ERR_PERMISSION As Long = 70
Private Const E_ACCESSDENIED As Long = &H80070005

Public Sub DyMessage(ByVal text As String, ByVal style As VbMsgBoxStyle)
    #If Mac Then
        MsgBox text, style, TITLE
    #Else
        MessageBoxW Application.Hwnd, StrPtr(text), StrPtr(TITLE), style
    #End If
End Sub

' WPS (which may even answer as Excel.Application) cannot run xlwings: say so in Chinese.
Public Function DyIsExcel() As Boolean
    DyIsExcel = (Application.Name = "Microsoft Excel")
    If Not DyIsExcel Then DyMessage DyNotExcelMessage(), vbExclamation
End Function

' Runs a Python command; xlwings shows Python's own errors, and the macros their messages.
' What fails before Python runs is said here, by the kind of error.
Public Sub DyRunPython(ByVal command As String)
    If Not DyIsExcel() Then Exit Sub
    On Error GoTo failed
    RunPython command
    Exit Sub
failed:
    DyMessage DyFailureMessage(Err.Number, Err.Description), vbCritical
End Sub

' Calculates every formula again, so the =DY_ cells use the worksheet functions.
' Excel for Mac cannot run xlwings' worksheet functions (they need its Windows DLL): there the
' cells keep the values regenerate wrote, and calculating would replace them with errors.
Public Sub DyRecalculate()
    #If Mac Then
    #Else
        Application.CalculateFull
    #End If
End Sub

Public Function DyFailureMessage(ByVal number As Long, ByVal description As String) As String
    Select Case number
    Case ERR_XLWINGS_NOT_LOADED, ERR_DLL_LOAD, ERR_FILE_NOT_FOUND
        DyFailureMessage = Zh("\u627E\u4E0D\u5230 Python \u6216\u4E0E\u672C\u5DE5\u4F5C\u7C3F" _
            & "\u914D\u5957\u7684 xlwings 0.37.8\u3002\u8BF7\u8FD0\u884C dyplan excel setup" _
            & "\uFF0C\u6216\u5B89\u88C5 xlwings==0.37.8\u3002") _
            & vbLf & vbLf & "Python, or the xlwings 0.37.8 this workbook needs, was not found. Run " _
            & "dyplan excel setup, or pip install xlwings==0.37.8." & vbLf & vbLf & description
    Case ERR_PERMISSION, E_ACCESSDENIED
        DyFailureMessage = Zh("\u65E0\u6CD5\u542F\u52A8 Python\uFF1A\u53EF\u80FD\u88AB" _
            & "\u9632\u75C5\u6BD2\u8F6F\u4EF6\u6216 Defender \u89C4\u5219\u963B\u6B62\u3002") _
            & vbLf & vbLf & "Python could not be started: an antivirus or a Microsoft Defender " _
            & "rule may be blocking it (see docs/excel-setup.md)." & vbLf & vbLf & description
    Case Else
        DyFailureMessage = Zh("\u8FD0\u884C\u51FA\u9519 Error ") & number & ": " & description
    End Select
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
