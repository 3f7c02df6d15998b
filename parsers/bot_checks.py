"""Pages a site's bot protection serves in place of the page asked for: a script that a browser
runs to earn the cookie the site then wants (瑞数's ``$_ts``, 加速乐's ``__jsl_clearance``, 云锁's
``security_verify``), or a page that blocks the request (安全狗, 创宇盾, Cloudflare's check). A
crawler that runs no script gets no further: a crawl must say that this is what the site
answered, not report a page with no header or a list with no entries."""

from __future__ import annotations

import re

# Each check by its name and the marks its page carries (the names its scripts, cookies and links use).
BOT_CHECKS = (
    ("瑞数 Riversecurity", re.compile(r"\$_ts\s*=\s*window\[|\$_ts\.(?:nsd|cd)\s*=")),
    ("加速乐 Jiasule", re.compile(r"__jsl_clearance")),
    ("云锁 Yunsuo", re.compile(r"yunsuo_session_verify|security_verify_data|security_session_verify")),
    ("安全狗 Safedog", re.compile(r"safedog\.cn|网站防火墙.{0,40}拦截|拦截.{0,40}网站防火墙", re.S)),
    ("创宇盾 Chuangyu", re.compile(r"创宇盾|365cyd\.")),
    ("Cloudflare", re.compile(r"cf-browser-verification|/cdn-cgi/challenge-platform/|<title>Just a moment\.\.\.</title>")),
    # 加速乐's first answer spells its cookie's name out of pieces: a script that sets a cookie and
    # loads the page again, on a page that shows nothing else.
    ("a cookie set and the page loaded again, as 加速乐's", re.compile(
        r"^\s*(?:<html>\s*)?(?:<body>\s*)?<script[^>]*>\s*document\.cookie\s*=.{0,4000}?"
        r"location\.(?:href\s*=\s*location\.(?:pathname|href)|reload\s*\()", re.S | re.I)),
)


def bot_check(html: str) -> str | None:
    """The name of the bot protection whose page ``html`` (a page's text, decoded) is, or None."""
    return next((name for name, marks in BOT_CHECKS if marks.search(html)), None)


def bot_check_message(name: str) -> str:
    return f"the site answered with a bot check ({name}), not the page: a crawler that runs no browser gets no further"
