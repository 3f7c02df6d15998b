"""parsers.scripts: the values of the small expressions pagers build their URLs with, read,
never run."""

import pytest

from parsers.scripts import block_after, destination_of_page, evaluate, function_body, object_entries, variables


@pytest.mark.parametrize("expression, names, value", [
    ("'index_' + p + '.html'", {"p": 3}, "index_3.html"),
    ("p == 1 ? 'index.html' : 'index_' + p + '.html'", {"p": 1}, "index.html"),
    ("p == 1 ? 'index.html' : 'index_' + p + '.html'", {"p": 4}, "index_4.html"),
    ("'list_' + (p - 1) + '.html'", {"p": 3}, "list_2.html"),  # TRS's files counted from 0
    ("'?start=' + (p - 1) * 15", {"p": 3}, "?start=30"),
    ("1 + 2 + 'x'", {}, "3x"),  # JavaScript's + adds numbers until a string joins in
    ("'x' + 1 + 2", {}, "x12"),
    ("parseInt('7', 10) + 1", {}, 8),
    ("this.value > 2 ? 'b' : 'a'", {"this.value": "3"}, "b"),  # a field's value is a string
    ("n === '2' ? 'same' : 'other'", {"n": 2}, "other"),  # === tells a number from a string, == does not
    ("n == '2' ? 'same' : 'other'", {"n": 2}, "same"),
    ("'a' /* a comment */ + 'b' // and another", {}, "ab"),
    ("'it\\'s'", {}, "it's"),
])
def test_an_expression_of_strings_numbers_and_names_has_its_value(expression, names, value):
    assert evaluate(expression, names) == value


@pytest.mark.parametrize("expression", [
    "'list_' + page + '.html'",  # a name nothing gives
    "getUrl(3)",  # a call of the page's own function
    "p / 2",  # a fraction of a page
    "'a' +",  # cut short
    "[1, 2]",
])
def test_an_expression_that_needs_more_than_the_page_says_has_no_value(expression):
    assert evaluate(expression, {"p": 3}) is None


def test_a_form_field_s_value_is_read_by_its_id():
    fields = {"pageUrl": "/col/list.do", "count": "6"}.get
    assert evaluate("$('#pageUrl').val() + '?page='", {}, fields) == "/col/list.do?page="
    assert evaluate('parseInt(document.getElementById("count").value) - 1', {}, fields) == 5
    assert evaluate("jQuery('#missing').val()", {}, fields) is None


def test_the_page_s_variables_are_read_in_order_each_naming_the_ones_before():
    scripts = ["var base = '/col/'; var count = 3//共多少页\nvar first = base + 'index.html';",
               "let pages = count * 2, now = 2, last = pages; var unknown = f(), after = 1;"]
    assert variables(scripts) == {"base": "/col/", "count": 3, "first": "/col/index.html", "pages": 6, "now": 2, "last": 6,
                                  "after": 1}


def test_an_object_s_entries_are_its_keys_with_their_expressions():
    text = "a: 1, 'b': 'x, y', f: function (p, q) { return p, q; },\n // c: 0,\n d: $('#x').val() "
    assert object_entries(text) == {"a": "1", "b": "'x, y'", "f": "function (p, q) { return p, q; }", "d": "$('#x').val()"}


def test_a_block_is_what_its_braces_hold_strings_and_comments_aside():
    text = "f({ a: '}', b: { c: 1 } // }\n }) after"
    assert block_after(text, 0) == " a: '}', b: { c: 1 } // }\n "
    assert block_after("f({ a: 1", 0) is None


def test_a_function_of_the_page_is_found_by_its_name_declared_or_assigned():
    scripts = ["var x = 1;", "function goPage(p, size) { load(p); }", "window.turn = function (n) { go(n); };"]
    assert function_body(scripts, "goPage") == (["p", "size"], " load(p); ")
    assert function_body(scripts, "turn") == (["n"], " go(n); ")
    assert function_body(scripts, "missing") is None


@pytest.mark.parametrize("body, url", [
    ("if (p == 1) { location.href = 'index.html'; } else { location.href = 'index_' + p + '.html'; }", "index_3.html"),
    ("if (p > 1) { window.location.href = 'list_' + (p - 1) + '.html'; } else { window.location.href = 'list.html'; }", "list_2.html"),
    ("var url = '?page=' + p; location.assign(url);", "?page=3"),
    ("window.open('/col/' + p + '.html', '_self');", "/col/3.html"),
    ("return p == 1 ? 'index.html' : 'index_' + p + '.html';", "index_3.html"),  # a callback's URL
    ("location.href = 'index.html';", None),  # the same place whatever the page
    ("load(p); return false;", None),
])
def test_a_function_goes_to_the_one_of_its_destinations_that_changes_with_the_page(body, url):
    assert destination_of_page(body, {}, ["p"], 3) == url


@pytest.mark.parametrize("expression, value", [("(" * 5000 + "1" + ")" * 5000, None), ("a ? " * 3000 + "1", None),
                                               ("-" * 5001 + "1", -1)])
def test_an_expression_nested_past_any_url_s_has_no_value_and_breaks_nothing(expression, value):
    assert evaluate(expression, {"a": 1}) == value
