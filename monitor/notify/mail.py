"""The email notifier: one message per pass over SMTP, text and HTML, headers no input can add to.

A story's label is an article's title, and it goes into the subject. Raw line breaks are
the obvious attack; RFC 2047 encoded words are the other: `=?UTF-8?Q?=0D=0ABcc:_x@y?=` is
printable, and the email package decodes it when the header is set and writes the decoded
line break out as a new header line. So every header we write is made from text that is
decoded first (as the email package would decode it), then flattened to one printable line,
with any encoded word left after that defused; and the message is checked before it is
sent: exactly the headers we set, or it is not sent.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ..errors import describe
from .deadline import Deadline, NotifyError
from .formats import as_markdown, as_text
from .html import as_html
from .model import Digest, flat

# Longest mail subject we write: RFC 5322 advises lines under 78 characters, and clients cut
# subjects near there anyway.
SUBJECT_CHARS = 120
# Rounds of RFC 2047 decoding before what is left is defused. A real title is encoded once
# at most (a feed that encoded it twice is rare); each round peels one layer an attacker added.
DECODE_ROUNDS = 3


def to_email(notifier, digest: Digest, store, stop=None) -> None:
    message = mail_message(notifier, digest)
    with Deadline(notifier.timeout, stop) as deadline:
        try:
            with _smtp(notifier, deadline) as smtp:
                if notifier.username:
                    smtp.login(notifier.username, _password(notifier))
                smtp.send_message(message)
        # UnicodeError: a host the resolver cannot encode (a label over 63 characters)
        except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as exc:
            reason = deadline.reason if deadline.expired else _reason(exc)
            raise NotifyError(f"{notifier.host}:{notifier.port}: {reason}") from exc


def _reason(exc: BaseException) -> str:
    """What went wrong in words a user can act on: the setting to change where there is one,
    an OS error's own text without "[Errno 111]"."""
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc).upper():
        return ("the server does not offer STARTTLS (tls = \"starttls\"): set tls = \"ssl\" for a server that "
                "speaks TLS from the start (port 465), or tls = \"none\" for a local relay without TLS")
    return describe(exc)


def mail_message(notifier, digest: Digest) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = header_text(subject_line(digest))
    try:
        message["From"] = Address(addr_spec=notifier.sender)
        message["To"] = [Address(addr_spec=address) for address in notifier.to]
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise NotifyError(f"not a usable mail address in from or to: {exc}") from exc
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=header_text(notifier.sender.rsplit("@", 1)[-1]))
    message.set_content(as_text(digest) if notifier.format != "md" else as_markdown(digest))
    if notifier.format == "html":
        message.add_alternative(as_html(digest), subtype="html")
    _check_headers(message)
    return message


def subject_line(digest: Digest) -> str:
    """"monitor: 3 new alerts: <first story>", one line whatever a story's label holds."""
    stories = [header_text(s.label) for s in digest.stories]
    text = digest.title + (f": {stories[0]}" if stories else "") + (f" and {len(stories) - 1} more"
                                                                    if len(stories) > 1 else "")
    line = flat(text)
    return line if len(line) <= SUBJECT_CHARS else line[:SUBJECT_CHARS - 1] + "…"


def header_text(value) -> str:
    """`value` as a header may hold it: encoded words decoded the way the email package would
    decode them when the header is set, one printable line, and no encoded word left."""
    text = flat(value)
    for _ in range(DECODE_ROUNDS):
        if "=?" not in text:
            return text
        decoded = flat(str(policy.default.header_factory("subject", text)))
        if decoded == text:
            break
        text = decoded
    # Still "=?": a literal one, or more layers than a real title has. Broken up, it is shown
    # as written and no later parse decodes it into anything.
    return text.replace("=?", "= ?")


def _check_headers(message: EmailMessage) -> None:
    """The message as it will be sent, read back: exactly the headers that were set, each once."""
    sent = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    names = sorted(name.lower() for name in sent.keys())
    if names != sorted(name.lower() for name in message.keys()):
        raise NotifyError(f"refused to send: the message would carry the headers {', '.join(names)}")


class _Watched:
    """smtplib's connection, bounded by the delivery's total deadline: connected within the
    time left, and shut down when it runs out (smtplib's own timeout is per read)."""

    def __init__(self, deadline: Deadline, *args, **kwargs):
        self._deadline = deadline
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, self._deadline.left(timeout))
        self._deadline.watch(sock)
        return sock


class _SMTP(_Watched, smtplib.SMTP):
    pass


class _SMTP_SSL(_Watched, smtplib.SMTP_SSL):
    pass


def _smtp(notifier, deadline: Deadline):
    context = ssl.create_default_context(cafile=notifier.ca_file)
    if notifier.tls == "ssl":
        return _SMTP_SSL(deadline, notifier.host, notifier.port, timeout=notifier.timeout, context=context)
    smtp = _SMTP(deadline, notifier.host, notifier.port, timeout=notifier.timeout)
    if notifier.tls == "starttls":
        try:
            smtp.starttls(context=context)      # raises if the server does not offer it: never fall back
        except BaseException:
            smtp.close()
            raise
    return smtp


def _password(notifier) -> str:
    if notifier.password_env:
        value = os.environ.get(notifier.password_env)
        if value is None:
            raise NotifyError(f"the environment variable {notifier.password_env} (password_env) is not set")
        return value
    if notifier.password is None:
        raise NotifyError("username is set but neither password_env nor password is")
    return notifier.password
