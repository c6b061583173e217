"""Where call recordings live: files in the data directory, behind an interface so that
S3-compatible storage can follow (``RecordingStore``).

A recording is 16-bit mono PCM written while the call runs (``<call>.pcm.part``), then made
a WAV file when the call ends; a reader only ever sees finished files.
"""

from __future__ import annotations

import uuid
import wave
from datetime import datetime
from pathlib import Path
from typing import Protocol


class RecordingWriter(Protocol):
    def append(self, pcm: bytes) -> None: ...

    def finish(self) -> None: ...


class RecordingStore(Protocol):
    def writer(
        self, business_id: uuid.UUID, call_id: uuid.UUID, sample_rate: int
    ) -> RecordingWriter: ...

    def path(self, business_id: uuid.UUID, call_id: uuid.UUID) -> Path | None:
        """A finished recording's file (the API serves it with Range support)."""
        ...

    def delete(self, business_id: uuid.UUID, call_id: uuid.UUID) -> bool: ...

    def delete_older_than(self, business_id: uuid.UUID, cutoff: datetime) -> int: ...


class _FileWriter:
    def __init__(self, final: Path, sample_rate: int) -> None:
        self.final = final
        self.part = final.with_suffix(".pcm.part")
        self.sample_rate = sample_rate
        final.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.part.open("ab")

    def append(self, pcm: bytes) -> None:
        self._file.write(pcm)

    def finish(self) -> None:
        self._file.close()
        if self.part.stat().st_size == 0:
            self.part.unlink()
            return
        draft = self.final.with_suffix(".wav.part")
        with wave.open(str(draft), "wb") as out, self.part.open("rb") as pcm:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            while chunk := pcm.read(1 << 20):
                out.writeframes(chunk)
        draft.replace(self.final)
        self.part.unlink()


class FileRecordingStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, business_id: uuid.UUID, call_id: uuid.UUID) -> Path:
        return self.root / business_id.hex / f"{call_id.hex}.wav"

    def writer(self, business_id: uuid.UUID, call_id: uuid.UUID, sample_rate: int) -> _FileWriter:
        return _FileWriter(self._file(business_id, call_id), sample_rate)

    def path(self, business_id: uuid.UUID, call_id: uuid.UUID) -> Path | None:
        found = self._file(business_id, call_id)
        return found if found.is_file() else None

    def delete(self, business_id: uuid.UUID, call_id: uuid.UUID) -> bool:
        found = self._file(business_id, call_id)
        removed = found.is_file()
        found.unlink(missing_ok=True)
        found.with_suffix(".pcm.part").unlink(missing_ok=True)
        return removed

    def delete_older_than(self, business_id: uuid.UUID, cutoff: datetime) -> int:
        folder = self.root / business_id.hex
        if not folder.is_dir():
            return 0
        old = [f for f in folder.glob("*.wav") if f.stat().st_mtime < cutoff.timestamp()]
        for file in old:
            file.unlink(missing_ok=True)
        return len(old)


def recording_store(data_dir: Path) -> FileRecordingStore:
    """The install's store: ``<data dir>/recordings/<business>/<call>.wav``."""
    return FileRecordingStore(data_dir / "recordings")
