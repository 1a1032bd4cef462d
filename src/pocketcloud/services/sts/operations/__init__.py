"""STS's operations. https://docs.aws.amazon.com/STS/latest/APIReference/"""

from __future__ import annotations

from .assume_role import assume_role
from .get_caller_identity import get_caller_identity
from .get_session_token import get_session_token

OPERATIONS = {
    "AssumeRole": assume_role,
    "GetCallerIdentity": get_caller_identity,
    "GetSessionToken": get_session_token,
}
