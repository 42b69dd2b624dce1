"""Issue 12, the config side: values that passed validation and crashed later, or hung, or
opened a hole, are refused when the config is read, in the config's one voice: the file, the
key, the value and what is allowed, and exit 2 from the commands.

Real parts only: config files (and a FIFO) in tmp_path, the real loader and the real CLI
(in-process, or in a subprocess where today's code would hang).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import invoke

from monitor import config as config_module

FEED = 'name = "A"\nkind = "feed"\nurl = "https://example.org/feed.xml"\n'
FILES = 'name = "A"\nkind = "files"\npath = "inbox"\n'
EMAIL = ('[[notifiers]]\nname = "mail"\nkind = "email"\nfrom = "monitor@example.org"\nto = "desk@example.org"\n')


def load_error(tmp_path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.load(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message, message
    return message


def loads(tmp_path, text: str) -> config_module.Config:
    path = tmp_path / "good.toml"
    path.write_text(text, encoding="utf-8")
    return config_module.load(path)


# --- durations ----------------------------------------------------------------------------------

ABSURD_DURATIONS = {
    "inf": ("[[sources]]\n" + FEED + "every = inf\n", "sources[0].every"),
    "-inf": ("[[sources]]\n" + FEED + "every = -inf\n", "sources[0].every"),
    "nan": ("[[sources]]\n" + FEED + "every = nan\n", "sources[0].every"),
    "1e308": ("[[sources]]\n" + FEED + "every = 1e308\n", "sources[0].every"),
    "a huge integer": ("[[sources]]\n" + FEED + "every = 9223372036854775807\n", "sources[0].every"),
    "99999999999d": ("[[sources]]\n" + FEED + 'every = "99999999999d"\n', "sources[0].every"),
    "fetch timeout 1e308": ("[fetch]\ntimeout = 1e308\n", "fetch.timeout"),
    "notifier timeout inf": ('[[notifiers]]\nkind = "file"\npath = "out"\ntimeout = inf\n', "notifiers[0].timeout"),
}


@pytest.mark.parametrize("case", sorted(ABSURD_DURATIONS))
def test_absurd_durations_are_refused_naming_the_key(tmp_path, case):
    text, key = ABSURD_DURATIONS[case]
    message = load_error(tmp_path, text)
    assert key in message and "duration" in message, message


def test_long_but_real_durations_still_load(tmp_path):
    config = loads(tmp_path, "[[sources]]\n" + FEED + 'every = "30d"\n[fetch]\ntimeout = 120\n')
    assert config.sources[0].every == 30 * 86400 and config.fetch.timeout == 120


def test_an_infinite_interval_is_exit_2_not_a_crash_later(tmp_path):
    path = tmp_path / "inf.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "m.db"}"\n[[sources]]\n' + FILES + "every = inf\n",
                    encoding="utf-8")
    for command in ("run", "status"):
        result = invoke(command, "--config", path)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr.startswith("error: ") and "sources[0].every" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "m.db").exists()


# --- globs ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("glob", ["/etc/*", "/etc/passwd", "../*", "**/../../etc/*", "a/../../b", ".."])
def test_a_glob_outside_the_folder_is_refused(tmp_path, glob):
    message = load_error(tmp_path, "[[sources]]\n" + FILES + f"glob = {glob!r}\n".replace("'", '"'))
    assert "sources[0].glob" in message and repr(glob) in message, message


@pytest.mark.parametrize("glob", ["*.txt", "**/*", "2024/**/*.md", "a..b.txt", "[!.]*.html"])
def test_ordinary_globs_still_load(tmp_path, glob):
    assert loads(tmp_path, "[[sources]]\n" + FILES + f'glob = "{glob}"\n').sources[0].glob == glob


# --- files that are not config files ---------------------------------------------------------------

def _monitor(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "monitor", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_a_fifo_as_config_is_refused_at_once(tmp_path):
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    try:
        result = _monitor("run", "--config", fifo)
    except subprocess.TimeoutExpired:
        pytest.fail("monitor run --config FIFO hung: it waited for a writer")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and str(fifo) in result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["a character device", "a folder"])
def test_a_device_or_a_folder_as_config_is_refused(tmp_path, kind):
    # /dev/null, not /dev/zero: were the check gone, /dev/zero would fill this test's memory
    path = "/dev/null" if kind == "a character device" else str(tmp_path)
    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.load(path)
    assert path in str(caught.value) and f"not a regular file ({kind})" in str(caught.value)


def test_a_config_larger_than_any_real_one_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as out:
        out.write(b"# " + b"x" * (8 * 1024 * 1024) + b"\n")
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.load(path)
    assert str(path) in str(caught.value) and "bytes" in str(caught.value)


# --- mail passwords in clear text ----------------------------------------------------------------------

@pytest.mark.parametrize("secret", ['password = "hunter2"\n', 'password_env = "SMTP_PASSWORD"\n'])
def test_a_password_in_clear_to_a_remote_mail_host_is_refused(tmp_path, secret):
    text = EMAIL + 'host = "smtp.example.org"\nport = 25\ntls = "none"\nusername = "monitor"\n' + secret
    message = load_error(tmp_path, text)
    assert "notifiers[0].tls" in message and "'none'" in message and "smtp.example.org" in message, message
    assert "starttls" in message and "hunter2" not in message


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.0.53", "::1", "LOCALHOST"])
def test_a_password_in_clear_to_this_machine_is_allowed(tmp_path, host):
    text = EMAIL + f'host = "{host}"\nport = 25\ntls = "none"\nusername = "monitor"\npassword_env = "P"\n'
    assert loads(tmp_path, text).notifiers[0].host == host


def test_clear_text_mail_without_a_login_is_allowed(tmp_path):
    assert loads(tmp_path, EMAIL + 'host = "relay.example.org"\nport = 25\ntls = "none"\n').notifiers[0].tls == "none"


# --- names that would forge log lines -------------------------------------------------------------------

FORGING_NAMES = ["feed\nerror: notifier mail: forged", "feed\rok", "feed\x1b[31mred", "feed\x00", "feed\u2028x",
                 "feed\u202egnp.", "feed\x85x", "feed\tx"]


@pytest.mark.parametrize("name", FORGING_NAMES)
def test_a_source_name_with_a_control_character_is_refused(tmp_path, name):
    text = f'[[sources]]\nname = "{name.encode("unicode_escape").decode()}"\nkind = "feed"\n' \
           'url = "https://example.org/feed.xml"\n'
    message = load_error(tmp_path, text.replace("\\x", "\\u00"))
    assert "sources[0].name" in message and "control" in message, message


def test_a_notifier_name_with_a_newline_is_refused(tmp_path):
    message = load_error(tmp_path, '[[notifiers]]\nname = "out\\nerror: forged"\nkind = "file"\npath = "out"\n')
    assert "notifiers[0].name" in message and "control" in message, message


def test_names_in_any_script_still_load(tmp_path):
    names = ["Reuters — world", "وكالة الأنباء", "خبرگزاری\u200cها", "新华社", "Le Monde (fr)"]   # \u200c: ZWNJ
    text = "".join(f'[[sources]]\nname = "{n}"\nkind = "feed"\nurl = "https://example.org/{i}.xml"\n'
                   for i, n in enumerate(names))
    assert [s.name for s in loads(tmp_path, text).sources] == names


# --- private and metadata literals in source URLs --------------------------------------------------------

PRIVATE_LITERALS = ["http://127.0.0.1/feed.xml", "http://127.0.0.1:8080/feed.xml", "http://[::1]/feed.xml",
                    "http://10.0.0.5/feed.xml", "https://192.168.1.1/", "http://172.16.3.4/x",
                    "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "http://[fd12::1]/", "http://[2002:a00:1::]/",
                    "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0.0.0.0/"]


@pytest.mark.parametrize("url", PRIVATE_LITERALS)
def test_a_private_literal_source_url_is_refused_naming_the_key(tmp_path, url):
    message = load_error(tmp_path, f'[[sources]]\nname = "A"\nkind = "page"\nurl = "{url}"\n')
    assert "sources[0].url" in message and url in message and "allow_private" in message, message


def test_a_private_literal_is_refused_in_the_third_source_naming_it(tmp_path):
    text = "".join(f'[[sources]]\nname = "S{i}"\nkind = "wordpress"\nurl = "{u}"\n'
                   for i, u in enumerate(["https://a.example.org", "https://b.example.org", "http://10.1.2.3"]))
    assert "sources[2].url" in load_error(tmp_path, text)


@pytest.mark.parametrize("where", ["source", "fetch"])
def test_a_private_literal_loads_where_allow_private_says_so(tmp_path, where):
    source = '[[sources]]\nname = "A"\nkind = "feed"\nurl = "http://10.0.0.5/feed.xml"\n'
    text = source + "allow_private = true\n" if where == "source" else "[fetch]\nallow_private = true\n" + source
    assert loads(tmp_path, text).sources[0].allow_private is True


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                                 "http://[::ffff:169.254.170.2]/", "http://100.100.100.200/"])
def test_a_metadata_literal_is_refused_even_with_allow_private(tmp_path, url):
    message = load_error(tmp_path, '[fetch]\nallow_private = true\n'
                                   f'[[sources]]\nname = "A"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n')
    assert "sources[0].url" in message and "metadata" in message, message


def test_allow_private_per_source_defaults_to_the_fetch_table_and_is_checked(tmp_path):
    two = ('[[sources]]\nname = "intranet"\nkind = "feed"\nurl = "http://10.0.0.5/f"\nallow_private = true\n'
           '[[sources]]\nname = "public"\nkind = "feed"\nurl = "https://example.org/f"\n')
    config = loads(tmp_path, two)
    assert [s.allow_private for s in config.sources] == [True, False]
    assert not config.fetch.allow_private
    opened = two.replace("allow_private = true", "allow_private = false").replace("10.0.0.5", "example.net")
    config = loads(tmp_path, "[fetch]\nallow_private = true\n" + opened)
    assert [s.allow_private for s in config.sources] == [False, True]
    message = load_error(tmp_path, "[[sources]]\n" + FEED + 'allow_private = "yes"\n')
    assert "sources[0].allow_private" in message and "true or false" in message


# --- hosts the resolver cannot look up (a label over 63 characters, an empty label) ----------------

LONG_LABEL = "a" * 70 + ".example.com"
UNRESOLVABLE_HOSTS = {
    "webhook url": ('[[notifiers]]\nname = "hook"\nkind = "webhook"\n'
                    f'url = "http://{LONG_LABEL}/hook"\n', "notifiers[0].url"),
    "email host": (EMAIL + f'host = "{LONG_LABEL}"\n', "notifiers[0].host"),
    "source url": (f'[[sources]]\nname = "A"\nkind = "feed"\nurl = "https://{LONG_LABEL}/feed.xml"\n',
                   "sources[0].url"),
    "unparseable url": ('[[notifiers]]\nname = "hook"\nkind = "webhook"\nurl = "http://[::1/hook"\n',
                        "notifiers[0].url"),
    "empty label": ('[[notifiers]]\nname = "hook"\nkind = "webhook"\nurl = "http://ex\\u00e4mple..com/hook"\n',
                    "notifiers[0].url"),
}


@pytest.mark.parametrize("case", sorted(UNRESOLVABLE_HOSTS))
def test_a_host_no_resolver_can_look_up_is_refused_naming_the_key(tmp_path, case):
    text, key = UNRESOLVABLE_HOSTS[case]
    message = load_error(tmp_path, text)
    assert key in message and ("63" in message or "not a usable URL" in message), message


def test_a_long_host_label_is_exit_2_from_the_notify_command(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text(UNRESOLVABLE_HOSTS["webhook url"][0], encoding="utf-8")
    result = invoke("notify", "--config", path)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "notifiers[0].url" in result.stderr


@pytest.mark.parametrize("host", ["example.org", "bücher.example", "xn--bcher-kva.example", "smtp.example.org.",
                                  "127.0.0.1", "::1", "a" * 63 + ".example.com"])
def test_hosts_a_resolver_takes_still_load(tmp_path, host):
    hook = f"[{host}]" if ":" in host else host
    text = (EMAIL + f'host = "{host}"\n' + '[[notifiers]]\nname = "hook"\nkind = "webhook"\n'
            f'url = "http://{hook}/hook"\n')
    assert [n.kind for n in loads(tmp_path, text).notifiers] == ["email", "webhook"]


# --- an interval that would hammer a server, a User-Agent that breaks every request, encoded mail addresses ---

@pytest.mark.parametrize("every", ["1e-7", '"0.0000001s"', "0.001", '"0.009s"'])
def test_an_interval_under_the_minimum_is_refused_naming_the_key(tmp_path, every):
    message = load_error(tmp_path, "[[sources]]\n" + FEED + f"every = {every}\n")
    assert "sources[0].every" in message and "at least" in message and f'"{config_module.EVERY_MIN:g}s"' in message, \
        message


@pytest.mark.parametrize("key", ["fetch.timeout", "notifiers[0].timeout"])
def test_a_timeout_under_the_minimum_is_refused_naming_the_key(tmp_path, key):
    text = ("[fetch]\ntimeout = 1e-7\n" if key == "fetch.timeout"
            else '[[notifiers]]\nkind = "file"\npath = "out"\ntimeout = "0.0000001s"\n')
    message = load_error(tmp_path, text)
    assert key in message and "at least" in message, message


def test_the_shortest_allowed_durations_still_load(tmp_path):
    config = loads(tmp_path, '[fetch]\ntimeout = "0.1s"\n[[sources]]\n' + FEED + 'every = 0.01\n')
    assert config.sources[0].every == 0.01 and config.fetch.timeout == 0.1


@pytest.mark.parametrize("agent", ["monitor\\r\\nX-Injected: 1", "monitor\\nx", "monitor\\u0000", "monitor\\u007f",
                                   "monitor\\tx", "monitor\\u0085", "monitor\\u2028", "monitör"])
def test_a_user_agent_with_control_characters_is_refused(tmp_path, agent):
    message = load_error(tmp_path, f'[fetch]\nuser_agent = "{agent}"\n')
    assert "fetch.user_agent" in message and "printable ASCII" in message, message


def test_an_ordinary_user_agent_still_loads(tmp_path):
    agent = "monitor/1.0 (+https://example.org/about; desk@example.org)"
    assert loads(tmp_path, f'[fetch]\nuser_agent = "{agent}"\n').fetch.user_agent == agent


ENCODED_ADDRESSES = ["=?utf-8?b?YUBiLm9yZw==?=@b.org", "desk@=?utf-8?q?evil?=.org", "a..b@example.org",
                     "a@b@example.org", '"a b"@example.org', "a@[not an address]"]


@pytest.mark.parametrize("key", ["from", "to"])
@pytest.mark.parametrize("address", ENCODED_ADDRESSES)
def test_a_mail_address_the_message_would_refuse_is_refused_at_load(tmp_path, key, address):
    table = {"from": "monitor@example.org", "to": "desk@example.org", key: address}
    text = ('[[notifiers]]\nname = "mail"\nkind = "email"\nhost = "localhost"\n'
            f'from = {json.dumps(table["from"])}\nto = {json.dumps(table["to"])}\n')
    message = load_error(tmp_path, text)
    assert f"notifiers[0].{key}" in message and "mail address" in message, message


def test_an_encoded_address_is_exit_2_from_the_run_command(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[[notifiers]]\nname = "mail"\nkind = "email"\nhost = "localhost"\nfrom = "monitor@example.org"\n'
                    'to = "=?utf-8?b?YUBiLm9yZw==?=@b.org"\n', encoding="utf-8")
    result = invoke("run", "--config", path)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "notifiers[0].to" in result.stderr


@pytest.mark.parametrize("address", ["desk@example.org", "first.last+alerts@sub.example.co.uk", "desk@bücher.example"])
def test_ordinary_mail_addresses_still_load(tmp_path, address):
    text = EMAIL.replace("desk@example.org", address) + 'host = "localhost"\n'
    assert loads(tmp_path, text).notifiers[0].to == (address,)
