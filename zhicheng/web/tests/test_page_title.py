def test_page_title_separates_the_function_from_the_system_name(client, hr_city):
    client.force_login(hr_city)
    html = client.get("/orgs/").content.decode()
    assert "<title>机构管理 - 职称申报评审管理系统</title>" in html
