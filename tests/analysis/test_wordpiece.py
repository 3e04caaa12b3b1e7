"""The pure-Python WordPiece tokenizer of the sentence encoder, on text that trips tokenizers up."""

from __future__ import annotations

import json

import pytest

from medshare_desktop.analysis.sentence_encoder import encoder_dir
from medshare_desktop.analysis.wordpiece import WordPieceTokenizer, normalize, pre_tokenize
from medshare_desktop.paths import resource_path

VOCAB = encoder_dir() / "vocab.txt"


@pytest.fixture(scope="module")
def tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer(VOCAB)


def test_accents_are_stripped_and_text_lower_cased(tokenizer: WordPieceTokenizer) -> None:
    assert normalize("Café NAÏVE Résumé") == "cafe naive resume"
    assert tokenizer.tokens("Café") == tokenizer.tokens("cafe") == ["cafe"]


def test_punctuation_is_split_off_every_character(tokenizer: WordPieceTokenizer) -> None:
    assert pre_tokenize("didn't—sleep!!! (on-call)") == ["didn", "'", "t", "—", "sleep", "!", "!", "!", "(", "on", "-", "call", ")"]
    assert tokenizer.tokens("Exhausted...") == ["exhausted", ".", ".", "."]


def test_unknown_symbols_and_overlong_words_become_unk(tokenizer: WordPieceTokenizer) -> None:
    assert tokenizer.tokens("so tired 😴") == ["so", "tired", "[UNK]"]
    assert tokenizer.tokens("a" * 101) == ["[UNK]"]


def test_rare_words_split_into_known_pieces(tokenizer: WordPieceTokenizer) -> None:
    pieces = tokenizer.tokens("cholecystectomy")
    assert len(pieces) > 1 and all(p.startswith("##") for p in pieces[1:])
    assert "".join(p.removeprefix("##") for p in pieces) == "cholecystectomy"


def test_control_characters_and_odd_spaces(tokenizer: WordPieceTokenizer) -> None:
    assert tokenizer.tokens("zero\u00a0width\u200b\x00 ok\tthen") == tokenizer.tokens("zero width ok then")


def test_encode_adds_cls_sep_and_truncates(tokenizer: WordPieceTokenizer) -> None:
    ids = tokenizer.encode("word " * 500, max_length=128)
    assert len(ids) == 128 and ids[0] == tokenizer.cls_id and ids[-1] == tokenizer.sep_id


def test_same_ids_as_the_tokenizers_library_when_installed(tokenizer: WordPieceTokenizer) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    hf = tokenizers.BertWordPieceTokenizer(str(VOCAB), lowercase=True, strip_accents=None, clean_text=True)
    texts = []
    for path in sorted(resource_path("training").glob("*.jsonl"))[:3]:
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()[:150] if line.strip()]
    texts += ["Café naïve 😴 — “quoted” 東京 " + "x" * 120, "Ｆｕｌｌｗｉｄｔｈ ß ﬁ", "I’m running on fumes!!!"]
    assert len(texts) >= 300
    mismatched = [t for t in texts if hf.encode(t).ids != tokenizer.encode(t, max_length=10_000)]
    assert mismatched == []
