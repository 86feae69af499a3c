"""Answers to costly queries, kept as the JSON sent, until the store changes.

A frontend walks the same pages of codes and the same release comparisons for
every user; each such answer takes tens of milliseconds to compute and is the
same until a release is loaded. An answer is kept only when it succeeded and
took at least `min_seconds` to compute, so cheap lookups never crowd out the
costly ones. Its key holds the store generation (a load changes it, and every
request reads it in its own transaction) and today's date (the default of
`asOf`), so a kept answer is never stale.
"""

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from graphql import ExecutionResult as GraphQLExecutionResult
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import SchemaExtension

# An answer larger than this share of the whole cache is not kept.
LARGEST_SHARE = 8
# What an entry costs beyond its answer's bytes: its key, the digest in it,
# and the dictionary's and objects' own overhead, rounded up.
ENTRY_OVERHEAD = 512


@dataclass(frozen=True)
class AnswerKey:
    generation: tuple
    today: date
    # SHA-256 of the query text, operation name and variables: a key stays
    # small however long the query that made it.
    question: bytes


def answer_key(
    generation: tuple,
    query: str | None,
    operation_name: str | None,
    variables: dict | None,
) -> AnswerKey | None:
    """The key of a question, or None for one that cannot be written down exactly.

    Variables are written by the standard library with sorted keys, so the same
    variables in another order ask the same question, and NaN stays apart
    from null; text with lone surrogates is kept as it came.
    """
    try:
        written = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256()
    for part in (query or "", operation_name or "", written):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return AnswerKey(generation, date.today(), digest.digest())


class AnswerCache:
    """JSON answers by AnswerKey, least recently used dropped past `max_bytes`.

    Only the newest store generation's answers are kept: the first answer of
    a new generation drops all the others at once.
    """

    def __init__(self, max_bytes: int, min_seconds: float):
        self.max_bytes = max_bytes
        self.min_seconds = min_seconds
        self._answers: OrderedDict[AnswerKey, bytes] = OrderedDict()
        self._generation: tuple | None = None
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size_bytes(self) -> int:
        """What the kept answers are counted as, overhead included."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: AnswerKey) -> bytes | None:
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
                self.hits += 1
            return body

    def offer(self, key: AnswerKey, body: bytes, seconds: float) -> bool:
        """Keep `body` if it cost at least min_seconds and fits; True if kept."""
        cost = len(body) + ENTRY_OVERHEAD
        if seconds < self.min_seconds or cost * LARGEST_SHARE > self.max_bytes:
            return False
        # An exact-size copy: a writer's buffer may hold spare room.
        body = bytes(memoryview(body))
        with self._lock:
            if key.generation != self._generation:
                self._answers.clear()
                self._bytes = 0
                self._generation = key.generation
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous) + ENTRY_OVERHEAD
            self._answers[key] = body
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped) + ENTRY_OVERHEAD
        return True


class KeptAnswers(SchemaExtension):
    """Skips executing a query whose answer is kept; times the others.

    It runs once a request has parsed and passed validation and the limits, so
    a refused request reads nothing. A kept answer is left on the request
    context as `kept_answer` (the JSON to send); a computed one leaves
    `answer`: its key and the seconds it took, for the view to offer the
    written JSON to the cache.
    """

    def __init__(self, answers: AnswerCache):
        self.answers = answers

    def on_execute(self):
        context = self.execution_context.context
        try:
            generation = context.generation
        except SQLAlchemyError:
            # The resolvers meet the same failure and report it, masked.
            generation = None
        key = None
        if generation is not None:
            key = answer_key(
                generation,
                self.execution_context.query,
                self.execution_context.operation_name,
                self.execution_context.variables,
            )
        if key is None:
            yield
            return
        body = self.answers.get(key)
        if body is not None:
            context.kept_answer = body
            self.execution_context.result = GraphQLExecutionResult(data=None)
            yield
            return
        started = time.perf_counter()
        yield
        result = self.execution_context.result
        if result is not None and not result.errors and result.data is not None:
            context.answer = (key, time.perf_counter() - started)
