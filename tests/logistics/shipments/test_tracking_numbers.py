"""Tracking numbers: well formed, self-checking, random."""

from logistics.tracking_numbers import ALPHABET, is_valid, new_tracking_number


def test_new_tracking_numbers_are_ew_ten_characters_and_a_check_character():
    numbers = {new_tracking_number() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert len(number) == 13 and number.startswith("EW")
        assert set(number[2:]) <= set(ALPHABET)
        assert is_valid(number)


def test_the_check_character_catches_every_single_typo_and_adjacent_swap():
    """Luhn mod N's one blind spot is swapping the first and last characters of the alphabet."""
    number = new_tracking_number()
    for position in range(2, 13):
        for char in ALPHABET:
            if char != number[position]:
                assert not is_valid(number[:position] + char + number[position + 1 :])
    for position in range(2, 12):
        a, b = number[position], number[position + 1]
        if a != b and {a, b} != {ALPHABET[0], ALPHABET[-1]}:
            assert not is_valid(number[:position] + b + a + number[position + 2 :])


def test_ambiguous_characters_are_not_in_the_alphabet():
    assert not set("01IO") & set(ALPHABET)
    assert not is_valid("EW" + "O" * 11)
