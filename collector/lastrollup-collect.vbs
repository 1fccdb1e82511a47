' lastrollup-collect.vbs - read-only helper of lastrollup-collect.cmd
'
' Usage: cscript //nologo lastrollup-collect.vbs tail <count> <file>
'
' Prints the last <count> lines of <file> to standard output, unchanged
' (tabs kept). lastrollup-collect.cmd calls it for the /logs sections because
' cmd has no "tail" and its fallback, more.com, expands tabs and waits for a
' key press after about 65,000 lines even when its output is redirected.
'
' READ-ONLY: it opens <file> for reading only and writes nothing but its
' standard output. It reads the file once, keeping the last <count> lines in
' memory (a few hundred kilobytes), so a 40 MB CBS.log takes seconds.
'
' Exit codes: 0 done, 2 bad arguments, 3 file not found, 4 file not readable
' (in use with an incompatible sharing mode, or access denied: run elevated).
Option Explicit

Dim args, count, path, fso, ts, ring, total, first, i

' Output goes through WScript.Echo, which is standard output under cscript
' (Wine's cscript has no WScript.StdOut). Under wscript it would open message
' boxes: refuse to run there.
If InStr(LCase(WScript.FullName), "cscript") = 0 Then WScript.Quit 2

Set args = WScript.Arguments
If args.Count <> 3 Then Usage
If LCase(args(0)) <> "tail" Then Usage
If Not IsNumeric(args(1)) Then Usage
count = CLng(args(1))
If count < 1 Then Usage
path = args(2)

Set fso = CreateObject("Scripting.FileSystemObject")
If Not fso.FileExists(path) Then
    WScript.Echo "lastrollup: file not found: " & path
    WScript.Quit 3
End If

On Error Resume Next
' 1 = ForReading, False = do not create, 0 = TristateFalse (ANSI bytes)
Set ts = fso.OpenTextFile(path, 1, False, 0)
If Err.Number <> 0 Then
    WScript.Echo "lastrollup: cannot read " & path & ": error 0x" & Hex(Err.Number) & " " & Err.Description
    WScript.Quit 4
End If
On Error GoTo 0

' The ring buffer: an array of <count> empty strings. Split(Space(n - 1))
' instead of ReDim, which Wine's VBScript does not run (no effect on Windows).
ring = Split(Space(count - 1), " ")
total = 0
Do While Not ts.AtEndOfStream
    ring(total Mod count) = ts.ReadLine
    total = total + 1
Loop
ts.Close

If total > count Then first = total - count Else first = 0
For i = first To total - 1
    WScript.Echo ring(i Mod count)
Next
WScript.Quit 0

Sub Usage()
    WScript.Echo "usage: cscript //nologo lastrollup-collect.vbs tail <count> <file>"
    WScript.Quit 2
End Sub
