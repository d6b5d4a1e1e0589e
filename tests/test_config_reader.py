"""The reader's own settings in config.toml: `[general] refresh_on_start`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_news.config import ConfigError, load_config


def test_refresh_on_start_defaults_to_true_and_can_be_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_config(path).refresh_on_start is True  # no file: defaults
    path.write_text("[general]\nrefresh_on_start = false\n", encoding="utf-8")
    assert load_config(path).refresh_on_start is False
    path.write_text("[general]\nrefresh_on_start = true\n", encoding="utf-8")
    assert load_config(path).refresh_on_start is True


def test_refresh_on_start_must_be_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[general]\nlanguage = "vi"\nrefresh_on_start = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (f"{path}:3: general.refresh_on_start must be true or false, "
                                 "not str")
