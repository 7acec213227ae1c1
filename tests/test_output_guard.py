"""The guard that no output replaces an input works each path out once: a thousand summaries against a thousand
reviews took 75 s of CPU when every pair was compared (each comparison resolving both paths and probing whether
the file system ignores case)."""

import pytest

from partnerxl.core.errors import PartnerXLError
from partnerxl.operations import common
from partnerxl.operations.common import refuse_output_over_input, same_file


def test_one_case_probe_per_folder_and_every_kind_of_clash_still_refused(tmp_path, monkeypatch):
    inputs = tmp_path / "reviews"
    inputs.mkdir()
    sources = [inputs / f"R{i:03}.xlsx" for i in range(200)]
    for s in sources[:150]:
        s.write_bytes(b"x")  # 50 of the inputs do not exist (yet): compared by name
    probes = []
    real = common._ignores_case
    monkeypatch.setattr(common, "_ignores_case", lambda folder: probes.append(folder) or real(folder))
    outs = [tmp_path / "out" / f"Summary {i}.xlsx" for i in range(200)]
    refuse_output_over_input(outs, sources, option="--out")
    assert len(set(probes)) == len(probes) <= 2
    (tmp_path / "link.xlsx").symlink_to(sources[3])
    clashes = [inputs / ".." / "reviews" / "R007.xlsx", tmp_path / "link.xlsx", sources[170]]
    for clash in clashes:
        with pytest.raises(PartnerXLError, match="is one of the inputs"):
            refuse_output_over_input([*outs, clash], sources, option="--out")
    assert same_file(tmp_path / "link.xlsx", sources[3]) and not same_file(sources[3], sources[4])
