from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from smeladder.registry import credit_code, districts

# A real, published code (the example in python-stdnum's documentation).
KNOWN_VALID = "91110000600037341L"


def test_a_published_code_is_valid():
    assert credit_code.problem(KNOWN_VALID) is None


def test_wrong_check_character_names_the_right_one():
    assert credit_code.problem("91110000600037341X") == "check character should be L, not X"


def test_wrong_length_is_named():
    assert credit_code.problem("9111000060003734") == "credit code must have 18 characters, has 16"


def test_forbidden_letters_are_refused():
    # GB 32100 leaves out I, O, S, V and Z.
    assert "outside GB 32100" in credit_code.problem("91110000600037341O")


def test_lower_case_or_spaces_are_refused():
    assert credit_code.problem("91110000600037341l") is not None
    assert credit_code.problem(" 91110000600037341L") is not None


@given(adcode=st.sampled_from(districts.adcodes()), serial=st.integers(0, 31**6 - 1))
def test_made_codes_are_valid_and_carry_the_district(adcode, serial):
    code = credit_code.make(adcode, serial)
    assert uscc.is_valid(code)
    assert credit_code.division_code(code) == adcode
    assert code.startswith("91")


@given(adcode=st.sampled_from(districts.adcodes()), a=st.integers(0, 31**6 - 1), b=st.integers(0, 31**6 - 1))
def test_distinct_serials_give_distinct_codes(adcode, a, b):
    assert (credit_code.make(adcode, a) == credit_code.make(adcode, b)) == (a == b)
