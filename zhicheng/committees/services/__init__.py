"""Writes of 评委会管理 (guide 1.10). Every function is atomic, keyword-only and takes ``actor``.

A committee is created together with its login (role 评委会, a generated default password that
is returned once and must be changed at first login). Deregistering keeps the row and its
history and disables the login. Only a committee that is 正常 can be changed; only one that is
正常 and within its validity can receive new work (:func:`committee_require_accepting_work`).

By sub-domain: ``lifecycle`` (新增, 修改, 注销, 重置密码, the new-work guard), ``other_info``
(评审专业, 组建单位, 缴费标准), ``imports`` (批量导入, the initial-password download); ``_common``
holds the shared steps. Everything is importable from ``zhicheng.committees.services`` as before.
"""

from .imports import (
    USERNAME_VALIDATOR,
    CommitteeDraft,
    account_handout_claim,
    committee_bulk_check,
    committee_import,
)
from .lifecycle import (
    ACCOUNT_IS_ID_NUMBER,
    COMMITTEE_EDITABLE,
    TRANSITIONS,
    account_name_problem,
    check_account_name_free,
    committee_account_reset_password,
    committee_create,
    committee_deregister,
    committee_require_accepting_work,
    committee_update,
)
from .other_info import (
    MAX_FEE,
    committee_organizer_add,
    committee_organizer_change,
    committee_organizer_remove,
    committee_specialty_add,
    committee_specialty_change,
    committee_specialty_remove,
    fee_standard_create,
    fee_standard_delete,
    fee_standard_update,
    parse_fee_amount,
)

__all__ = [
    "ACCOUNT_IS_ID_NUMBER",
    "COMMITTEE_EDITABLE",
    "MAX_FEE",
    "TRANSITIONS",
    "USERNAME_VALIDATOR",
    "CommitteeDraft",
    "account_handout_claim",
    "account_name_problem",
    "check_account_name_free",
    "committee_account_reset_password",
    "committee_bulk_check",
    "committee_create",
    "committee_deregister",
    "committee_import",
    "committee_organizer_add",
    "committee_organizer_change",
    "committee_organizer_remove",
    "committee_require_accepting_work",
    "committee_specialty_add",
    "committee_specialty_change",
    "committee_specialty_remove",
    "committee_update",
    "fee_standard_create",
    "fee_standard_delete",
    "fee_standard_update",
    "parse_fee_amount",
]
