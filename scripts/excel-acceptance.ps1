<#
.SYNOPSIS
    dyplan's two-minute acceptance in Microsoft Excel (docs/excel-acceptance.md).

.DESCRIPTION
    Makes a fresh demo .xlsm pointed at this Python (dyplan new --demo, dyplan excel setup),
    opens it in Excel through COM, clicks each ribbon macro in turn (regenerate, validate, export,
    import a sample report, optimise, accept, re-plan, save, restore, compare and delete a
    scenario, freeze the baseline, sensitivity) with the workbook set to run unattended, recalculates fully, saves,
    records Excel's and Windows' versions and the locale, and has `dyplan excel accept-report`
    compare the saved workbook with `dyplan regenerate` of the same inputs.
    Exit code 0: passed; 1: failed (report.md says where).

.PARAMETER Out
    Folder for the files of this run (default: a new folder under %TEMP%).
#>
param([string]$Out = (Join-Path $env:TEMP ("dyplan-acceptance-" + (Get-Date -Format "yyyyMMdd-HHmmss"))))

$ErrorActionPreference = "Stop"
# This file is kept ASCII: Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page.
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$utf8 = New-Object System.Text.UTF8Encoding $false
$null = New-Item -ItemType Directory -Force $Out
$fresh = Join-Path $Out "fresh.xlsm"
$book = Join-Path $Out "acceptance.xlsm"
$log = Join-Path $Out "steps.jsonl"
$settings = Join-Path $Out "unattended.json"
$exported = Join-Path $Out "acceptance-plan.xlsx"
$sample = Join-Path $here "excel-acceptance-report.csv"
$report = Join-Path $Out "report.md"

function Write-Record([hashtable]$record) {
    [IO.File]::AppendAllText($log, ($record | ConvertTo-Json -Compress) + "`n", $utf8)
}

function Invoke-Dyplan {
    & dyplan @args
    if ($LASTEXITCODE -ne 0) { throw "dyplan $args failed (exit $LASTEXITCODE)" }
}

Invoke-Dyplan new $fresh --demo
Invoke-Dyplan excel setup $fresh --out $book
# The macros read their dialogs' answers here and log their messages (dyplan.excel.unattended).
$answers = @{ log = $log; save_as = $exported; reports = @($sample); accept = $true; scenario = "acceptance" } | ConvertTo-Json
[IO.File]::WriteAllText($settings, $answers, $utf8)
[IO.File]::WriteAllText($log, "", $utf8)

$excel = New-Object -ComObject Excel.Application
try {
    $excel.Visible = $true  # a box that still appears (Python not started, say) can be seen and closed
    $excel.AutomationSecurity = 1  # msoAutomationSecurityLow: the macros of the file opened here run
    $os = Get-CimInstance Win32_OperatingSystem
    $language = try { $excel.LanguageSettings.LanguageID(2) } catch { "" }  # msoLanguageIDUI
    Write-Record @{
        kind = "environment"; excel_version = $excel.Version; excel_build = $excel.Build
        excel_bitness = $(if ($excel.OperatingSystem -match "64") { "64-bit" } else { "32-bit" })
        os = "$($os.Caption) $($os.Version)"; locale = (Get-Culture).Name
        system_locale = (Get-WinSystemLocale).Name; excel_language = $language
    }
    $workbook = $excel.Workbooks.Open($book)
    $null = $workbook.Names.Add("dyplan_unattended", "=""$settings""")
    # The ribbon's own callbacks, given Nothing for the ribbon control they do not use.
    $nothing = New-Object System.Runtime.InteropServices.DispatchWrapper $null
    $steps = [ordered]@{ regenerate = "DyRegenerate"; validate = "DyValidate"; export = "DyExport"; import = "DyImportReport"
                         optimise = "DyOptimise"; accept = "DyAccept"; replan = "DyReplan"
                         save_scenario = "DySaveScenario"; restore_scenario = "DyRestoreScenario"
                         compare = "DyCompareScenarios"; delete_scenario = "DyDeleteScenario"
                         freeze = "DyFreezeBaseline"; sensitivity = "DySensitivity" }
    foreach ($step in $steps.Keys) {
        Write-Record @{ kind = "step"; step = $step }
        try {
            $null = $excel.Run("'$($workbook.Name)'!DyRibbon.$($steps[$step])", $nothing)
        } catch {
            Write-Record @{ kind = "error"; message = $_.Exception.Message }
        }
        if ($step -eq "export" -and -not (Test-Path $exported)) {
            Write-Record @{ kind = "error"; message = "no finished plan at $exported" }
        }
    }
    $excel.CalculateFull()
    $workbook.Names.Item("dyplan_unattended").Delete()
    $workbook.Save()
    $workbook.Close($false)
} finally {
    $excel.Quit()
    $null = [System.Runtime.InteropServices.Marshal]::ReleaseComObject($excel)
}

& dyplan excel accept-report $book --log $log --out $report
$code = $LASTEXITCODE
Write-Host ""
Write-Host ([IO.File]::ReadAllText($report, $utf8))
Write-Host "Files of this run: $Out"
exit $code
