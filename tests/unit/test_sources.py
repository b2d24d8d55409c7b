"""Reading source files: JSON Lines and CSV, gzip, and bad lines that still come out with their number."""

import gzip
import json

import pytest

from indexer.files.sources import read_records


def test_jsonl_lines_come_out_in_order_with_their_line_numbers_and_blank_lines_skipped(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"id": "m-1"}\n\n{"id": "m-2"}\n', encoding="utf-8")
    records = list(read_records(path))
    assert [(r.line, r.data, r.error) for r in records] == [
        (1, {"id": "m-1"}, None),
        (3, {"id": "m-2"}, None),
    ]
    assert records[0].raw == '{"id": "m-1"}' and records[0].source == str(path)


def test_gzipped_jsonl_reads_like_plain(tmp_path):
    path = tmp_path / "p.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "p-1", "name": "Crème brûlée"}, ensure_ascii=False) + "\n")
    [record] = read_records(path)
    assert record.data == {"id": "p-1", "name": "Crème brûlée"}


def test_broken_json_non_objects_and_bad_utf8_are_yielded_as_errors_not_raised(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'{"id": "m-1"\n[1, 2]\n{"name": "caf\xe9"}\n{"id": "m-4"}\n')
    records = list(read_records(path))
    assert [r.line for r in records] == [1, 2, 3, 4]
    assert records[0].error.startswith("not valid JSON")
    assert records[1].error == "expected a JSON object, got list"
    assert records[2].error.startswith("not valid UTF-8") and "caf" in records[2].raw
    assert records[3].error is None


def test_csv_nests_dotted_columns_splits_lists_and_converts_numbers_and_booleans(tmp_path):
    path = tmp_path / "products.csv"
    path.write_text(
        "id,merchant_id,name,categories,price,quebec_product,stock.quantity,location.lat\n"
        'p-1,m-1,"Sirop d\'érable, 540 ml",Épicerie|Sirops,"12,99",oui,12,45.5\n'
        "p-2,m-1,Pain,,3.50,false,0,\n",
        encoding="utf-8",
    )
    first, second = read_records(path)
    assert first.data == {
        "id": "p-1", "merchant_id": "m-1", "name": "Sirop d'érable, 540 ml", "categories": ["Épicerie", "Sirops"],
        "price": 12.99, "quebec_product": True, "stock": {"quantity": 12}, "location": {"lat": 45.5},
    }  # fmt: skip
    assert second.line == 3 and second.data["categories"] == [] and "location" not in second.data
    assert second.data["quebec_product"] is False and second.data["stock"] == {"quantity": 0}


def test_csv_rows_with_the_wrong_number_of_columns_are_errors(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,name\nm-1,A\nm-2\n", encoding="utf-8")
    ok, bad = read_records(path)
    assert ok.error is None and bad.error == "expected 2 columns, got 1" and bad.line == 3


def test_unknown_formats_and_missing_files_are_clear_errors(tmp_path):
    (tmp_path / "m.xml").write_text("<m/>")
    with pytest.raises(ValueError, match="unknown format"):
        list(read_records(tmp_path / "m.xml"))
    with pytest.raises(FileNotFoundError, match="no such file"):
        list(read_records(tmp_path / "absent.jsonl"))
