"""`[network] per_host`: how many requests a refresh keeps in flight to one site."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from safety_helpers import good_feed, hostile_server, send_response

from tui_news.config import DEFAULT_PER_HOST, ConfigError, load_config
from tui_news.refresh import run_refresh
from tui_news.store import Store


def test_per_host_default_and_range(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_config(path).per_host == DEFAULT_PER_HOST
    path.write_text("[network]\nper_host = 3\n", encoding="utf-8")
    assert load_config(path).per_host == 3
    for bad in ("0", "17"):
        path.write_text(f"[network]\nper_host = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert str(caught.value) == f"{path}:2: network.per_host must be between 1 and 16"
    path.write_text('[network]\nper_host = "8"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="network.per_host must be an integer"):
        load_config(path)


@pytest.mark.parametrize("per_host", [2, 5])
def test_refresh_keeps_per_host_requests_in_flight_to_one_site(tmp_path: Path,
                                                              per_host: int) -> None:
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def handler(conn: socket.socket, path: str, headers: dict[str, str]) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.2)  # long enough for every free slot to be taken meanwhile
        with lock:
            state["now"] -= 1
        send_response(conn, good_feed(path.strip("/")), {"Content-Type": "application/rss+xml"})

    with hostile_server(handler) as server:
        lines = ["[network]", f"per_host = {per_host}", "concurrency = 16", ""]
        for i in range(12):
            lines += ["[[feeds]]", f'url = "{server.url(f"/f{i}")}"', 'category = "Thời sự"', ""]
        config_path = tmp_path / "config.toml"
        config_path.write_text("\n".join(lines), encoding="utf-8")
        summary = run_refresh(load_config(config_path), tmp_path / "cache.db", weather=False)
    assert [r.status for r in summary.results] == ["ok"] * 12
    assert state["peak"] == per_host
    with Store.open(tmp_path / "cache.db") as store:
        assert len(store.feeds()) == 12
