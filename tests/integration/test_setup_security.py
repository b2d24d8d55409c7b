"""`panier es setup-security` needs a secured cluster; on the local engine it says so and stops.

The local engine has no x-pack, so no security APIs: the command must refuse in one sentence,
before creating anything. The roles and keys it creates on a secured cluster are specified in
tests/unit/test_security.py.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import main
from panier_core import security


def test_the_local_engine_reports_security_as_not_enabled(es):
    assert security.security_enabled(es) is False


def test_setup_security_on_the_local_engine_fails_with_one_clear_sentence(env, tmp_path: Path):
    keys_dir = tmp_path / "keys"
    result = CliRunner().invoke(main, ["es", "setup-security", "--keys-dir", str(keys_dir)])
    assert result.exit_code == 1, result.output
    assert "Error: security is not enabled on this cluster" in result.output
    assert env.es_url in result.output
    assert "Traceback" not in result.output
    assert not keys_dir.exists()
