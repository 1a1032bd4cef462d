"""CloudWatch Logs' operations, one module each. This registry is the way in: grep an operation name here."""

from __future__ import annotations

from .create_log_group import create_log_group
from .create_log_stream import create_log_stream
from .delete_log_group import delete_log_group
from .delete_log_stream import delete_log_stream
from .describe_log_groups import describe_log_groups
from .describe_log_streams import describe_log_streams
from .filter_log_events import filter_log_events
from .get_log_events import get_log_events
from .put_log_events import put_log_events

OPERATIONS = {
    "CreateLogGroup": create_log_group,
    "CreateLogStream": create_log_stream,
    "DeleteLogGroup": delete_log_group,
    "DeleteLogStream": delete_log_stream,
    "DescribeLogGroups": describe_log_groups,
    "DescribeLogStreams": describe_log_streams,
    "FilterLogEvents": filter_log_events,
    "GetLogEvents": get_log_events,
    "PutLogEvents": put_log_events,
}
