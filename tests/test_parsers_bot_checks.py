"""A bot protection's page in place of the page asked for is refused as that, naming the check,
never as a page with no header: the crawl can then say why it got no further."""

from __future__ import annotations

import pytest

from parsers import NotAnArticle, parse_article
from parsers.bot_checks import bot_check
from replica.faults import BOT_BLOCK_PAGE, BOT_CHECK_PAGE

PAGES = {
    "瑞数 Riversecurity": BOT_CHECK_PAGE.decode(),
    # 加速乐's first answer (HTTP 521): its cookie's name spelt out of pieces, then the page again.
    "a cookie set and the page loaded again, as 加速乐's":
        "<html><body><script>document.cookie=('_')+('_')+('j')+('sl_clearance=1637825;max-age=3600;path=/');"
        "location.href=location.pathname+location.search</script></body></html>",
    "加速乐 Jiasule": "<html><body><script>var x='__jsl_clearance_s=' + go(); document.cookie=x;</script></body></html>",
    "云锁 Yunsuo": "<html><head><script>function YunSuoAutoJump(){ document.cookie='security_session_verify=1'; "
                 "location.href='/?security_verify_data=313932302c31303830'; }</script></head><body onload='YunSuoAutoJump()'></body></html>",
    "安全狗 Safedog": BOT_BLOCK_PAGE,
    "创宇盾 Chuangyu": "<html><head><title>访问被拦截</title></head><body><p>您的访问被创宇盾拦截</p></body></html>",
    "Cloudflare": "<html><head><title>Just a moment...</title></head><body><div id='cf-browser-verification'></div></body></html>",
}


@pytest.mark.parametrize("name", PAGES)
def test_a_bot_checks_page_is_refused_as_that_and_named(name):
    assert bot_check(PAGES[name]) == name
    with pytest.raises(NotAnArticle) as error:
        parse_article(PAGES[name].encode("utf-8"), "http://x.gov.cn/art/2022/11/15/art_1507_1045.html")
    assert error.value.reason == "bot_check" and f"a bot check ({name})" in str(error.value)


def test_an_article_that_shows_a_protections_badge_is_read():
    # A site behind 安全狗 may show its badge on every page: the article is read all the same.
    page = ("<html><head><meta charset='utf-8'><title>关于全区教育工作情况的审议意见_某县人大</title></head><body>"
            "<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05</div><p>县人民政府：</p>"
            "<p>会议认为，县政府高度重视教育工作，成效明显。</p><div><a href='http://www.safedog.cn/'>网站防火墙 安全狗</a></div></body></html>")
    assert parse_article(page.encode(), "http://x.gov.cn/a.html").published_at == "2022-01-05"


def test_a_page_with_no_article_and_no_check_is_refused_as_before():
    with pytest.raises(NotAnArticle) as error:
        parse_article("<html><body><p>欢迎访问</p></body></html>".encode(), "http://x.gov.cn/a.html")
    assert error.value.reason == "no_header"
