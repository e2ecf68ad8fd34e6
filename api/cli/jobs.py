"""``wangge jobs run|list`` and ``wangge worker``: the scheduled work, by hand or on a schedule."""

from __future__ import annotations

import json
import os

import typer

from api.cli.common import fail, info


def _print_outcome(outcome, *, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(outcome.as_dict(), ensure_ascii=False, default=str))
        return
    mark = {"ok": "完成 ok", "failed": "失败 failed", "skipped": "跳过 skipped"}[outcome.outcome]
    detail = outcome.error or ", ".join(f"{k}={v}" for k, v in outcome.counts.items())
    info(f"{outcome.job} {outcome.county}: {mark} in {outcome.seconds:.1f} s · {detail}")


def register(app: typer.Typer) -> None:
    """Add the ``jobs`` group and the ``worker`` command to ``app``."""
    jobs_app = typer.Typer(help="The scheduled jobs: nightly scoring and the overdue sweep.")
    app.add_typer(jobs_app, name="jobs")

    @jobs_app.command("run")
    def run(
        job: str = typer.Argument(..., help="nightly | sweep"),
        county: str = typer.Option(None, help="one county code (default: the only one loaded)"),
        all_counties: bool = typer.Option(False, "--all", help="every county loaded"),
        scheduler: str = typer.Option(
            None, help="an existing Dask scheduler, tcp://host:8786 (default: a local cluster)"
        ),
        workers: int = typer.Option(None, help="local worker processes (default: the cores)"),
        as_json: bool = typer.Option(False, "--json", help="one JSON line per county on stdout"),
    ) -> None:
        """Run a job now, for one county or for all of them (fanned out over Dask)."""
        from api.cli.common import engine_in_use
        from core.errors import WanggeError
        from core.schedule import JOB_NAMES
        from geo.database.engine import database_url
        from services import jobs, risk

        if job not in JOB_NAMES:
            raise fail(f"未知任务 unknown job {job!r}: use {' or '.join(JOB_NAMES)}", code=2)
        if county and all_counties:
            raise fail("--county 与 --all 只能选一个 (give --county or --all, not both)", code=2)
        url = database_url()
        if all_counties:
            counties = jobs.counties_in(url)
            workers = workers or (None if scheduler else os.cpu_count() or 2)
        else:
            engine = engine_in_use()
            try:
                counties = [risk.county_or_default(engine, county)]
            except (WanggeError, ValueError) as exc:
                raise fail(str(exc), code=2) from exc
            finally:
                engine.dispose()
        if not counties:
            raise fail("数据库中没有县 no county is loaded")
        outcomes = jobs.run_for_counties(
            url, job, counties, scheduler=scheduler, workers=workers,
            on_done=lambda outcome: _print_outcome(outcome, as_json=as_json),
        )  # fmt: skip
        failed = [o for o in outcomes if o.outcome == "failed"]
        info(f"{job}: {len(outcomes) - len(failed)} of {len(outcomes)} counties done")
        if failed:
            raise typer.Exit(1)

    @jobs_app.command("list")
    def list_runs(
        job: str = typer.Option(None, help="only this job"),
        county: str = typer.Option(None, help="only this county"),
        as_json: bool = typer.Option(False, "--json", help="JSON on stdout"),
    ) -> None:
        """The latest recorded runs, newest first."""
        from api.cli.common import engine_in_use
        from services import jobs

        engine = engine_in_use()
        try:
            rows = jobs.recent_runs(engine, job=job, county=county)
        finally:
            engine.dispose()
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, default=str))
            return
        for row in rows:
            figures = row["error"] or json.dumps(row["counts"], ensure_ascii=False)
            typer.echo(
                f"{row['started_at']:%Y-%m-%d %H:%M} {row['job']:8} {row['county_code']} "
                f"{row['outcome']:8} {figures}"
            )

    @app.command()
    def worker(
        scheduler: str = typer.Option(
            None, envvar="WANGGE_DASK_SCHEDULER", help="an existing Dask scheduler, tcp://host:8786"
        ),
        workers: int = typer.Option(None, help="local worker processes per run (default: 1)"),
    ) -> None:
        """Run the jobs on their schedule (WANGGE_SCHEDULE, Beijing time) until stopped."""
        from core.schedule import ScheduleError, parse_schedule
        from geo.database.engine import database_url
        from services.worker import run_worker

        try:
            schedule = parse_schedule(os.environ.get("WANGGE_SCHEDULE"))
        except ScheduleError as exc:
            raise fail(str(exc), code=2) from exc
        info(
            "worker: "
            + "; ".join(f"{job} at '{cron}' (北京时间)" for job, cron in schedule.items())
        )
        run_worker(
            database_url(), schedule, scheduler=scheduler or None, workers=workers,
            on_done=lambda outcome: _print_outcome(outcome, as_json=False),
        )  # fmt: skip
