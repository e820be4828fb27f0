"""`python -m analysis`: build or validate the yearly outputs from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.findings import AnalysisError, Finding, ReturnsError, UsageError, warnings
from analysis.paths import LANGUAGES, Paths

# Warnings of one kind shown in the terminal before "... and N more": the full list is in
# <processed>/<year>/warnings.csv and in the report's data-quality section.
WARNING_EXAMPLES = 3

DESCRIPTION = """\
Survey of how central units implement the responsibility system for party conduct and
clean government: reads each year's returns from RAW/<year>/, checks them, computes the
indicators and writes PROCESSED/<year>/ and the HTML reports in REPORTS/.
Exit status: 0 on success, 1 when the returns have problems (all are listed), 2 on usage
errors."""


def _parser() -> argparse.ArgumentParser:
    defaults = Paths.default()
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{build,validate,compare,forms,status}"
    )

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--raw",
            type=Path,
            default=defaults.raw,
            help="folder of year folders with the returns, read only (default: %(default)s)",
        )
        sub.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            metavar="YEAR",
            help="only this year (repeatable; default: every year folder found)",
        )
        sub.add_argument(
            "--all-warnings",
            action="store_true",
            help=f"print every warning (default: a count per kind and the first {WARNING_EXAMPLES} of each)",
        )

    build = commands.add_parser(
        "build",
        help="check the returns, write processed tables and the reports",
        description=(
            "Check every year's returns, then write PROCESSED/<year>/{returns.parquet,indicators.csv,"
            "comparison.csv,findings.csv,warnings.csv,inputs.csv} and REPORTS/<year>.html with "
            "REPORTS/index.html."
        ),
    )
    common(build)
    build.add_argument(
        "--processed",
        type=Path,
        default=defaults.processed,
        help="where the processed tables go (default: %(default)s)",
    )
    build.add_argument(
        "--reports",
        type=Path,
        default=defaults.reports,
        help="where the HTML reports go (default: %(default)s)",
    )
    build.add_argument("--no-reports", action="store_true", help="write the processed tables only")
    build.add_argument(
        "--force",
        action="store_true",
        help=(
            "redo every output, even those whose inputs did not change (default: redo only what changed, as "
            "recorded in PROCESSED/records/)"
        ),
    )
    build.add_argument(
        "--lang",
        action="append",
        dest="langs",
        choices=LANGUAGES,
        metavar="LANG",
        help=f"only the pages in this language (repeatable: {', '.join(LANGUAGES)}; default: all)",
    )
    compare = commands.add_parser(
        "compare",
        help="the later year's report compared with an earlier year instead of the year before",
        description=(
            "Write PROCESSED/<year>/ for both years, then REPORTS/compare-<earlier>-<later>.html and "
            "REPORTS/zh/compare-<earlier>-<later>.html:"
            " the year page of the later year, compared with the earlier year instead of the one before. The "
            "years may be given in either order."
        ),
    )
    compare.add_argument("years", type=int, nargs=2, metavar="YEAR", help="the two years, e.g. 2004 2001")
    compare.add_argument(
        "--raw",
        type=Path,
        default=defaults.raw,
        help="folder of year folders with the returns, read only (default: %(default)s)",
    )
    compare.add_argument(
        "--processed",
        type=Path,
        default=defaults.processed,
        help="where the processed tables go (default: %(default)s)",
    )
    compare.add_argument(
        "--reports",
        type=Path,
        default=defaults.reports,
        help="where the HTML reports go (default: %(default)s)",
    )
    compare.add_argument(
        "--lang",
        action="append",
        dest="langs",
        choices=LANGUAGES,
        metavar="LANG",
        help=f"only the page in this language (repeatable: {', '.join(LANGUAGES)}; default: all)",
    )
    compare.add_argument(
        "--all-warnings",
        action="store_true",
        help=f"print every warning (default: a count per kind and the first {WARNING_EXAMPLES} of each)",
    )
    validate = commands.add_parser(
        "validate",
        help="check the returns and list every problem; writes nothing",
        description="Check every year's returns and list every problem and warning; writes nothing.",
    )
    common(validate)
    _survey_commands(commands, defaults)
    return parser


def _survey_commands(commands: argparse._SubParsersAction, defaults: Paths) -> None:
    """forms and status: sending the form to each unit, and seeing who has answered."""
    forms = commands.add_parser(
        "forms",
        help="write the form each unit of the year's roster is sent, prefilled, and a blank form",
        description=(
            "Write OUT/<unit name>.xlsx for each unit of the roster of YEAR (RAW/roster.csv, or the units "
            "surveyed the latest earlier year), a blank form (空白表) for a unit not on the roster and "
            "发放清单.csv, the list to send them from. OUT defaults to REPORTS/forms/YEAR."
        ),
    )
    forms.add_argument("year", type=int, metavar="YEAR", help="the survey year the forms are for, e.g. 2005")
    forms.add_argument(
        "--raw", type=Path, default=defaults.raw, help="folder of year folders (default: %(default)s)"
    )
    forms.add_argument("--out", type=Path, help="where the forms go (default: reports/forms/YEAR)")
    forms.add_argument(
        "--force", action="store_true", help="write the forms even if the folder already holds files"
    )
    status = commands.add_parser(
        "status",
        help="how many of the roster's units have returned the form, and who is still missing",
        description=(
            "Say how many units of the roster of YEAR have a return in RAW/YEAR, name every unit still "
            "missing, and list returns from units not on the roster and units that returned twice. A return "
            "with errors counts as received (make validate lists the errors). Exit status 0."
        ),
    )
    status.add_argument("year", type=int, metavar="YEAR", help="the survey year, e.g. 2005")
    status.add_argument(
        "--raw", type=Path, default=defaults.raw, help="folder of year folders (default: %(default)s)"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON, for scripts")
    status.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="zh",
        help="the language of the lines printed (default: %(default)s)",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("forms", "status"):
        return _survey(args)
    from analysis.build import build, compare, validate  # after parsing, so --help is instant
    from analysis.progress import for_terminal

    try:
        if args.command == "build":
            paths = Paths(args.raw, args.processed, args.reports)
            langs = tuple(code for code in LANGUAGES if code in (args.langs or LANGUAGES))
            results = build(
                paths,
                years=args.years,
                reports=not args.no_reports,
                progress=for_terminal(),
                langs=langs,
                force=args.force,
            )
        elif args.command == "compare":
            langs = tuple(code for code in LANGUAGES if code in (args.langs or LANGUAGES))
            results = compare(
                Paths(args.raw, args.processed, args.reports),
                *args.years,
                progress=for_terminal(),
                langs=langs,
            )
        else:
            results = validate(Paths(args.raw, Path(), Path()), args.years)
    except ReturnsError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except (UsageError, FileNotFoundError) as exc:  # a folder or year that is not there: a usage error
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: every file is either written in full or left as it was; run the command again to "
            "finish",
            file=sys.stderr,
        )
        return 130
    for year, result in results.items():
        found = warnings(result.findings)
        lines = [f"warning: {f}" for f in found] if args.all_warnings else grouped_warnings(found, year)
        for line in lines:
            print(line, file=sys.stderr)
        if args.command == "validate":
            _say(f"{year}: {len(result.returns)} units read, no errors")
    return 0


def _survey(args: argparse.Namespace) -> int:
    """forms and status: the exit status as for the other commands (status exits 0 whatever it finds)."""
    import json

    from analysis.publish.forms import roster_or_error, write_forms
    from analysis.publish.returns_words import status_lines
    from analysis.publish.wording import language

    try:
        if args.command == "forms":
            out = (
                args.out
                if args.out is not None
                else Paths(args.raw, Path(), Paths.default().reports).forms(args.year)
            )
            written = write_forms(args.year, args.raw, out, force=args.force)
            forms = [p for p in written if p.suffix == ".xlsx"]
            _say(
                f"{args.year}: {len(forms)} forms written to {out} ({len(forms) - 1} units and a blank form)"
            )
            return 0
        from analysis.intake.roster import year_status

        roster_or_error(args.raw, args.year)  # no roster, or one with errors: said as for forms
        status, _ = year_status(args.raw, args.year)
    except ReturnsError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: every file is either written in full or left as it was", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(status.as_dict(), ensure_ascii=False, indent=2))
    else:
        with language(args.lang):
            for line in status_lines(status):
                _say(line)
    return 0


def grouped_warnings(found: list[Finding], year: int, examples: int = WARNING_EXAMPLES) -> list[str]:
    """A few examples per kind and a count, so 100,000 units do not print 24,000 lines."""
    kinds: dict[str, list[Finding]] = {}
    for finding in found:
        kinds.setdefault(finding.kind or "other", []).append(finding)
    lines = []
    for kind, group in kinds.items():
        lines += [f"warning: {f}" for f in group[:examples]]
        if len(group) > examples:
            lines.append(
                f"warning: ... and {len(group) - examples} more {kind} warnings for {year}; --all-warnings "
                "prints them,"
                f" and a build lists every warning in <processed>/{year}/warnings.csv and the report"
            )
    return lines


def _say(message: str) -> None:
    print(message, flush=True)
