@echo off
rem ===========================================================================
rem lastrollup-collect.cmd - read-only evidence collector for lastrollup
rem
rem For Windows Vista SP2 and Windows Server 2008 SP1/SP2 (NT 6.0), x86, x64
rem and IA-64, full installation or Server Core. Built-in tools only: cmd,
rem systeminfo, wmic, reg, dir, find, more, cscript (slmgr.vbs). No PowerShell.
rem
rem Usage:   lastrollup-collect.cmd [OUTPUT_DIR] [/logs]
rem
rem   OUTPUT_DIR  folder for the bundle (default: the current folder). It must
rem               exist: the collector creates no folder.
rem   /logs       also append the last 2000 lines of %windir%\Logs\CBS\CBS.log
rem               and %windir%\WindowsUpdate.log. Keep lastrollup-collect.vbs
rem               (a read-only "tail") next to this script for that; without
rem               it only logs of fewer than 60,000 lines are collected.
rem
rem Sections, in this order: systeminfo, wmic-os, wmic-qfe, reg-currentversion,
rem ntoskrnl, cbs-packages, servicing-version, sha2, ie, dotnet, pending, esu,
rem and with /logs cbs-log and windowsupdate-log. Server Core of Server 2008
rem has cmd, reg, wmic, systeminfo and cscript/slmgr.vbs, so every section runs
rem there too (ie shows no Internet Explorer). A command that is missing on a
rem machine leaves its "is not recognized" message and exit=9009 in its section.
rem
rem Output: OUTPUT_DIR\%COMPUTERNAME%.lastrollup.txt, one "bundle" holding the
rem raw output of every command below between marker lines:
rem
rem   #lastrollup-bundle 1
rem   #computer <COMPUTERNAME>
rem   #started <DATE> <TIME>
rem   #begin <id> <command as run>
rem   ...raw stdout+stderr of the command, bytes as the command wrote them...
rem   (an empty line, written by "echo." so that #end starts a fresh line)
rem   #end <id> exit=<errorlevel> at <DATE> <TIME>
rem   ...
rem   #finished <DATE> <TIME>
rem
rem wmic writes UTF-16LE (with a byte order mark) when its output goes to a
rem file; every other command writes in the console's OEM code page. Marker
rem lines are plain ASCII with CRLF. "exit=" is the command's errorlevel; for a
rem section made of several commands it is the first non-zero errorlevel of
rem them (0 when all succeeded). A missing registry key gives exit=1 and the
rem line "ERROR: The system was unable to find the specified registry key or
rem value." - which is the information (the marker is absent), not a failure.
rem %DATE% and %TIME% follow the machine's locale: the times are informational.
rem See docs/collector.md in the lastrollup repository.
rem
rem STRICTLY READ-ONLY. The script writes one file: its own bundle (created or
rem overwritten). It creates no temporary file, changes no registry value,
rem service, policy, boot setting or file, and deletes nothing. Every command
rem it runs only reads (reg query, wmic ... get/list, dir, find, more,
rem systeminfo, whoami, net session, slmgr.vbs /dlv, and the optional helper
rem lastrollup-collect.vbs, which only reads a log file). Side effects that
rem Windows itself may cause and that the script cannot avoid: the first wmic
rem call for a user profile "installs" WMIC (compiles its aliases into the WMI
rem repository, once, slow), and slmgr may start the Software Licensing
rem service to answer.
rem
rem It keeps going when a command fails (the error text and errorlevel are in
rem the bundle) and does no recursive search of the disk. Typical run time is
rem 30-90 seconds: systeminfo and slmgr /dlv all take 10-30 s each on a slow
rem machine, the first wmic call can take a minute on a machine where WMIC
rem never ran.
rem ===========================================================================

setlocal EnableExtensions DisableDelayedExpansion

rem ---------------------------------------------------------------------------
rem A 32-bit cmd.exe on 64-bit Windows (for example a 32-bit deployment agent)
rem sees the 32-bit registry view (HKLM\SOFTWARE\Wow6432Node) and SysWOW64:
rem the CBS package list, the servicing keys and the 64-bit kernel would be
rem missing or wrong. Run again with the native cmd.exe through the Sysnative
rem alias (present from Vista on). Nothing is written by this.
rem ---------------------------------------------------------------------------
if defined LASTROLLUP_NATIVE goto native
if not defined PROCESSOR_ARCHITEW6432 goto native
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto native
set "LASTROLLUP_NATIVE=1"
echo lastrollup: 32-bit command prompt on 64-bit Windows, running again with the native cmd.exe
"%SystemRoot%\Sysnative\cmd.exe" /c ""%~f0" %*"
exit /b
:native

rem ---------------------------------------------------------------------------
rem Arguments: an optional output folder and an optional /logs, in any order.
rem ---------------------------------------------------------------------------
set "LR_OUTDIR="
set "LR_LOGS=0"
:args
if "%~1"=="" goto argsdone
if /i "%~1"=="/logs" (set "LR_LOGS=1" & shift & goto args)
if /i "%~1"=="-logs" (set "LR_LOGS=1" & shift & goto args)
if "%~1"=="/?" goto usage
if /i "%~1"=="/h" goto usage
if /i "%~1"=="-h" goto usage
if /i "%~1"=="--help" goto usage
set "LR_OUTDIR=%~1"
shift
goto args
:argsdone
if not defined LR_OUTDIR set "LR_OUTDIR=%CD%"
rem Full path, without a trailing backslash.
for %%I in ("%LR_OUTDIR%") do set "LR_OUTDIR=%%~fI"
if "%LR_OUTDIR:~-1%"=="\" set "LR_OUTDIR=%LR_OUTDIR:~0,-1%"
set "OUT=%LR_OUTDIR%\%COMPUTERNAME%.lastrollup.txt"

rem The optional helper next to this script (tails of big logs, see /logs).
set "LR_VBS=%~dp0lastrollup-collect.vbs"

rem ---------------------------------------------------------------------------
rem Elevation: warn, do not stop. Most sections also work unelevated, but the
rem CBS package list and the log files may be unreadable. whoami /groups shows
rem the mandatory integrity level: High (S-1-16-12288) when elevated, System
rem (S-1-16-16384) under SYSTEM (psexec -s, a startup script). "net session"
rem only lists sessions; it fails unless elevated (and when the Server service
rem is stopped). Both only read.
rem ---------------------------------------------------------------------------
set "LR_ELEVATED=no"
whoami /groups 2>nul | find "S-1-16-12288" >nul 2>&1 && set "LR_ELEVATED=yes"
whoami /groups 2>nul | find "S-1-16-16384" >nul 2>&1 && set "LR_ELEVATED=yes"
if "%LR_ELEVATED%"=="no" net session >nul 2>&1 && set "LR_ELEVATED=yes"
if "%LR_ELEVATED%"=="no" (
    echo lastrollup: WARNING: not running elevated. Run from an elevated prompt
    echo lastrollup: ^(Run as administrator^) for a complete bundle; continuing.
)

rem ---------------------------------------------------------------------------
rem The bundle header. This creates (or overwrites) the output file: the only
rem file the script writes.
rem ---------------------------------------------------------------------------
rem A folder that does not exist (the collector creates none) or cannot be
rem written makes this redirection fail: stop with exit code 2.
rem (A failed redirection does not set ERRORLEVEL reliably, so the checks are
rem that the folder exists and that the file exists after the first write.)
if not exist "%LR_OUTDIR%\*" goto cannotwrite
>"%OUT%" echo #lastrollup-bundle 1
if not exist "%OUT%" goto cannotwrite
>>"%OUT%" echo #computer %COMPUTERNAME%
>>"%OUT%" echo #started %DATE% %TIME%
echo lastrollup: collecting into "%OUT%"

rem WMIC's first run for a profile prints "Please wait while WMIC is being
rem installed." and compiles its aliases (slow, once). A first call whose
rem output goes to "find" keeps that text out of the bundle, and tells whether
rem /format:list works here: on some non-English installations it fails with
rem "Invalid XSL format (or) file name." (the list.xsl of the UI language is
rem missing). "get ... /value" prints the same Name=Value lines without an XSL
rem file and is used instead then (the #begin line shows which one ran).
rem <nul on every wmic and cscript call: wmic waits for its standard input to
rem close when that is not a console (psexec, some deployment agents).
echo lastrollup: [0/12] starting WMIC (the first run on a machine can take a minute)
set "LR_WMICFMT=/format:list"
wmic os get Caption /format:list <nul 2>nul | find "Caption=" >nul 2>&1
if errorlevel 1 set "LR_WMICFMT=/value"

rem ===========================================================================
rem Section 1: systeminfo
rem Why: OS name (edition, Vista or Server 2008, (R)/(TM) as the code page
rem renders them), OS version (6.0.6002 / 6.0.6003, service pack), system type
rem (x86 / x64 / Itanium), role (OS Configuration), locale, and the hotfix
rem list. The list can be cut short on NT 6.0: wmic-qfe and cbs-packages below
rem are the complete lists.
rem ===========================================================================
set "LR_CMD=systeminfo"
call :begin 1/12 systeminfo
systeminfo >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end systeminfo

rem ===========================================================================
rem Section 2: wmic-os
rem Why: Win32_OperatingSystem: BuildNumber, Caption, CSDVersion, SKU number
rem (OperatingSystemSKU: the edition, Core or full), OSArchitecture,
rem ProductType (1 workstation, 2 domain controller, 3 server), Version, install
rem and boot times (a boot before the newest install suggests a pending
rem restart), Locale. UTF-16LE, Name=Value lines (/format:list, or /value
rem where list.xsl is missing: see the WMIC start above).
rem ===========================================================================
set "LR_CMD=wmic os get BuildNumber,Caption,CSDVersion,CSName,OperatingSystemSKU,OSArchitecture,ProductType,ServicePackMajorVersion,Version,InstallDate,LastBootUpTime,Locale %LR_WMICFMT%"
call :begin 2/12 wmic-os
wmic os get BuildNumber,Caption,CSDVersion,CSName,OperatingSystemSKU,OSArchitecture,ProductType,ServicePackMajorVersion,Version,InstallDate,LastBootUpTime,Locale %LR_WMICFMT% <nul >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end wmic-os

rem ===========================================================================
rem Section 3: wmic-qfe
rem Why: every update Win32_QuickFixEngineering reports (HotFixID, Description,
rem InstalledOn, InstalledBy), not cut short like systeminfo's list. UTF-16LE.
rem ===========================================================================
set "LR_CMD=wmic qfe list full"
call :begin 3/12 wmic-qfe
wmic qfe list full <nul >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end wmic-qfe

rem ===========================================================================
rem Section 4: reg-currentversion
rem Why: ProductName, EditionID (ServerStandard, ServerStandardCore, Business,
rem ...), CurrentBuild(Number), CSDVersion and BuildLab / BuildLabEx: the
rem kernel revision and branch the registry records (6003.22413.amd64fre.
rem vistasp2_ldr_escrow...). The subkey list that follows is ignored.
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion""
call :begin 4/12 reg-currentversion
reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end reg-currentversion

rem ===========================================================================
rem Section 5: ntoskrnl
rem Why: the file version of the running kernel image on disk, 6.0.600x.RRRRR:
rem the revision says which monthly rollup is in effect (and GDR vs LDR). When
rem a newer rollup is installed but the machine has not restarted, this still
rem shows the older revision. WQL needs the backslashes doubled.
rem ===========================================================================
set "LR_SYSROOT_WQL=%SystemRoot:\=\\%"
set "LR_CMD=wmic datafile where name="%LR_SYSROOT_WQL%\\system32\\ntoskrnl.exe" get Version /value"
call :begin 5/12 ntoskrnl
wmic datafile where name="%LR_SYSROOT_WQL%\\system32\\ntoskrnl.exe" get Version /value <nul >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end ntoskrnl

rem ===========================================================================
rem Section 6: cbs-packages
rem Why: the Component Based Servicing store lists every package with its
rem CurrentState (0x70 installed, 0x50 superseded, 0x60 install pending, ...):
rem the most complete installed-update list on NT 6.0, and the one that shows
rem an update staged for the next restart. Only the CurrentState values.
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages" /s /v CurrentState"
call :begin 6/12 cbs-packages
reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages" /s /v CurrentState >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end cbs-packages

rem ===========================================================================
rem Section 7: servicing-version
rem Why: the servicing stack version. Each servicing stack update adds a folder
rem named after its version (6.0.6003.20484 for KB4493730, 6.0.6003.21569 for
rem KB5016129); the highest one is the stack in use. Updates since mid-2019
rem need a recent stack. Not recursive: one folder listing.
rem ===========================================================================
set "LR_CMD=dir /b "%SystemRoot%\servicing\Version""
call :begin 7/12 servicing-version
dir /b "%SystemRoot%\servicing\Version" >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end servicing-version

rem ===========================================================================
rem Section 8: sha2
rem Why: SHA-2 code signing support (KB4474419) sets SHA2-Codesigning-Support=1
rem under this key. Without it every update signed only with SHA-2 (from
rem mid-2019) fails with 0x80092004.
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Servicing\Codesigning\SHA2""
call :begin 8/12 sha2
reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Servicing\Codesigning\SHA2" >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end sha2

rem ===========================================================================
rem Section 9: ie
rem Why: Internet Explorer's version (IE7 ships with Server 2008, IE9 is the
rem last one): whether the IE9 cumulative updates apply. Version, then
rem svcVersion (absent before IE9 on NT 6.0).
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v Version & reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v svcVersion"
call :begin 9/12 ie
reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v Version >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v svcVersion >>"%OUT%" 2>&1
if not "%errorlevel%"=="0" if "%LR_RC%"=="0" set "LR_RC=%errorlevel%"
call :end ie

rem ===========================================================================
rem Section 10: dotnet
rem Why: the installed .NET Framework versions (2.0 SP2 and 3.0 SP2 are part of
rem SP2; 3.5 SP1 and 4.x are optional): which .NET updates apply.
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP" /s /v Version"
call :begin 10/12 dotnet
reg query "HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP" /s /v Version >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end dotnet

rem ===========================================================================
rem Section 11: pending
rem Why: a restart is pending when any of these exists: the CBS RebootPending
rem key, Windows Update's RebootRequired key, the PendingFileRenameOperations
rem value, or %SystemRoot%\winsxs\pending.xml (CBS's queue of operations for
rem the next boot). A pending restart explains an installed rollup whose kernel
rem is not running yet, and blocks further installs (0x80070bc9). A marker is
rem present when its key line (or value line, or "pending.xml present")
rem appears; a missing one prints the ERROR line.
rem ===========================================================================
set "LR_CMD=reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending" & reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired" & reg query "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager" /v PendingFileRenameOperations & if exist "%SystemRoot%\winsxs\pending.xml" (echo pending.xml present) else (echo pending.xml absent)"
call :begin 11/12 pending
reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending" >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired" >>"%OUT%" 2>&1
if not "%errorlevel%"=="0" if "%LR_RC%"=="0" set "LR_RC=%errorlevel%"
reg query "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager" /v PendingFileRenameOperations >>"%OUT%" 2>&1
if not "%errorlevel%"=="0" if "%LR_RC%"=="0" set "LR_RC=%errorlevel%"
if exist "%SystemRoot%\winsxs\pending.xml" (
    >>"%OUT%" echo pending.xml present
) else (
    >>"%OUT%" echo pending.xml absent
)
call :end pending

rem ===========================================================================
rem Section 12: esu
rem Why: every licence the Software Licensing service holds: the Windows
rem licence and, on Server 2008 with Extended Security Updates, the ESU add-on
rem licences (Name "...Server-ESU-Year1/2/3 add-on...", activation IDs
rem 553673ed-..., 04fa0286-..., 16c08c85-...) with their License Status.
rem Updates released after 2020-01-14 install only with a Licensed ESU add-on
rem (or Azure / Premium Assurance). /dlv only displays; it changes nothing.
rem Takes 10-30 s. Output is in the UI language.
rem ===========================================================================
set "LR_CMD=cscript //nologo "%SystemRoot%\system32\slmgr.vbs" /dlv all"
call :begin 12/12 esu
cscript //nologo "%SystemRoot%\system32\slmgr.vbs" /dlv all <nul >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end esu

rem ===========================================================================
rem Sections cbs-log and windowsupdate-log (only with /logs)
rem Why: the last 2000 lines of the servicing log (CBS.log: failed packages,
rem rollbacks, ESU checks, pending operations) and of the Windows Update agent
rem log, for diagnosing an update that does not install.
rem
rem cmd has no "tail". The helper lastrollup-collect.vbs (next to this script)
rem reads the file once and prints its last lines, tabs intact. Without the
rem helper the script falls back to "more +N FILE", N = line count (from
rem find /c /v "") minus 2000. That fallback has two known traps: more expands
rem TAB characters to spaces (WindowsUpdate.log is tab-separated), and more
rem reportedly waits for a key press after about 65,000 lines even when its
rem output is redirected; so it is used only for files of fewer than 60,000 lines, and a
rem longer file is skipped with a note in its section.
rem ===========================================================================
if not "%LR_LOGS%"=="1" goto nologs
call :tail cbs-log "%SystemRoot%\Logs\CBS\CBS.log"
call :tail windowsupdate-log "%SystemRoot%\WindowsUpdate.log"
:nologs

>>"%OUT%" echo #finished %DATE% %TIME%
echo lastrollup: done. Bundle written to:
echo   "%OUT%"
if "%LR_ELEVATED%"=="no" echo lastrollup: WARNING: it was not collected elevated; some sections may be incomplete.
endlocal
exit /b 0

rem ===========================================================================
rem Subroutines
rem ===========================================================================

:begin
rem %1 = progress label (3/12), %2 = section id; LR_CMD = the command text.
rem Delayed expansion here only, so that "&", "(" and ")" in LR_CMD are
rem written as text, never run.
echo lastrollup: [%~1] %~2
setlocal EnableDelayedExpansion
>>"!OUT!" echo #begin %~2 !LR_CMD!
endlocal
goto :eof

:end
rem %1 = section id; LR_RC = its errorlevel. The empty line makes sure #end
rem starts at column 0 even when the output did not end with a line break.
>>"%OUT%" echo.
>>"%OUT%" echo #end %~1 exit=%LR_RC% at %DATE% %TIME%
goto :eof

:tail
rem %1 = section id, %2 = log file (quoted). Writes the last 2000 lines.
set "LR_LOG=%~2"
set "LR_LINES="
set "LR_SKIP=0"
if not exist "%LR_LOG%" goto tailmissing
if exist "%LR_VBS%" goto tailvbs
rem Without the helper: count the lines (find prints just the number when
rem the file comes on standard input) and skip all but the last 2000.
for /f %%N in ('find /c /v "" ^< "%LR_LOG%" 2^>nul') do set "LR_LINES=%%N"
if not defined LR_LINES goto tailtoolong
echo %LR_LINES%| findstr /r /x "[0-9][0-9]*" >nul 2>&1 || (set "LR_LINES=" & goto tailtoolong)
if %LR_LINES% GEQ 60000 goto tailtoolong
set /a LR_SKIP=LR_LINES-2000 >nul
if %LR_SKIP% LSS 0 set "LR_SKIP=0"
set "LR_CMD=more +%LR_SKIP% "%LR_LOG%""
call :begin log %~1
more +%LR_SKIP% "%LR_LOG%" >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end %~1
goto :eof

:tailvbs
set "LR_CMD=cscript //nologo "%LR_VBS%" tail 2000 "%LR_LOG%""
call :begin log %~1
cscript //nologo "%LR_VBS%" tail 2000 "%LR_LOG%" <nul >>"%OUT%" 2>&1
set "LR_RC=%errorlevel%"
call :end %~1
goto :eof

:tailtoolong
rem Only the line count ran; the #begin line says so.
set "LR_CMD=find /c /v "" < "%LR_LOG%""
call :begin log %~1
if not defined LR_LINES set "LR_LINES=an unknown number of"
>>"%OUT%" echo lastrollup: not collected: "%LR_LOG%" has %LR_LINES% lines and lastrollup-collect.vbs is not next to the script; more.com would stall after about 65,000 lines. Put lastrollup-collect.vbs beside lastrollup-collect.cmd and run again with /logs.
set "LR_RC=3"
call :end %~1
goto :eof

:tailmissing
set "LR_CMD=if exist "%LR_LOG%""
call :begin log %~1
>>"%OUT%" echo lastrollup: file not found: "%LR_LOG%"
set "LR_RC=2"
call :end %~1
goto :eof

:cannotwrite
echo lastrollup: cannot write "%OUT%" 1>&2
echo lastrollup: give an existing, writable folder; the collector creates none. 1>&2
endlocal
exit /b 2

:usage
echo Usage: %~nx0 [OUTPUT_DIR] [/logs]
echo.
echo   Collects, read-only, what lastrollup needs to assess this Windows Vista /
echo   Server 2008 (NT 6.0) machine, into OUTPUT_DIR\%COMPUTERNAME%.lastrollup.txt
echo   (default OUTPUT_DIR: the current folder; it must exist).
echo.
echo   /logs   also collect the last 2000 lines of CBS.log and WindowsUpdate.log
echo.
echo   Run it from an elevated command prompt (Run as administrator).
echo   It writes nothing but that one file.
exit /b 0
