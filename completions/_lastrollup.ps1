
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lastrollup' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lastrollup'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'lastrollup' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.')
            [CompletionResult]::new('fleet', 'fleet', [CompletionResultType]::ParameterValue, 'Assess a whole fleet: every host under the given files and folders, in one run.')
            [CompletionResult]::new('offline', 'offline', [CompletionResultType]::ParameterValue, 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an offline kit: every file present, named right, and intact.')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a version string, a KB or an update error code.')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Say why an update failed, from the machine''s logs, and what to do.')
            [CompletionResult]::new('collector', 'collector', [CompletionResultType]::ParameterValue, 'Print or write the collector script to run on an NT 6.0 machine.')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Read captured files and say which machine(s) and which Windows they describe.')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Import and inspect the advisory database (CVE-level data for `check`).')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for a shell.')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print or write the manual pages.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lastrollup;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text for people, the `lastrollup.check/1` JSON contract (docs/check.md), or Markdown for tickets and wikis')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user''s data directory; without one, only the built-in known-exploited table is checked')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--no-db', '--no-db', [CompletionResultType]::ParameterName, 'Check exposure against the built-in known-exploited table only, even when a database exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;fleet' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a summary for people, the `lastrollup.fleet/1` JSON contract (docs/fleet.md), or Markdown')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user''s data directory; without one, only the built-in known-exploited table is checked')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Also write one CSV row per host (UTF-8 with BOM, RFC 4180)')
            [CompletionResult]::new('--jsonl', '--jsonl', [CompletionResultType]::ParameterName, 'Also write one JSON object per host and line (for SIEM ingestion)')
            [CompletionResult]::new('--cve-csv', '--cve-csv', [CompletionResultType]::ParameterName, 'Also write one CSV row per host and open or unverified CVE')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write the dashboard: one self-contained HTML file that opens offline in a browser (summary, worst hosts, every host, a page per host)')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Keep every run in this SQLite history database (created when missing) and report what changed since its last complete run')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Report what changed since an earlier `--jsonl` export (without a history database; known-exploited CVEs only)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--no-db', '--no-db', [CompletionResultType]::ParameterName, 'Check exposure against the built-in known-exploited table only, even when a database exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;offline' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The kit folder to write (created when missing; files in it are replaced)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;verify' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text for people, or JSON (the verdict per file)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;explain' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;diagnose' {
            [CompletionResult]::new('--with', '--with', [CompletionResultType]::ParameterName, 'Captures of the same machine (collector bundle, systeminfo, wmic qfe …): its SHA-2 flag, installed updates, servicing stack version, ESU licence and pending restart confirm or refute each cause')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text for people, or the `lastrollup.diagnose/1` JSON contract (docs/diagnose.md)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;collector' {
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write `lastrollup-collect.cmd` and its read-only helper `lastrollup-collect.vbs` (used for `/logs`) into this folder instead of printing the script')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (ids or codes, comma-separated)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Never run these rules (ids or codes, comma-separated)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings that are not in this earlier `--format json` output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read `[lint]` settings from this file instead of ./lastrollup.toml')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print a rule''s documentation (or, with `all`, the list of rules) and exit')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe fixes (those that change the test''s outcome for build 6003 only), then report what is left')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print every fix, safe and unsafe, as a unified diff instead of the findings; nothing is written. Exit 1 when there is a fix')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;identify' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a readable table, or the `lastrollup.identify/1` JSON contract (docs/identify.md)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;db' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read advisory feeds into the database.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the database in use: where it is, its documents, dates and counts.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lastrollup;db;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user''s data directory')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Start from an empty database instead of adding to the current one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;db;status' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user''s data directory')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;db;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read advisory feeds into the database.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the database in use: where it is, its documents, dates and counts.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lastrollup;db;help;import' {
            break
        }
        'lastrollup;db;help;status' {
            break
        }
        'lastrollup;db;help;help' {
            break
        }
        'lastrollup;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;man' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write every page (`lastrollup.1`, `lastrollup-check.1`, …) into this folder instead of printing one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lastrollup;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.')
            [CompletionResult]::new('fleet', 'fleet', [CompletionResultType]::ParameterValue, 'Assess a whole fleet: every host under the given files and folders, in one run.')
            [CompletionResult]::new('offline', 'offline', [CompletionResultType]::ParameterValue, 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an offline kit: every file present, named right, and intact.')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a version string, a KB or an update error code.')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Say why an update failed, from the machine''s logs, and what to do.')
            [CompletionResult]::new('collector', 'collector', [CompletionResultType]::ParameterValue, 'Print or write the collector script to run on an NT 6.0 machine.')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Read captured files and say which machine(s) and which Windows they describe.')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Import and inspect the advisory database (CVE-level data for `check`).')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for a shell.')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print or write the manual pages.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lastrollup;help;check' {
            break
        }
        'lastrollup;help;fleet' {
            break
        }
        'lastrollup;help;offline' {
            break
        }
        'lastrollup;help;verify' {
            break
        }
        'lastrollup;help;explain' {
            break
        }
        'lastrollup;help;diagnose' {
            break
        }
        'lastrollup;help;collector' {
            break
        }
        'lastrollup;help;lint' {
            break
        }
        'lastrollup;help;identify' {
            break
        }
        'lastrollup;help;db' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read advisory feeds into the database.')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the database in use: where it is, its documents, dates and counts.')
            break
        }
        'lastrollup;help;db;import' {
            break
        }
        'lastrollup;help;db;status' {
            break
        }
        'lastrollup;help;completions' {
            break
        }
        'lastrollup;help;man' {
            break
        }
        'lastrollup;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
