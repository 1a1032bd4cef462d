"""Platform log lines and stream names in AWS's exact formats."""

from __future__ import annotations

import re

from pocketcloud.functions import logs


def test_report_line_has_aws_fields_tab_separated_with_init_duration_on_cold_start():
    line = logs.report_line("abc", 12.345, 128, 40, 101.5)
    assert line == ("REPORT RequestId: abc\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
                    "Max Memory Used: 40 MB\tInit Duration: 101.50 ms\t")


def test_report_line_of_a_warm_invoke_has_no_init_duration():
    assert "Init Duration" not in logs.report_line("abc", 1.0, 128, 40, None)


def test_log_stream_name_is_date_version_and_32_hex_digits():
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", logs.new_log_stream_name("$LATEST"))


def test_log_tail_keeps_the_last_4_kb():
    lines = [(0, "x" * 100) for _ in range(100)]
    tail = logs.log_tail(lines)
    assert len(tail.encode()) == 4096 and tail.endswith("x\n")
