"""`hedgekeeper simulate`: bad input is one clear line (exit code 2), before any chain is started."""

from __future__ import annotations

import pytest

from hedgekeeper.cli import main


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--steps", "0"], "--steps must be >= 1"),
        (["--step-seconds", "10"], "--step-seconds must be a whole number >= 300"),
        (["--scenario", "brownian"], "unknown scenario 'brownian'"),
        (["--scenario", "file"], "--scenario file needs a path"),
        (["--scenario", "file:"], "needs a path after 'file:'"),
        (["--scenario", "file:/nonexistent/prices.csv"], "/nonexistent/prices.csv"),
        (["--scenario", "file:/nonexistent/prices.csv", "--realized-vol", "0.5"], "--realized-vol does not apply"),
        (["--implied-vol", "-0.2"], "implied_vol"),
        (["--realized-vol", "-1"], "realized_vol"),
        (["--policy", "martingale"], "martingale"),
        (["--param", "band"], "key=value"),
        (["--policy", "fixed_band", "--param", "band=-1"], "band"),
        (["--vol-reversion", "2"], "vol reversion must be in [0, 1]"),
        (["--rpc", "http://127.0.0.1:9"], "no Ethereum node answers at http://127.0.0.1:9"),
    ],
)
def test_bad_input_is_one_line(args, needle, capsys, tmp_path):
    code = main(["simulate", "--out", str(tmp_path / "rep"), *args])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("error: ")
    assert needle in err
    assert not (tmp_path / "rep").exists()


def test_short_price_file_fails_before_the_chain(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text("timestamp,price\n0,2000\n3600,2010\n")
    code = main(["simulate", "--scenario", f"file:{f}", "--steps", "5", "--out", str(tmp_path / "rep")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "covers 3600 s" in err
