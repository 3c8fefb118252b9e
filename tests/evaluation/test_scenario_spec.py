"""A scenario's workspace.json is read in its author's words: roles we do not use map onto ours."""

import json
from pathlib import Path

from vectoros_pipelines.scenario import read_spec


def test_roles_in_other_words_map_onto_the_workspace_roles(tmp_path: Path) -> None:
    (tmp_path / "workspace.json").write_text(json.dumps({
        "name": "Brenner", "domains": ["brenner.de"], "as_of": "2026-10-20T09:00:00+02:00",
        "users": [{"email": "a@brenner.de", "role": "Owner"}, {"email": "b@brenner.de", "role": "member"},
                  {"email": "c@brenner.de", "role": "read-only"}, {"email": "d@brenner.de"}],
    }))
    spec = read_spec(tmp_path)
    assert [u["role"] for u in spec.users] == ["admin", "user", "viewer", "user"]
    assert spec.timezone == "UTC" and spec.as_of is not None and spec.as_of.utcoffset() is not None
