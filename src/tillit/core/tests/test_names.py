import unicodedata

from tillit.core.names import composed, hidden_characters


def test_decomposed_letters_are_composed() -> None:
    typed = unicodedata.normalize("NFD", "Åse Ødegård Čoarvi Đuoŋŋa")
    assert typed != "Åse Ødegård Čoarvi Đuoŋŋa"
    assert composed(typed) == "Åse Ødegård Čoarvi Đuoŋŋa"


def test_hidden_characters_are_named() -> None:
    assert hidden_characters("Máret Ánne Sárá") == []
    assert hidden_characters("Kari\u200bNordmann\u202e") == ["U+200B", "U+202E"]
    assert hidden_characters("Kari\x00\t") == ["U+0000", "U+0009"]
