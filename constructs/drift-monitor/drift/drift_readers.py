"""Reading CSV, JSON Lines and SageMaker data-capture files into chunks of rows aligned to a list of columns.

SageMaker data capture (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html)
writes JSON Lines under <prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/, one record per request:
{"captureData": {"endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "...",
"encoding": "CSV" | "JSON" | "BASE64"}, "endpointOutput": {...}}, "eventMetadata": {...}, "eventVersion": "0"}.
Without configured content types SageMaker stores the payload BASE64-encoded
(https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html), so the decoded body is read
by its observed content type. CSV payloads have no header: their fields are the positional columns.
"""
from __future__ import annotations

import base64
import binascii
import csv
import gzip
import io
import json
import os
from itertools import islice
from operator import itemgetter
from typing import Iterable, Iterator, Optional

SUFFIXES = ('.csv', '.jsonl', '.json', '.csv.gz', '.jsonl.gz', '.json.gz')
CHUNK_ROWS = 20_000


class DataError(Exception):
    """Input that cannot be read at all (a missing path, a CSV without a header)."""


def list_files(paths: Iterable[str]) -> list[str]:
    """The data files under the given files and directories (recursively), in a stable order."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files.extend(os.path.join(root, name) for name in sorted(names) if name.lower().endswith(SUFFIXES))
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise DataError(f'no such file or directory: {path}')
    return files


def _open_text(path: str):
    # utf-8-sig drops the byte-order mark spreadsheet exports put before the header; undecodable bytes become U+FFFD
    # and the value they are in counts as invalid, instead of failing the whole window.
    if path.lower().endswith('.gz'):
        return io.TextIOWrapper(gzip.open(path, 'rb'), encoding='utf-8-sig', errors='replace', newline='')
    return open(path, encoding='utf-8-sig', errors='replace', newline='')


class DataSource:
    """Rows of CSV, JSONL and data-capture files as tuples in the order of `columns`.

    `columns` is None to take the first file's header (CSV) or first record's keys (JSON Lines).
    `positional` names the fields of headerless payloads (captured CSV bodies and JSON arrays).
    """

    def __init__(self, paths: Iterable[str], columns: Optional[list[str]] = None,
                 positional: Optional[list[str]] = None):
        self.files = list_files(paths)
        self.columns = columns
        self.positional = positional
        self.rows = 0
        self.unparseable = 0
        self.capture_records = 0

    def chunks(self) -> Iterator[list[tuple]]:
        for path in self.files:
            lower = path.lower()
            reader = self._csv_chunks if lower.endswith(('.csv', '.csv.gz')) else self._jsonl_chunks
            for chunk in reader(path):
                if chunk:
                    self.rows += len(chunk)
                    yield chunk

    def _csv_chunks(self, path: str) -> Iterator[list[tuple]]:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            header = [name.strip() for name in header]
            if self.columns is None:
                self.columns = header
            index = {name: k for k, name in enumerate(header)}
            # A column the file lacks reads as missing in every row: index past the end of any row.
            width = len(header)
            picks = [index.get(name, width + 10**6) for name in self.columns]
            getter = _tuple_getter(picks)
            identity = picks == list(range(width))
            while True:
                block = list(islice(reader, CHUNK_ROWS))
                if not block:
                    return
                if identity and all(map(width.__eq__, map(len, block))):
                    yield block
                    continue
                try:
                    yield list(map(getter, block))
                except IndexError:
                    yield [_padded(row, picks) for row in block]

    def _jsonl_chunks(self, path: str) -> Iterator[list[tuple]]:
        with _open_text(path) as handle:
            while True:
                lines = list(islice(handle, CHUNK_ROWS))
                if not lines:
                    return
                rows: list[tuple] = []
                for line in lines:
                    if line.strip():
                        rows.extend(self._json_line(line))
                yield rows

    def _json_line(self, line: str) -> list[tuple]:
        try:
            record = json.loads(line)
        except ValueError:
            self.unparseable += 1
            return []
        if isinstance(record, dict) and isinstance(record.get('captureData'), dict):
            self.capture_records += 1
            return self._capture(record['captureData'].get('endpointInput'))
        return self._payload_rows(record)

    def _capture(self, endpoint_input) -> list[tuple]:
        if not isinstance(endpoint_input, dict) or not isinstance(endpoint_input.get('data'), str):
            self.unparseable += 1
            return []
        data = endpoint_input['data']
        encoding = str(endpoint_input.get('encoding', '')).upper()
        content_type = str(endpoint_input.get('observedContentType', '')).lower()
        if encoding == 'BASE64':
            try:
                data = base64.b64decode(data, validate=True).decode('utf-8')
            except (binascii.Error, UnicodeDecodeError):
                self.unparseable += 1
                return []
        if encoding == 'CSV' or 'csv' in content_type:
            return self._positional_rows(csv.reader(io.StringIO(data)))
        if 'jsonlines' in content_type:
            rows: list[tuple] = []
            for part in data.splitlines():
                if part.strip():
                    rows.extend(self._json_body(part))
            return rows
        return self._json_body(data)

    def _json_body(self, text: str) -> list[tuple]:
        try:
            body = json.loads(text)
        except ValueError:
            self.unparseable += 1
            return []
        return self._payload_rows(body)

    def _payload_rows(self, body) -> list[tuple]:
        """An object is one row by name; a list of scalars one positional row; a list of rows or `instances` many."""
        if isinstance(body, dict):
            if isinstance(body.get('instances'), list):
                return self._payload_rows(body['instances'])
            if isinstance(body.get('features'), list):
                return self._positional_rows([body['features']])
            if self.columns is None:
                self.columns = list(body.keys())
            return [tuple(body.get(name) for name in self.columns)]
        if isinstance(body, list):
            if body and all(isinstance(item, (dict, list)) for item in body):
                rows: list[tuple] = []
                for item in body:
                    rows.extend(self._payload_rows(item))
                return rows
            return self._positional_rows([body])
        self.unparseable += 1
        return []

    def _positional_rows(self, rows) -> list[tuple]:
        names = self.positional or self.columns
        out: list[tuple] = []
        for row in rows:
            if not row:
                continue
            if names is None or len(row) != len(names):
                # Fields that do not line up with the named columns would be read as the wrong features.
                self.unparseable += 1
                continue
            if self.columns is None:
                self.columns = list(names)
            by_name = dict(zip(names, row))
            out.append(tuple(by_name.get(name) for name in self.columns))
        return out


def _tuple_getter(picks: list[int]):
    if len(picks) == 1:
        only = picks[0]
        return lambda row: (row[only],)
    return itemgetter(*picks)


def _padded(row: list, picks: list[int]) -> tuple:
    return tuple(row[k] if k < len(row) else None for k in picks)
