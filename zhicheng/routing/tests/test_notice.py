"""申报须知 rendering: light formatting, never raw HTML from the text."""

from zhicheng.routing.notice import notice_html


def test_paragraphs_line_breaks_lists_and_bold():
    html = notice_html("第一段\n第二行\n\n- 身份证\n- **学历**证书\n\n1. 填表\n2、提交")
    assert html == (
        "<p>第一段<br>第二行</p>"
        "<ul><li>身份证</li><li><strong>学历</strong>证书</li></ul>"
        "<ol><li>填表</li><li>提交</li></ol>"
    )


def test_html_in_the_text_is_escaped():
    html = notice_html('<script>alert(1)</script> **<img src=x onerror="y">**')
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_an_empty_notice_renders_nothing():
    assert notice_html("") == ""
    assert notice_html("   \n\n  ") == ""


def test_list_lines_inside_a_paragraph_become_a_list():
    html = notice_html("须携带：\n- 身份证\n- 学历证书\n逾期不候")
    assert html == "<p>须携带：</p><ul><li>身份证</li><li>学历证书</li></ul><p>逾期不候</p>"
