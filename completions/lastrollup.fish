# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lastrollup_global_optspecs
    string join \n h/help V/version
end

function __fish_lastrollup_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lastrollup_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lastrollup_using_subcommand
    set -l cmd (__fish_lastrollup_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lastrollup -n "__fish_lastrollup_needs_command" -s h -l help -d 'Print help'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "check" -d 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "fleet" -d 'Assess a whole fleet: every host under the given files and folders, in one run.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "offline" -d 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "verify" -d 'Check an offline kit: every file present, named right, and intact.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "explain" -d 'Explain a version string, a KB or an update error code.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "diagnose" -d 'Say why an update failed, from the machine\'s logs, and what to do.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "collector" -d 'Print or write the collector script to run on an NT 6.0 machine.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "lint" -d 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "identify" -d 'Read captured files and say which machine(s) and which Windows they describe.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "db" -d 'Import and inspect the advisory database (CVE-level data for `check`).'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "completions" -d 'Print the shell completion script for a shell.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "man" -d 'Print or write the manual pages.'
complete -c lastrollup -n "__fish_lastrollup_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l format -d 'Output format: text for people, the `lastrollup.check/1` JSON contract (docs/check.md), or Markdown for tickets and wikis' -r -f -a "text\t'Verdict, plan, exposure, findings and lifecycle for people'
json\t'The versioned JSON contract'
markdown\t'Markdown'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l as-of -d 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l goal -d 'Where the install plan leads: the product\'s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)' -r -f -a "final\t'The last update of the product (KB5073697, 2026-01-13, on x86/x64)'
without-esu\t'The last update installable without an ESU entitlement'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l db -d 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user\'s data directory; without one, only the built-in known-exploited table is checked' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour on a terminal only'
always\t'Always colour'
never\t'Never colour'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -l no-db -d 'Check exposure against the built-in known-exploited table only, even when a database exists'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand check" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l format -d 'Output format: a summary for people, the `lastrollup.fleet/1` JSON contract (docs/fleet.md), or Markdown' -r -f -a "text\t'Verdict, plan, exposure, findings and lifecycle for people'
json\t'The versioned JSON contract'
markdown\t'Markdown'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l as-of -d 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l goal -d 'Where the install plan leads: the product\'s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)' -r -f -a "final\t'The last update of the product (KB5073697, 2026-01-13, on x86/x64)'
without-esu\t'The last update installable without an ESU entitlement'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l db -d 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user\'s data directory; without one, only the built-in known-exploited table is checked' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l csv -d 'Also write one CSV row per host (UTF-8 with BOM, RFC 4180)' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l jsonl -d 'Also write one JSON object per host and line (for SIEM ingestion)' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l cve-csv -d 'Also write one CSV row per host and open or unverified CVE' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l html -d 'Also write the dashboard: one self-contained HTML file that opens offline in a browser (summary, worst hosts, every host, a page per host)' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l history -d 'Keep every run in this SQLite history database (created when missing) and report what changed since its last complete run' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l since -d 'Report what changed since an earlier `--jsonl` export (without a history database; known-exploited CVEs only)' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour on a terminal only'
always\t'Always colour'
never\t'Never colour'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -l no-db -d 'Check exposure against the built-in known-exploited table only, even when a database exists'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand fleet" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand offline" -l out -d 'The kit folder to write (created when missing; files in it are replaced)' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand offline" -l as-of -d 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand offline" -l goal -d 'Where the install plan leads: the product\'s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)' -r -f -a "final\t'The last update of the product (KB5073697, 2026-01-13, on x86/x64)'
without-esu\t'The last update installable without an ESU entitlement'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand offline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand offline" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand verify" -l format -d 'Output format: text for people, or JSON (the verdict per file)' -r -f -a "text\t'One line per file for people'
json\t'JSON: complete, counts, and every check'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand verify" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour on a terminal only'
always\t'Always colour'
never\t'Never colour'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand verify" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand explain" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'The versioned JSON contract'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand explain" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand diagnose" -l with -d 'Captures of the same machine (collector bundle, systeminfo, wmic qfe …): its SHA-2 flag, installed updates, servicing stack version, ESU licence and pending restart confirm or refute each cause' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand diagnose" -l format -d 'Output format: text for people, or the `lastrollup.diagnose/1` JSON contract (docs/diagnose.md)' -r -f -a "text\t'Text for people'
json\t'The versioned JSON contract'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand diagnose" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour on a terminal only'
always\t'Always colour'
never\t'Never colour'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand diagnose" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand collector" -l write -d 'Write `lastrollup-collect.cmd` and its read-only helper `lastrollup-collect.vbs` (used for `/logs`) into this folder instead of printing the script' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand collector" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand collector" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l format -d 'Output format' -r -f -a "text\t'path:line:col, rule, message, the line with a caret, and the fix'
json\t'The `lastrollup.lint/1` JSON contract (docs/schema/lint-1.schema.json)'
sarif\t'SARIF 2.1.0 for GitHub code scanning'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l select -d 'Run only these rules (ids or codes, comma-separated)' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l ignore -d 'Never run these rules (ids or codes, comma-separated)' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l baseline -d 'Report only findings that are not in this earlier `--format json` output' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l config -d 'Read `[lint]` settings from this file instead of ./lastrollup.toml' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l explain -d 'Print a rule\'s documentation (or, with `all`, the list of rules) and exit' -r
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l fix -d 'Apply the safe fixes (those that change the test\'s outcome for build 6003 only), then report what is left'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -l diff -d 'Print every fix, safe and unsafe, as a unified diff instead of the findings; nothing is written. Exit 1 when there is a fix'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand lint" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand identify" -l format -d 'Output format: a readable table, or the `lastrollup.identify/1` JSON contract (docs/identify.md)' -r -f -a "table\t'A table for people'
json\t'The versioned JSON contract'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand identify" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour on a terminal only'
always\t'Always colour'
never\t'Never colour'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand identify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand identify" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and not __fish_seen_subcommand_from import status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and not __fish_seen_subcommand_from import status help" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and not __fish_seen_subcommand_from import status help" -f -a "import" -d 'Read advisory feeds into the database.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and not __fish_seen_subcommand_from import status help" -f -a "status" -d 'Show the database in use: where it is, its documents, dates and counts.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and not __fish_seen_subcommand_from import status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from import" -l db -d 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user\'s data directory' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from import" -l replace -d 'Start from an empty database instead of adding to the current one'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from status" -l format -d 'Output format' -r -f -a "table\t'A table for people'
json\t'The versioned JSON contract'"
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from status" -l db -d 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user\'s data directory' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "import" -d 'Read advisory feeds into the database.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the database in use: where it is, its documents, dates and counts.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand completions" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand man" -l out -d 'Write every page (`lastrollup.1`, `lastrollup-check.1`, …) into this folder instead of printing one' -r -F
complete -c lastrollup -n "__fish_lastrollup_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand man" -s V -l version -d 'Print version'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "check" -d 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "fleet" -d 'Assess a whole fleet: every host under the given files and folders, in one run.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "offline" -d 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "verify" -d 'Check an offline kit: every file present, named right, and intact.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "explain" -d 'Explain a version string, a KB or an update error code.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "diagnose" -d 'Say why an update failed, from the machine\'s logs, and what to do.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "collector" -d 'Print or write the collector script to run on an NT 6.0 machine.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "lint" -d 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "identify" -d 'Read captured files and say which machine(s) and which Windows they describe.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "db" -d 'Import and inspect the advisory database (CVE-level data for `check`).'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "completions" -d 'Print the shell completion script for a shell.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "man" -d 'Print or write the manual pages.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and not __fish_seen_subcommand_from check fleet offline verify explain diagnose collector lint identify db completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "import" -d 'Read advisory feeds into the database.'
complete -c lastrollup -n "__fish_lastrollup_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show the database in use: where it is, its documents, dates and counts.'
