import itertools

import pytest

from mockwhmcs.wire.phpform import MAX_INPUT_VARS, MAX_NESTING, decode_pairs, decode_query


def test_empty_brackets_build_a_list():
    assert decode_query("pid[]=1&pid[]=2") == {"pid": {0: "1", 1: "2"}}


def test_explicit_indices_build_the_same_list():
    assert decode_query("pid[0]=1&pid[1]=2") == {"pid": {0: "1", 1: "2"}}


def test_explicit_index_is_kept():
    assert decode_query("pid[5]=1") == {"pid": {5: "1"}}


def test_empty_brackets_append_after_the_highest_integer_key():
    assert decode_query("pid[5]=a&pid[x]=b&pid[2]=c&pid[]=d") == {"pid": {5: "a", "x": "b", 2: "c", 6: "d"}}


def test_empty_brackets_start_at_zero_without_integer_keys():
    assert decode_query("pid[x]=a&pid[]=b") == {"pid": {"x": "a", 0: "b"}}


def test_empty_brackets_append_after_a_negative_key():
    assert decode_query("pid[-5]=a&pid[]=b") == {"pid": {-5: "a", -4: "b"}}


def test_array_keeps_insertion_order_not_index_order():
    result = decode_query("pid[2]=a&pid[0]=b&pid[]=c")
    assert list(result["pid"].items()) == [(2, "a"), (0, "b"), (3, "c")]


def test_repeated_bare_key_keeps_last_value():
    assert decode_query("pid=1&pid=2") == {"pid": "2"}


def test_repeated_index_keeps_last_value_at_first_position():
    result = decode_query("pid[a]=1&pid[b]=2&pid[a]=3")
    assert list(result["pid"].items()) == [("a", "3"), ("b", "2")]


def test_string_index_builds_associative_array_keeping_dots():
    assert decode_query("domainrenewals[example.com]=2") == {"domainrenewals": {"example.com": "2"}}


def test_spaces_inside_brackets_are_kept():
    assert decode_query("a[my+domain.com]=1") == {"a": {"my domain.com": "1"}}


def test_nested_brackets_build_nested_arrays():
    assert decode_query("a[b][c]=1&a[b][d]=2&a[]=3") == {"a": {"b": {"c": "1", "d": "2"}, 0: "3"}}


def test_nested_empty_brackets_each_append_a_new_array():
    assert decode_query("a[][x]=1&a[][x]=2") == {"a": {0: {"x": "1"}, 1: {"x": "2"}}}


@pytest.mark.parametrize(
    ("index", "key"),
    [
        ("0", 0),
        ("5", 5),
        ("-3", -3),
        ("9223372036854775807", 9223372036854775807),
        ("-9223372036854775808", -9223372036854775808),
        ("05", "05"),
        ("-0", "-0"),
        ("+5", "+5"),
        ("5.0", "5.0"),
        ("1e3", "1e3"),
        ("9223372036854775808", "9223372036854775808"),
        ("-9223372036854775809", "-9223372036854775809"),
        ("99999999999999999999", "99999999999999999999"),
        ("\u0665", "\u0665"),
    ],
)
def test_only_canonical_64_bit_decimal_indices_become_integer_keys(index, key):
    assert decode_pairs([(f"a[{index}]", "v")]) == {"a": {key: "v"}}


def test_index_of_thousands_of_digits_stays_a_string_key():
    index = "9" * 100_000
    assert decode_query(f"pid[{index}]=1") == {"pid": {index: "1"}}


def test_append_after_the_largest_integer_key_is_dropped():
    assert decode_query("a[9223372036854775807]=1&a[]=2&a[x][]=3") == {
        "a": {9223372036854775807: "1", "x": {0: "3"}}
    }


def test_dots_and_spaces_in_top_level_name_become_underscores():
    assert decode_query("a.b+c=1&x%20y.z[k.l]=2") == {"a_b_c": "1", "x_y_z": {"k.l": "2"}}


def test_leading_spaces_of_top_level_name_are_stripped():
    assert decode_query("++a+b=1") == {"a_b": "1"}


@pytest.mark.parametrize("query", ["=1", "+++=1", "[x]=1", "[]=1", "+[x]=1"])
def test_empty_top_level_name_is_ignored(query):
    assert decode_query(query) == {}


def test_unmatched_bracket_in_top_level_name_becomes_underscore():
    assert decode_query("a[b=1") == {"a_b": "1"}


def test_unmatched_bracket_name_has_dots_spaces_and_brackets_replaced():
    assert decode_query("a]x[b.c+d[e=1") == {"a]x_b_c_d_e": "1"}


def test_opening_bracket_inside_an_index_is_kept():
    assert decode_query("a[b[c]=1") == {"a": {"b[c": "1"}}


def test_trailing_text_after_an_index_is_ignored():
    assert decode_query("a[b]junk=1&c[]]=2") == {"a": {"b": "1"}, "c": {0: "2"}}


def test_unmatched_bracket_after_an_index_is_ignored():
    assert decode_query("a[b][c=1&d[][e=2") == {"a": {"b": "1"}, "d": {0: "2"}}


def test_stray_closing_bracket_after_an_index_ends_the_name():
    # php-src tests/basic/027.phpt
    assert decode_query("e[][]][]=3") == {"e": {0: {0: "3"}}}


def test_whitespace_alone_in_brackets_appends():
    assert decode_query("a[+]=1&a[%09]=2") == {"a": {0: "1", 1: "2"}}


def test_whitespace_before_an_index_is_part_of_the_key():
    assert decode_query("a[+5]=1") == {"a": {" 5": "1"}}


