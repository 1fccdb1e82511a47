
use builtin;
use str;

set edit:completion:arg-completer[lastrollup] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lastrollup'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lastrollup'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.'
            cand fleet 'Assess a whole fleet: every host under the given files and folders, in one run.'
            cand offline 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.'
            cand verify 'Check an offline kit: every file present, named right, and intact.'
            cand explain 'Explain a version string, a KB or an update error code.'
            cand diagnose 'Say why an update failed, from the machine''s logs, and what to do.'
            cand collector 'Print or write the collector script to run on an NT 6.0 machine.'
            cand lint 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.'
            cand identify 'Read captured files and say which machine(s) and which Windows they describe.'
            cand db 'Import and inspect the advisory database (CVE-level data for `check`).'
            cand completions 'Print the shell completion script for a shell.'
            cand man 'Print or write the manual pages.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lastrollup;check'= {
            cand --format 'Output format: text for people, the `lastrollup.check/1` JSON contract (docs/check.md), or Markdown for tickets and wikis'
            cand --as-of 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today'
            cand --goal 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)'
            cand --db 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user''s data directory; without one, only the built-in known-exploited table is checked'
            cand --color 'When to colour the output'
            cand --no-db 'Check exposure against the built-in known-exploited table only, even when a database exists'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;fleet'= {
            cand --format 'Output format: a summary for people, the `lastrollup.fleet/1` JSON contract (docs/fleet.md), or Markdown'
            cand --as-of 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today'
            cand --goal 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)'
            cand --db 'The advisory database for CVE exposure (see `lastrollup db`). Defaults to $LASTROLLUP_DB, else the one in the user''s data directory; without one, only the built-in known-exploited table is checked'
            cand --csv 'Also write one CSV row per host (UTF-8 with BOM, RFC 4180)'
            cand --jsonl 'Also write one JSON object per host and line (for SIEM ingestion)'
            cand --cve-csv 'Also write one CSV row per host and open or unverified CVE'
            cand --html 'Also write the dashboard: one self-contained HTML file that opens offline in a browser (summary, worst hosts, every host, a page per host)'
            cand --history 'Keep every run in this SQLite history database (created when missing) and report what changed since its last complete run'
            cand --since 'Report what changed since an earlier `--jsonl` export (without a history database; known-exploited CVEs only)'
            cand --color 'When to colour the output'
            cand --no-db 'Check exposure against the built-in known-exploited table only, even when a database exists'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;offline'= {
            cand --out 'The kit folder to write (created when missing; files in it are replaced)'
            cand --as-of 'The day to assess for (lifecycle, whether updates can still come), as YYYY-MM-DD. Defaults to today'
            cand --goal 'Where the install plan leads: the product''s final update, or the last update that installs without an ESU entitlement (KB4534303, 2020-01)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;verify'= {
            cand --format 'Output format: text for people, or JSON (the verdict per file)'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;explain'= {
            cand --format 'Output format'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;diagnose'= {
            cand --with 'Captures of the same machine (collector bundle, systeminfo, wmic qfe …): its SHA-2 flag, installed updates, servicing stack version, ESU licence and pending restart confirm or refute each cause'
            cand --format 'Output format: text for people, or the `lastrollup.diagnose/1` JSON contract (docs/diagnose.md)'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;collector'= {
            cand --write 'Write `lastrollup-collect.cmd` and its read-only helper `lastrollup-collect.vbs` (used for `/logs`) into this folder instead of printing the script'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;lint'= {
            cand --format 'Output format'
            cand --select 'Run only these rules (ids or codes, comma-separated)'
            cand --ignore 'Never run these rules (ids or codes, comma-separated)'
            cand --baseline 'Report only findings that are not in this earlier `--format json` output'
            cand --config 'Read `[lint]` settings from this file instead of ./lastrollup.toml'
            cand --explain 'Print a rule''s documentation (or, with `all`, the list of rules) and exit'
            cand --fix 'Apply the safe fixes (those that change the test''s outcome for build 6003 only), then report what is left'
            cand --diff 'Print every fix, safe and unsafe, as a unified diff instead of the findings; nothing is written. Exit 1 when there is a fix'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;identify'= {
            cand --format 'Output format: a readable table, or the `lastrollup.identify/1` JSON contract (docs/identify.md)'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;db'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import 'Read advisory feeds into the database.'
            cand status 'Show the database in use: where it is, its documents, dates and counts.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lastrollup;db;import'= {
            cand --db 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user''s data directory'
            cand --replace 'Start from an empty database instead of adding to the current one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;db;status'= {
            cand --format 'Output format'
            cand --db 'The database file. Defaults to $LASTROLLUP_DB, else `lastrollup/advisories.lrdb` in the user''s data directory'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;db;help'= {
            cand import 'Read advisory feeds into the database.'
            cand status 'Show the database in use: where it is, its documents, dates and counts.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lastrollup;db;help;import'= {
        }
        &'lastrollup;db;help;status'= {
        }
        &'lastrollup;db;help;help'= {
        }
        &'lastrollup;completions'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;man'= {
            cand --out 'Write every page (`lastrollup.1`, `lastrollup-check.1`, …) into this folder instead of printing one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lastrollup;help'= {
            cand check 'Say where each host stands against its final servicing baseline, and what to install, in order, to get there.'
            cand fleet 'Assess a whole fleet: every host under the given files and folders, in one run.'
            cand offline 'Make an offline update kit: what air-gapped hosts need, to fetch elsewhere.'
            cand verify 'Check an offline kit: every file present, named right, and intact.'
            cand explain 'Explain a version string, a KB or an update error code.'
            cand diagnose 'Say why an update failed, from the machine''s logs, and what to do.'
            cand collector 'Print or write the collector script to run on an NT 6.0 machine.'
            cand lint 'Find scripts, installers and programs that break on build 6003 or misread NT 6.0.'
            cand identify 'Read captured files and say which machine(s) and which Windows they describe.'
            cand db 'Import and inspect the advisory database (CVE-level data for `check`).'
            cand completions 'Print the shell completion script for a shell.'
            cand man 'Print or write the manual pages.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lastrollup;help;check'= {
        }
        &'lastrollup;help;fleet'= {
        }
        &'lastrollup;help;offline'= {
        }
        &'lastrollup;help;verify'= {
        }
        &'lastrollup;help;explain'= {
        }
        &'lastrollup;help;diagnose'= {
        }
        &'lastrollup;help;collector'= {
        }
        &'lastrollup;help;lint'= {
        }
        &'lastrollup;help;identify'= {
        }
        &'lastrollup;help;db'= {
            cand import 'Read advisory feeds into the database.'
            cand status 'Show the database in use: where it is, its documents, dates and counts.'
        }
        &'lastrollup;help;db;import'= {
        }
        &'lastrollup;help;db;status'= {
        }
        &'lastrollup;help;completions'= {
        }
        &'lastrollup;help;man'= {
        }
        &'lastrollup;help;help'= {
        }
    ]
    $completions[$command]
}
