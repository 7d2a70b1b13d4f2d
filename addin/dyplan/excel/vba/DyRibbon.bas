Attribute VB_Name = "DyRibbon"
' dyplan: callbacks of the ribbon tab (ribbon/customUI14.xml); each hands over at once.
Option Explicit

Public Sub DyRegenerate(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.regenerate()"
End Sub

Public Sub DyValidate(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.validate()"
End Sub

Public Sub DyExport(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.export_plan()"
End Sub

Public Sub DyImportReport(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.import_report()"
End Sub

Public Sub DyOptimise(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.optimise()"
End Sub

Public Sub DyAccept(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.accept_proposal()"
End Sub

Public Sub DyReplan(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.replan()"
End Sub

Public Sub DySaveScenario(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.save_scenario()"
End Sub

Public Sub DyRestoreScenario(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.restore_scenario()"
End Sub

Public Sub DyDeleteScenario(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.delete_scenario()"
End Sub

Public Sub DyCompareScenarios(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.compare_scenarios()"
End Sub

Public Sub DyFreezeBaseline(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.freeze_baseline()"
End Sub

Public Sub DySensitivity(control As IRibbonControl)
    DyRunPython "import dyplan.excel.macros; dyplan.excel.macros.sensitivity()"
End Sub

Public Sub DyGuide(control As IRibbonControl)
    DyShowGuide
End Sub