def test_name_ends_at_a_nul_byte():
    assert decode_query("a%00b=1&c[x%00y]=2&d=%00") == {"a": "1", "c_x": "2", "d": "\0"}


def test_later_scalar_replaces_earlier_array():
    assert decode_query("a[x]=1&a=2") == {"a": "2"}


def test_later_array_replaces_earlier_scalar_in_place():
    result = decode_query("a=1&b=2&a[x]=3")
    assert list(result.items()) == [("a", {"x": "3"}), ("b", "2")]


def test_scalar_intermediate_is_replaced_by_an_array():
    assert decode_query("a[x]=1&a[x][y]=2") == {"a": {"x": {"y": "2"}}}


def test_later_scalar_replaces_nested_array():
    assert decode_query("a[x][y]=1&a[x]=2") == {"a": {"x": "2"}}


def test_nesting_up_to_max_nesting_is_kept():
    expected = "1"
    for _ in range(MAX_NESTING):
        expected = {"k": expected}
    assert decode_query("a" + "[k]" * MAX_NESTING + "=1") == {"a": expected}


def test_nesting_beyond_max_nesting_discards_the_whole_variable():
    query = "z=0&a[x]=1&a" + "[k]" * (MAX_NESTING + 1) + "=2&b=3"
    assert decode_query(query) == {"z": "0", "b": "3"}


def test_variable_discarded_for_nesting_can_be_set_again():
    query = "a" + "[]" * (MAX_NESTING + 1) + "=1&a=2"
    assert decode_query(query) == {"a": "2"}


def test_unmatched_bracket_beyond_max_nesting_discards_the_variable():
    assert decode_query("a" + "[k]" * MAX_NESTING + "[k=1") == {}


def test_variables_beyond_max_input_vars_are_dropped():
    query = "&".join(f"v{i}=x" for i in range(MAX_INPUT_VARS + 5))
    result = decode_query(query)
    assert len(result) == MAX_INPUT_VARS
    assert "v999" in result
    assert "v1000" not in result


def test_ignored_names_count_towards_max_input_vars():
    pairs = [("", "x")] * MAX_INPUT_VARS + [("late", "x")]
    assert decode_pairs(pairs) == {}


def test_pairs_beyond_max_input_vars_are_never_read():
    pairs = ((f"v[{i}]", "x") for i in itertools.count())
    assert len(decode_pairs(pairs)["v"]) == MAX_INPUT_VARS


def test_plus_is_space_and_percent_escapes_are_decoded():
    assert decode_query("q=a+b%2Bc%26d%3De") == {"q": "a b+c&d=e"}


def test_malformed_percent_escapes_are_kept_literally():
    assert decode_query("q=100%&r=%zz%4") == {"q": "100%", "r": "%zz%4"}


def test_only_ampersand_separates_pairs():
    assert decode_query("a=1;b=2&c=x=y") == {"a": "1;b=2", "c": "x=y"}


def test_bare_key_without_equals_sign_is_empty_string():
    assert decode_query(b"noinvoice&noemail=") == {"noinvoice": "", "noemail": ""}


def test_empty_segments_are_skipped():
    assert decode_query("&&a=1&&b=2&") == {"a": "1", "b": "2"}


def test_empty_input_decodes_to_nothing():
    assert decode_query(b"") == {}


def test_bytes_are_decoded_as_utf8():
    assert decode_query(b"caf%C3%A9=na\xc3\xafve") == {"café": "naïve"}


def test_invalid_utf8_is_replaced_not_rejected():
    assert decode_query(b"name=%FF%FEok&\xffkey=1") == {"name": "\ufffd\ufffdok", "\ufffdkey": "1"}


def test_str_input_is_decoded_like_bytes():
    assert decode_query("name=J%C3%BCrgen+M%C3%BCller&city=Köln") == {"name": "Jürgen Müller", "city": "Köln"}


def test_php_http_build_query_of_nested_arrays_round_trips():
    # http_build_query(['pid' => [1, 1], 'dnsmanagement' => [false, true],
    #     'customfields' => [base64_encode(serialize([1 => 'Google']))], 'noinvoice' => true])
    body = (
        b"action=AddOrder&pid%5B0%5D=1&pid%5B1%5D=1&dnsmanagement%5B0%5D=0&dnsmanagement%5B1%5D=1"
        b"&customfields%5B0%5D=YToxOntpOjE7czo2OiJHb29nbGUiO30%3D&noinvoice=1"
    )
    assert decode_query(body) == {
        "action": "AddOrder",
        "pid": {0: "1", 1: "1"},
        "dnsmanagement": {0: "0", 1: "1"},
        "customfields": {0: "YToxOntpOjE7czo2OiJHb29nbGUiO30="},
        "noinvoice": "1",
    }


def test_decoded_arrays_are_plain_dicts():
    result = decode_query("a[b][c]=1")
    assert type(result["a"]) is dict
    assert type(result["a"]["b"]) is dict


def test_hostile_names_decode_without_quadratic_blowup():
    huge = 1_000_000
    body = "&".join(
        [
            "a" + "[" * huge + "=1",
            "b" + "[k]" * huge + "=1",
            "c[" + " " * huge + "=1",
            "d[" + "9" * huge + "]=1",
            *("e[]=1" for _ in range(MAX_INPUT_VARS)),
        ]
    )
    result = decode_query(body)
    assert "a_" + "_" * (huge - 1) in result
    assert "b" not in result
    assert len(result["d"]) == 1
    assert len(result["e"]) == MAX_INPUT_VARS - 4
