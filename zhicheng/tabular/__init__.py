"""Excel import / export engine (guide: 下载模板 → 浏览 → 导入 → 预览 → 提交; 导出查询结果).

Plugging a module in (see ``zhicheng/orgs/tabular.py`` for a complete example):

1. Create ``<app>/tabular.py`` (auto-discovered at start-up) and register an
   ``ImportSpec(key=..., title=..., permission="app.add_x", columns=[Column(...), ...],
   validate_rows=..., commit=...)`` with ``register_import`` — columns declare the Chinese header,
   required flag, coded ``choices`` (a dropdown in the template) and a ``parse`` function;
   ``params`` declares page-level fields (e.g. 职称等级) passed through to ``commit``.
   When your services check a whole list of drafts at once (``x_bulk_check(drafts) ->
   {index: message}``), ``validate_rows`` is ``check_drafts(rows, row → draft, drafts →
   errors)``; an import whose rows are exactly the draft's fields takes both hooks from
   ``DraftImport(draft=..., check=..., create=..., refused_key=...)`` (orgs, catalog).
2. ``commit(rows, actor, params)`` receives the parsed dicts of the valid rows and must write
   through your app's services; the engine wraps it in one transaction, re-validates first and
   records the "import" operation.
3. Register the export of your list's declaration (``<app>/listings.py``, see
   ``zhicheng.common.listing``): ``register_export(listing_export(LIST, prepare=...))`` — the
   columns, filter labels and filtered queryset come from the same ``Listing`` as the list page
   and the API, so 导出 = the current query; ``prepare`` adds annotations only the file needs.
4. In the list page: ``{% include "tabular/_import_dialog.html" with importer_key="x" %}``, a
   button ``data-bs-toggle="modal" data-bs-target="#import-dialog-x"`` and the 导出 button
   ``{% include "tabular/_export_button.html" %}`` (``export_url`` = ``tabular:export``,
   ``export_query`` = the screen's query): a POST with the CSRF token, never a link.
5. API: add ``TabularActionsMixin`` (``zhicheng.tabular.api``) to your viewset with
   ``import_key``/``export_key`` → ``POST /api/v1/<resource>/import/`` and ``GET …/export/``
   (200 .xlsx, or 202 and a job at ``/api/v1/export-jobs/<id>/`` for large exports).

Large exports are background jobs (``ExportJob``): the worker beats a heartbeat with its
progress; the watch (``tasks.export_jobs_watch``, every minute) shows a silent one as
interrupted and re-queues it; each run holds a claim (``attempt``) so a run given up on never
overwrites the one that replaced it. Work files live under ``EXPORT_TMP_DIR`` (var/tmp).
"""
