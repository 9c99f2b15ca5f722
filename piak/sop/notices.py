"""In-app notices (with an email copy where the official has an address), written by `sop.services` in
the transaction of the change they announce: a new task, returned work, a case that ended, a time standard
running out. Each (step run, level, user) is told exactly once."""

import logging
import smtplib

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from piak.core.models import User
from piak.core.selectors import holding_for, role_holders_on
from piak.core.waktu import waktu_wib

from .definition import Definition, Step
from .models import Case, Notification, StepRun

logger = logging.getLogger(__name__)
Level = Notification.Level


def notify_once(run: StepRun, level: str, recipients: list[User], text: str) -> list[User]:
    """Create the notice for each recipient not yet told, and queue its email copy after commit."""
    told = []
    for user in dict.fromkeys(recipients):
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, step_run=run, level=level, pesan=text)
        except IntegrityError:
            continue
        told.append(user)
    _email_later(told, f"[PIAK] {Level(level).label}: {run.case.judul}", text)
    return told


def _send_quietly(subject: str, text: str, addresses: list[str]) -> None:
    """Email is a courtesy copy of the in-app notice: a mail server outage must not fail the action."""
    try:
        send_mail(subject, text, None, addresses)
    except (OSError, smtplib.SMTPException):
        logger.exception("notice email to %s failed", addresses)


def _email_later(users: list[User], subject: str, text: str) -> None:
    addresses = [u.email for u in users if u.email]
    if addresses:
        transaction.on_commit(lambda: _send_quietly(subject, text, addresses))


def performers_of(run: StepRun) -> list[User]:
    """Who the open step waits for: its assignee while they hold the role, otherwise every holder of it."""
    today = timezone.localdate()
    if run.ditugaskan_ke_id and holding_for(user=run.ditugaskan_ke, role=run.peran, on=today):
        return [run.ditugaskan_ke]
    return [h.user for h in role_holders_on(role=run.peran, on=today)]


def _case_label(run: StepRun, step: Step) -> str:
    return f"Berkas \u201c{run.case.judul}\u201d langkah {step.no} ({step.aktivitas})"


def task_opened(run: StepRun, step: Step, *, actor: User) -> None:
    """Tell whoever the new step waits for (not the official who just moved it on to themselves)."""
    recipients = [u for u in performers_of(run) if u.pk != actor.pk]
    notify_once(run, Level.TUGAS, recipients, f"Tugas baru: {_case_label(run, step)} menunggu tindakan Anda.")


def work_returned(run: StepRun, step: Step, *, actor: User, reason: str) -> None:
    """Tell the step's performers that the document came back to them, and why."""
    recipients = [u for u in performers_of(run) if u.pk != actor.pk]
    text = f"Dikembalikan: {_case_label(run, step)} dikembalikan oleh {actor.display_name} untuk perbaikan: {reason}"
    notify_once(run, Level.DIKEMBALIKAN, recipients, text)


def case_ended(case: Case, last_run: StepRun, *, actor: User) -> None:
    """Tell the official who started the case that it is finished or cancelled."""
    if case.dimulai_oleh_id == actor.pk:
        return
    if case.status == Case.Status.SELESAI:
        level, text = Level.SELESAI, f"Selesai: berkas \u201c{case.judul}\u201d telah selesai seluruh langkahnya."
    else:
        level = Level.DIBATALKAN
        text = f"Dibatalkan: berkas \u201c{case.judul}\u201d dibatalkan oleh {actor.display_name}: {case.alasan_batal}"
    notify_once(last_run, level, [case.dimulai_oleh], text)


def sla_recipients(run: StepRun, level: str, definition: Definition) -> list[User]:
    """A warning goes to the performers; an overdue alert to their superior (the SOP's `atasan`)."""
    if level == Level.PERINGATAN:
        return performers_of(run)
    superior = definition.atasan.get(run.peran)
    return [h.user for h in role_holders_on(role=superior, on=timezone.localdate())] if superior else []


def sla_text(run: StepRun, level: str, step: Step) -> str:
    state = "mendekati batas" if level == Level.PERINGATAN else "MELEWATI batas"
    return f"{_case_label(run, step)} {state} standar waktu {step.waktu}; tenggat {waktu_wib(run.tenggat)}."
