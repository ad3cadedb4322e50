"""Excel import / export engine (guide: 下载模板 → 浏览 → 导入 → 预览 → 提交; 导出查询结果).

Plugging a module in (see ``zhicheng/orgs/tabular.py`` for a complete example):

1. Create ``<app>/tabular.py`` (auto-discovered at start-up) and register an
   ``ImportSpec(key=..., title=..., permission="app.add_x", columns=[Column(...), ...],
   validate_rows=..., commit=...)`` with ``register_import`` — columns declare the Chinese header,
   required flag, coded ``choices`` (a dropdown in the template) and a ``parse`` function;
   ``params`` declares page-level fields (e.g. 职称等级) passed through to ``commit``.
2. ``commit(rows, actor, params)`` receives the parsed dicts of the valid rows and must write
   through your app's services; the engine wraps it in one transaction, re-validates first and
   records the "import" operation.
3. Register an ``ExportSpec(key=..., columns=[ExportColumn("表头", "field"), ...],
   queryset=lambda user, params: your_list_selector(...))`` with ``register_export`` — use the
   same selector and GET parameter names as your list page, so 导出 = the current query.
4. In the list page: ``{% include "tabular/_import_dialog.html" with importer_key="x" %}``, a
   button ``data-bs-toggle="modal" data-bs-target="#import-dialog-x"`` and an 导出 link
   ``{% url 'tabular:export' 'x' %}?{{ request.GET.urlencode }}``.
5. API: add ``TabularActionsMixin`` (``zhicheng.tabular.api``) to your viewset with
   ``import_key``/``export_key`` → ``POST /api/v1/<resource>/import/`` and ``GET …/export/``.
"""
