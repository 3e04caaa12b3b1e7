"""The vendored sentence encoder (a MiniLM in ONNX, run by onnxruntime on one thread).

`resources/models/<ENCODER_NAME>/` holds `model.onnx`, `vocab.txt`, the licence and `encoder.json`
(max tokens, input names). A sentence becomes the mean of its token vectors (attention-masked),
L2-normalised: 384 numbers in which "exhausted", "running on fumes" and "barely slept" are close.
The session is created lazily, once, on first use (the engine is built and used in a worker thread),
so app start-up never pays for it. Without the folder (or without onnxruntime) `available()` is
False and the engine runs on its cheap stage alone.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medshare_desktop.analysis.wordpiece import WordPieceTokenizer
from medshare_desktop.paths import resource_path

log = logging.getLogger(__name__)

ENCODER_NAME = "sentence_encoder"  # paraphrase-MiniLM-L3-v2, int8 (resources/models/README.md)
DIMENSIONS = 384


def padded_batch(ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of several sentences as one zero-padded (rows, longest) int64 array and its attention mask."""
    width = max(len(row) for row in ids)
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for row, tokens in enumerate(ids):
        input_ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    return input_ids, mask


def encoder_dir() -> Path:
    return resource_path("models", ENCODER_NAME)


class SentenceEncoder:
    """Thread-safe; `encode` batches sentences of similar length."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else encoder_dir()
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer: WordPieceTokenizer | None = None
        self._inputs: list[str] = []
        self._output = ""
        self._max_tokens = 128
        self._failed = False

    def available(self) -> bool:
        return not self._failed and (self.folder / "model.onnx").is_file() and (self.folder / "vocab.txt").is_file()

    def load(self) -> bool:
        """Create the onnxruntime session now (about 60 ms; the engine does it while it is built, in its worker)."""
        return self._load()

    def _load(self) -> bool:
        if self._session is not None:
            return True
        with self._lock:
            if self._session is not None:
                return True
            if not self.available():
                return False
            try:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
                options.log_severity_level = 3
                session = onnxruntime.InferenceSession(
                    str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
                )
                settings_file = self.folder / "encoder.json"
                if settings_file.is_file():
                    self._max_tokens = int(json.loads(settings_file.read_text("utf-8")).get("max_tokens", 128))
                self._tokenizer = WordPieceTokenizer(self.folder / "vocab.txt")
                self._inputs = [i.name for i in session.get_inputs()]
                # token vectors: the first output of rank 3 (exports differ in names and extra outputs)
                self._output = next(o.name for o in session.get_outputs() if len(o.shape) == 3)
                self._session = session
                log.info("sentence encoder loaded from %s", self.folder)
            except Exception:  # a broken model file or a missing onnxruntime: rules and BoW still run
                log.exception("sentence encoder at %s could not be loaded", self.folder)
                self._failed = True
                return False
        return True

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors. Raises RuntimeError when the encoder is unavailable."""
        if not self._load():
            raise RuntimeError(f"no sentence encoder at {self.folder}")
        assert self._tokenizer is not None and self._session is not None
        ids = [self._tokenizer.encode(t, self._max_tokens) for t in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            input_ids, mask = padded_batch([ids[i] for i in chunk])
            feeds = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(input_ids)
            hidden = self._session.run([self._output], feeds)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.maximum(norms, 1e-9)
        return out
