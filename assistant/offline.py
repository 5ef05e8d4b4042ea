"""Offline defaults that must be in the environment before heavy libraries import.

Hub downloads fail on intranet servers, and telemetry has nowhere to go, so both are
switched off here; temp folders of gradio and jieba are pointed under ASSISTANT_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # one BLAS thread per call: a request's matrices are small, and on a 2-core box a second BLAS
    # thread waiting for a core held by another request spins; with 2 threads a suggestion cost
    # twice the CPU (36 against 18 ms a request, measured in-process at load average 2.5). Index
    # builds raise it for their large batches (USEEmbedder.embed).
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def home_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_HOME", "./data")).resolve()


def apply() -> Path:
    """Set offline env defaults and keep every temp file under ASSISTANT_HOME."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    home = home_dir()
    tmp = home / "tmp"
    os.environ.setdefault("GRADIO_TEMP_DIR", str(tmp / "gradio"))
    os.environ.setdefault("HF_HOME", str(home / "hf"))
    os.environ.setdefault("MPLCONFIGDIR", str(tmp / "mpl"))
    return home


apply()
